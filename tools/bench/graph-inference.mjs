#!/usr/bin/env node
// Benchmark: how long Nx takes to compute the project graph of a workspace of N image directories
// with the nx-image-graph plugin, against the same workspace without the plugin (the floor).
//
//   node tools/bench/graph-inference.mjs [--sizes=10,100,1000] [--reps=5] [--profile=true] [--write=true] [--budget=540]
//
// Needs the workspace installed (`npm install`, which also builds the plugin; after editing the
// plugin, `npm run build`). It packs the plugin, installs it with the repo's nx version once into
// tmp/bench/template, and generates one synthetic workspace per N in tmp/bench/graph/n-<N> whose
// node_modules is a symlink to the template's. Every nx call runs with NX_DAEMON=false
// NX_NO_CLOUD=true, as a fresh process, with NX_PERF_LOGGING=true so Nx's own marks say how much
// of the time is the plugin's createNodes.
//
// Per repetition and size, interleaved (the order of the plugin-on and plugin-off blocks
// alternates between repetitions):
//   floor-cold  plugin removed from nx.json, .nx/ deleted       nx show projects --json
//   floor-warm  plugin removed, second run
//   cold        plugin on, .nx/ deleted, and with it Nx's cache, where the plugin keeps its caches
//               (Nx 24 keeps that cache in ~/.nx/<workspace id>/, outside the workspace: deleted too)
//   warm        plugin on, second run
//   changed     plugin on, one Dockerfile edited, then run
// plus, for information, the floor's and the warm second runs again with NX_ISOLATE_PLUGINS=false
// (plugins in Nx's own process instead of worker processes: what Nx's isolation costs),
// and the plugin alone, its createNodes function called directly (tools/bench/lib/plugin-only.mjs):
//   cold (fresh process, no cache), memory-warm (second call), memory-changed (third call after an
//   edit), disk-warm (fresh process, cache on disk), disk-changed (fresh process after an edit),
//   with Dockerfile parses and fs calls counted, and CPU profiles of single calls at the largest N.
// Results (median and min–max over repetitions, ratios of paired runs) go to tools/bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCH_TMP,
  fmtDelta,
  fmtMs,
  fmtRatio,
  gitInit,
  linkTemplate,
  log,
  machineInfo,
  machineMarkdown,
  markdownTable,
  median,
  now,
  parseArgs,
  perfMarks,
  prepareTemplate,
  REPO_ROOT,
  NX_ENV,
  nxCacheLocation,
  removeWorkspace,
  runNx,
  waitForQuiet,
} from './lib/common.mjs';
import { profileMarkdown, summariseProfile } from './lib/cpuprofile-summary.mjs';
import { writeResultsSection } from './lib/results.mjs';
import { nxJson, planWorkspace, writeWorkspace } from './lib/synthetic-workspace.mjs';

const opts = parseArgs(process.argv.slice(2), { sizes: '10,100,1000', reps: 5, profile: true, write: true, budget: 540 });
const sizes = opts.sizes.split(',').map(Number);
const started = now();
const overBudget = () => (now() - started) / 1000 > opts.budget;
const PLUGIN_ONLY = join(REPO_ROOT, 'tools', 'bench', 'lib', 'plugin-only.mjs');
const GRAPH_TMP = join(BENCH_TMP, 'graph');

const { digest } = prepareTemplate();
const machine = machineInfo();

// --- workspaces -------------------------------------------------------------------------------
const workspaces = sizes.map((n) => {
  const dir = join(GRAPH_TMP, `n-${n}`);
  const plan = planWorkspace(n);
  removeWorkspace(dir);
  writeWorkspace(dir, plan, { plugin: true });
  linkTemplate(dir);
  gitInit(dir);
  const location = nxCacheLocation(dir);
  const fileCount = Object.keys(plan.files).length;
  log(
    `N=${n}: ${dir} (${fileCount} files under images/; ${plan.counts.pairs} base pairs, ${plan.counts.mlBases} ML bases, ${plan.counts.leaves} leaves; ${plan.counts.yes} with image.json)`,
  );
  const ws = { n, dir, plan, fileCount, ...location };
  verify(ws);
  return { ...ws, changeable: plan.changeable, original: readFileSync(join(dir, plan.changeable), 'utf8') };
});

/** The plugin must find every image and every edge, with no problem reported: otherwise the timings mean nothing. */
function verify(ws) {
  const { dir, plan } = ws;
  dropNxDir(ws);
  const r = runNx(dir, ['graph', '--file=graph.json']);
  const graph = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')).graph;
  rmSync(join(dir, 'graph.json'));
  const projects = Object.keys(graph.nodes).sort();
  const edges = Object.values(graph.dependencies)
    .flat()
    .filter((d) => graph.nodes[d.target])
    .map((d) => `${d.source} -> ${d.target}`)
    .sort();
  const problems = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('nx-image-graph:'));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(projects, plan.projects) || !same(edges, plan.edges) || problems.length) {
    const missing = plan.edges.filter((e) => !edges.includes(e)).slice(0, 5);
    throw new Error(
      `${dir}: the plugin's graph is not the planned one: ${projects.length}/${plan.projects.length} projects, ${edges.length}/${plan.edges.length} edges` +
        `${missing.length ? `, missing e.g. ${missing.join('; ')}` : ''}${problems.length ? `\nproblems:\n${problems.slice(0, 5).join('\n')}` : ''}`,
    );
  }
  log(`  verified: ${projects.length} projects, ${edges.length} edges, no problems reported`);
}

// --- measurements -----------------------------------------------------------------------------
const setPlugin = (ws, on) => writeFileSync(join(ws.dir, 'nx.json'), nxJson(on));
/** Cold: Nx's workspace data (.nx/) and its cache, which holds the plugin's Dockerfile cache (in ~/.nx/<workspace id>/ with Nx 24). */
function dropNxDir(ws) {
  rmSync(join(ws.dir, '.nx'), { recursive: true, force: true });
  if (ws.sharedDir) rmSync(ws.sharedDir, { recursive: true, force: true });
  rmSync(ws.cacheDir, { recursive: true, force: true });
}
const dropPluginCache = (ws) => rmSync(join(ws.cacheDir, 'nx-image-graph'), { recursive: true, force: true });
let edits = 0;
const editDockerfile = (ws) => appendFileSync(join(ws.dir, ws.changeable), `ENV BENCH_EDIT=${++edits}\n`);
const restoreDockerfile = (ws) => writeFileSync(join(ws.dir, ws.changeable), ws.original);

/** Nx's perf marks (NX_PERF_LOGGING=true) kept for the breakdown. */
/** For information: plugins loaded in Nx's own process instead of isolated workers (what Nx's default costs). */
const IN_PROCESS = { NX_ISOLATE_PLUGINS: 'false' };

const MARKS = {
  graph: ['createProjectGraphAsync'],
  pluginPhase: ['loadDefaultNxPlugins', 'loadSpecifiedNxPlugins'], // both run at once: the longer one
  pluginLoad: ['Load Nx Plugin: nx-image-graph'],
  buildConfigs: ['build-project-configs'],
  createNodes: ['nx-image-graph:createNodes'],
  merge: ['createNodes:merge'],
  createDependencies: ['createDependencies'],
  ourDependencies: ['nx-image-graph:createDependencies'],
  fileMapGraph: ['createProjectGraphAsync >> build-project-graph-using-project-file-map'],
  writeCache: ['write cache'],
};
const MARK_LABELS = {
  graph: '`createProjectGraphAsync` (the whole graph computation)',
  pluginPhase: '`loadDefaultNxPlugins` ∥ `loadSpecifiedNxPlugins` (plugin workers started, plugins required; the longer of the two)',
  pluginLoad: '`Load Nx Plugin: nx-image-graph`',
  buildConfigs: '`build-project-configs` (every createNodes, with the transfer of results from the workers)',
  createNodes: '`nx-image-graph:createNodes` (inside the plugin worker)',
  merge: '`createNodes:merge` (Nx merging the inferred projects)',
  createDependencies: '`createDependencies` (all plugins)',
  ourDependencies: '`nx-image-graph:createDependencies`',
  fileMapGraph: '`build-project-graph-using-project-file-map`',
  writeCache: '`write cache` (project graph written to .nx/workspace-data)',
};

function showProjects(ws, expected, env = {}) {
  const r = runNx(ws.dir, ['show', 'projects', '--json'], { NX_PERF_LOGGING: 'true', ...env });
  const json = r.stdout.slice(r.stdout.indexOf('['), r.stdout.lastIndexOf(']') + 1);
  const count = JSON.parse(json).length;
  if (count !== expected) throw new Error(`${ws.dir}: nx show projects gave ${count} projects, expected ${expected}`);
  const all = perfMarks(`${r.stdout}\n${r.stderr}`);
  const marks = {};
  for (const [key, names] of Object.entries(MARKS)) {
    const values = names.map((n) => all[n]).filter((v) => v !== undefined);
    if (values.length) marks[key] = Math.max(...values);
  }
  return { ms: r.ms, marks };
}

function pluginOnly(ws, args, { env = {} } = {}) {
  const r = spawnSync(process.execPath, [PLUGIN_ONLY, ...args.map(String)], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`plugin-only failed in ${ws.dir}:\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  if (out.projects !== ws.plan.projects.length)
    throw new Error(`plugin-only: ${out.projects} projects, expected ${ws.plan.projects.length}`);
  return out;
}

const results = new Map(sizes.map((n) => [n, { nx: {}, marks: {}, po: {} }]));
const loads = [];
const push = (obj, key, value) => (obj[key] ??= []).push(value);

function measureNx(ws, rep) {
  const res = results.get(ws.n);
  const record = (name, run) => {
    push(res.nx, name, run.ms);
    for (const [k, v] of Object.entries(run.marks)) if (v !== undefined) push(res.marks, `${name}.${k}`, v);
  };
  const floorBlock = () => {
    setPlugin(ws, false);
    dropNxDir(ws);
    record('floorCold', showProjects(ws, 0));
    record('floorWarm', showProjects(ws, 0));
    record('floorWarmInProcess', showProjects(ws, 0, IN_PROCESS));
  };
  const pluginBlock = () => {
    setPlugin(ws, true);
    restoreDockerfile(ws);
    dropNxDir(ws);
    record('cold', showProjects(ws, ws.plan.projects.length));
    record('warm', showProjects(ws, ws.plan.projects.length));
    record('warmInProcess', showProjects(ws, ws.plan.projects.length, IN_PROCESS));
    editDockerfile(ws);
    record('changed', showProjects(ws, ws.plan.projects.length));
  };
  if (rep % 2 === 0) {
    floorBlock();
    pluginBlock();
  } else {
    pluginBlock();
    floorBlock();
  }
}

function measurePluginOnly(ws) {
  const res = results.get(ws.n).po;
  setPlugin(ws, true);
  restoreDockerfile(ws);
  dropPluginCache(ws);
  // Fresh process, no cache: cold; then memory-warm; then an edit and a third call.
  const a = pluginOnly(ws, [3, 3, ws.changeable]);
  push(res, 'devkit', a.devkitMs);
  push(res, 'require', a.requireMs);
  push(res, 'cold', a.callsMs[0]);
  push(res, 'memWarm', a.callsMs[1]);
  push(res, 'memChanged', a.callsMs[2]);
  push(res, 'cpu.cold', a.cpuMs[0]);
  push(res, 'cpu.memWarm', a.cpuMs[1]);
  push(res, 'cpu.memChanged', a.cpuMs[2]);
  // Fresh process, cache on disk (what every non-daemon Nx run is).
  const b = pluginOnly(ws, [1]);
  push(res, 'diskWarm', b.callsMs[0]);
  push(res, 'cpu.diskWarm', b.cpuMs[0]);
  // Fresh process after an edit.
  editDockerfile(ws);
  const c = pluginOnly(ws, [1]);
  push(res, 'diskChanged', c.callsMs[0]);
  push(res, 'cpu.diskChanged', c.cpuMs[0]);
  const calls = { cold: a.perCall[0], memWarm: a.perCall[1], memChanged: a.perCall[2], diskWarm: b.perCall[0], diskChanged: c.perCall[0] };
  for (const [k, v] of Object.entries(calls)) push(res, `counts.${k}`, v);
  push(res, 'files', a.files);
  push(res, 'resultBytes', a.resultBytes);
}

// One discarded round first: warms the OS file cache and the template's node_modules.
for (const ws of workspaces) {
  measureNx(ws, 0);
  measurePluginOnly(ws);
}
for (const r of results.values()) Object.assign(r, { nx: {}, marks: {}, po: {} });

let repsDone = 0;
for (let rep = 0; rep < opts.reps; rep++) {
  if (overBudget()) {
    log(`time budget of ${opts.budget} s reached: stopping after ${repsDone} repetitions`);
    break;
  }
  // Sizes in turn, the order rotated each repetition.
  const order = workspaces.map((_, i) => workspaces[(i + rep) % workspaces.length]);
  for (const ws of order) {
    // Other work on this machine (builds, tests) skews every timing: wait for a quiet moment, and record it.
    const busy = waitForQuiet({ maxMs: 15000 });
    loads.push(busy);
    const t = now();
    if (rep % 2 === 0) {
      measureNx(ws, rep);
      measurePluginOnly(ws);
    } else {
      measurePluginOnly(ws);
      measureNx(ws, rep);
    }
    const r = results.get(ws.n);
    log(
      `rep ${rep + 1}/${opts.reps} N=${ws.n}: floor ${r.nx.floorCold.at(-1).toFixed(0)}/${r.nx.floorWarm.at(-1).toFixed(0)} ms, ` +
        `cold ${r.nx.cold.at(-1).toFixed(0)}, warm ${r.nx.warm.at(-1).toFixed(0)}, changed ${r.nx.changed.at(-1).toFixed(0)} ms; ` +
        `plugin alone cold ${r.po.cold.at(-1).toFixed(0)}, disk-warm ${r.po.diskWarm.at(-1).toFixed(0)}, mem-warm ${r.po.memWarm.at(-1).toFixed(1)} ms ` +
        `(${((now() - t) / 1000).toFixed(1)} s)`,
    );
  }
  repsDone++;
}
for (const ws of workspaces) {
  restoreDockerfile(ws);
  setPlugin(ws, true);
}

// --- profile ----------------------------------------------------------------------------------
let profileText = '';
if (opts.profile) {
  const ws = workspaces[workspaces.length - 1];
  const profileDir = join(BENCH_TMP, 'profiles');
  const run = (name, calls) => {
    const dir = join(profileDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const out = pluginOnly(ws, [calls], { env: { BENCH_PROFILE_DIR: dir } });
    return { out, files: Array.from({ length: calls }, (_, i) => join(dir, `call-${i + 1}.cpuprofile`)) };
  };
  setPlugin(ws, true);
  dropPluginCache(ws);
  const fresh = run('fresh', 2); // call 1: cold; call 2: memory-warm
  const disk = run('disk-warm', 1);
  const part = (title, ms, file) => [`#### ${title}: createNodes ${ms.toFixed(0)} ms`, '', profileMarkdown(summariseProfile(file)), ''];
  profileText = [
    `### Where the plugin's time goes (N=${ws.n}: CPU profiles of single createNodes calls of the plugin alone, sampled every 200 µs)`,
    '',
    ...part('cold (fresh process, no cache)', fresh.out.callsMs[0], fresh.files[0]),
    ...part('disk-warm (fresh process, cache on disk)', disk.out.callsMs[0], disk.files[0]),
    ...part('memory-warm (second call, same process)', fresh.out.callsMs[1], fresh.files[1]),
    `Profiles: \`${profileDir.replace(`${REPO_ROOT}/`, '')}/{fresh,disk-warm}/call-<n>.cpuprofile\` (open in Chrome DevTools → Performance).`,
  ].join('\n');
}

// --- report -----------------------------------------------------------------------------------
const nxRows = [];
for (const ws of workspaces) {
  const r = results.get(ws.n);
  const row = (label, key, floorKey) => [
    String(ws.n),
    label,
    fmtMs(r.nx[key]),
    floorKey ? fmtRatio(r.nx[key], r.nx[floorKey]) : '',
    floorKey ? fmtDelta(r.nx[key], r.nx[floorKey]) : '',
  ];
  nxRows.push(row('floor, .nx/ deleted', 'floorCold'), row('floor, second run', 'floorWarm'));
  nxRows.push(
    row('**cold** (.nx/ deleted)', 'cold', 'floorCold'),
    row('**warm** (second run)', 'warm', 'floorWarm'),
    row('**one Dockerfile changed**', 'changed', 'floorWarm'),
  );
  nxRows.push(
    row('floor, second run, `NX_ISOLATE_PLUGINS=false`', 'floorWarmInProcess'),
    row('warm, `NX_ISOLATE_PLUGINS=false`', 'warmInProcess', 'floorWarmInProcess'),
  );
}
const poRows = workspaces.map((ws) => {
  const p = results.get(ws.n).po;
  const both = (k, d = 0) => `${fmtMs(p[k], d)}<br>CPU ${fmtMs(p[`cpu.${k}`], d)}`;
  return [
    String(ws.n),
    fmtMs(p.devkit),
    fmtMs(p.require),
    both('cold'),
    both('diskWarm'),
    both('diskChanged'),
    both('memWarm', 1),
    both('memChanged', 1),
  ];
});
const countsRows = workspaces.map((ws) => {
  const p = results.get(ws.n).po;
  const last = (k) => p[`counts.${k}`].at(-1);
  const parses = ['cold', 'diskWarm', 'diskChanged', 'memWarm', 'memChanged'].map((k) => String(last(k).parses));
  return [
    String(ws.n),
    String(ws.plan.projects.length),
    ...parses,
    String(last('memWarm').readFileSync),
    String(last('memWarm').existsSync),
    `${(median(p.resultBytes) / 1e6).toFixed(2)} MB`,
  ];
});
const breakdown = (ws) => {
  const r = results.get(ws.n);
  const cell = (run, key) => (r.marks[`${run}.${key}`] ? fmtMs(r.marks[`${run}.${key}`]) : '–');
  return markdownTable(
    ['Nx perf mark (ms)', 'floor, second run', 'cold', 'warm', 'one Dockerfile changed', 'floor, in-process', 'warm, in-process'],
    Object.keys(MARKS).map((k) => [
      MARK_LABELS[k],
      cell('floorWarm', k),
      cell('cold', k),
      cell('warm', k),
      cell('changed', k),
      cell('floorWarmInProcess', k),
      cell('warmInProcess', k),
    ]),
  );
};

const nBig = sizes[sizes.length - 1];
const big = results.get(nBig);
const paired = (a, b) => median(a.map((x, i) => x - b[i]));
const coldDelta = paired(big.nx.cold, big.nx.floorCold);
const warmDelta = paired(big.nx.warm, big.nx.floorWarm);
const changedDelta = paired(big.nx.changed, big.nx.floorWarm);
const inProcessDelta = paired(big.nx.warmInProcess, big.nx.floorWarmInProcess);

/** The aim, read as: the plugin adds at most 2 s to a cold graph at the largest N, and at most 100 ms (or 10% of the floor) to a warm one. */
function verdicts() {
  const mark = (run, k) => median(big.marks[`${run}.${k}`] ?? [NaN]);
  const warmFloor = median(big.nx.floorWarm);
  const warmLimit = Math.max(100, 0.1 * warmFloor);
  const share = (ms) => `${ms.toFixed(0)} ms`;
  const transfer =
    median((big.marks['warm.buildConfigs'] ?? []).map((x, i) => x - big.marks['warm.createNodes'][i])) - mark('floorWarm', 'buildConfigs');
  return [
    `- Cold, N=${nBig}: the whole \`nx show projects\` takes ${median(big.nx.cold).toFixed(0)} ms, of which the plugin adds ${coldDelta.toFixed(0)} ms (read as "a couple of seconds": at most 2,000 ms added): ${coldDelta <= 2000 ? '**met**' : '**not met**'}.`,
    `- Warm, N=${nBig}: the plugin adds ${warmDelta.toFixed(0)} ms (read as "near nothing": at most ${warmLimit.toFixed(0)} ms, i.e. 100 ms or 10% of the floor's ${warmFloor.toFixed(0)} ms): ${warmDelta <= warmLimit ? '**met**' : '**not met**'}.`,
    `  Roughly where the warm run's extra time goes (Nx's perf marks, medians; they overlap in part): starting the plugin's worker on top of Nx's own ${share(mark('warm', 'pluginPhase') - mark('floorWarm', 'pluginPhase'))}, ` +
      `the plugin's createNodes ${share(mark('warm', 'createNodes'))}, moving its result out of the worker ${share(transfer)}, merging it ${share(mark('warm', 'merge'))}, ` +
      `createDependencies ${share(mark('warm', 'createDependencies') - mark('floorWarm', 'createDependencies'))} (Nx sends every project configuration to the worker), ` +
      `building the project graph ${share(mark('warm', 'fileMapGraph') - mark('floorWarm', 'fileMapGraph'))} and writing it ${share(mark('warm', 'writeCache') - mark('floorWarm', 'writeCache'))} more than the floor.`,
  ];
}

const section = [
  `## Graph inference (\`tools/bench/graph-inference.mjs\`)`,
  '',
  'Rerun (from a fresh clone: `npm install` first; after editing the plugin, `npm run build`):',
  '',
  '```sh',
  `node tools/bench/graph-inference.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  '```',
  '',
  machineMarkdown(machine, {
    'plugin tarball': `sha256 ${digest.slice(0, 12)} (packed from packages/nx-image-graph/dist at the time of the run)`,
    repetitions: `${repsDone} (after one discarded warm-up round), interleaved`,
    'CPU busy with other work just before each measured block (waited up to 15 s for < 25%)': loads
      .map((l) => (l === undefined ? '?' : `${(l * 100).toFixed(0)}%`))
      .join(', '),
    'wall time of the benchmark': `${((now() - started) / 1000).toFixed(0)} s`,
    'Nx cache location': `${workspaces[0].sharedDir ? `outside the workspace: Nx ${machine.nx} keeps its cache (and so the plugin's Dockerfile cache, under @nx/devkit's \`cacheDir\`) in ~/.nx/<workspace id>/cache for a git workspace with a commit; "cold" deletes that directory as well as .nx/` : 'inside the workspace (.nx/cache)'}`,
  }),
  '',
  'Workspaces (tmp/bench/graph/n-<N>, generated by `lib/synthetic-workspace.mjs`; each is checked first: `nx graph` must give exactly the planned projects and edges, with no problem reported):',
  '',
  markdownTable(
    ['N', 'files under images/', 'base pairs (cpu/cuda)', 'ML bases (2 variants)', 'leaves (¼ with variants)', 'with image.json', 'edges'],
    workspaces.map((ws) =>
      [
        ws.n,
        ws.fileCount,
        ws.plan.counts.pairs,
        ws.plan.counts.mlBases,
        ws.plan.counts.leaves,
        ws.plan.counts.yes,
        ws.plan.edges.length,
      ].map(String),
    ),
  ),
  '',
  '### `nx show projects --json`, the whole command',
  '',
  "`NX_DAEMON=false NX_NO_CLOUD=true`, a fresh process each time; Nx's default plugin isolation (each plugin, Nx's own included, in a worker process), except in the two `NX_ISOLATE_PLUGINS=false` rows, given for information. Wall time in ms: median (min–max). Ratio and Δ: paired with the floor run (plugin removed from nx.json) of the same repetition, median (min–max); cold is paired with the floor after deleting .nx/, warm and changed with the floor's second run.",
  '',
  markdownTable(['N', 'run', 'wall ms', 'ratio to floor', 'Δ vs floor (ms)'], nxRows),
  '',
  `### Where Nx's time goes (N=${nBig}, Nx's own perf marks, \`NX_PERF_LOGGING=true\`, same runs)`,
  '',
  breakdown(workspaces[workspaces.length - 1]),
  '',
  '### The plugin alone: its createNodes function called directly (`lib/plugin-only.mjs`)',
  '',
  "ms, median (min–max). require @nx/devkit: loading nx's devkit in a fresh process (Nx's plugin worker has most of it loaded already). require plugin: then loading the plugin and its dependencies. cold: first call, fresh process, no cache. disk-warm: first call of a fresh process with the cache on disk (what every non-daemon Nx run does). disk-changed: the same after one Dockerfile was edited. memory-warm: a second call in the same process (a long-lived daemon). memory-changed: a third call, after an edit (Nx's in-process file hashes told of it, as the daemon's watcher does). Each cell: wall time, then the CPU time of the call (user + system of the process), which other load on the machine inflates less.",
  '',
  markdownTable(
    ['N', 'require @nx/devkit', 'require plugin', 'cold', 'disk-warm', 'disk-changed', 'memory-warm', 'memory-changed'],
    poRows,
  ),
  '',
  "Per createNodes call (counted in the same runs): Dockerfiles parsed (the plugin's cache should leave only the edited one), file-system calls, and the size of the result as JSON (what Nx moves from the plugin worker and merges).",
  '',
  markdownTable(
    [
      'N',
      'Dockerfiles',
      'parsed: cold',
      'disk-warm',
      'disk-changed',
      'memory-warm',
      'memory-changed',
      'readFileSync calls (warm)',
      'existsSync calls (warm)',
      'result size',
    ],
    countsRows,
  ),
  '',
  `### Against the aim ("a couple of seconds cold at 1,000 and near nothing warm")`,
  '',
  ...verdicts(),
  '',
  `At N=${nBig} the plugin adds, median of paired differences: ${coldDelta.toFixed(0)} ms to a cold \`nx show projects\`, ${warmDelta.toFixed(0)} ms to a warm one, ${changedDelta.toFixed(0)} ms after one Dockerfile changed; ${inProcessDelta.toFixed(0)} ms to a warm one with \`NX_ISOLATE_PLUGINS=false\`. The plugin's own createNodes call takes ${median(big.po.cold).toFixed(0)} ms cold, ${median(big.po.diskWarm).toFixed(0)} ms with its cache on disk, ${median(big.po.memWarm).toFixed(0)} ms warm in memory (CPU time ${median(big.po['cpu.cold']).toFixed(0)}, ${median(big.po['cpu.diskWarm']).toFixed(0)}, ${median(big.po['cpu.memWarm']).toFixed(0)} ms); its result is ${(median(big.po.resultBytes) / 1e6).toFixed(1)} MB as JSON (what Nx moves from the plugin worker and merges).`,
  '',
  profileText,
].join('\n');

if (opts.write) writeResultsSection('graph-inference', section);
process.stdout.write(`${section}\n`);

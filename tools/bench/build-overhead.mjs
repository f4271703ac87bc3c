#!/usr/bin/env node
// Benchmark: what the plugin's docker-build executor costs on top of the build itself. Builds one
// small image of the repo's example graph (images/stages/cpu/tmdb, on its parent images/base/cpu),
// copied into a workspace of its own, side by side, interleaved:
//   direct            dockerode buildImage (BuildKit, version "2") of the same context tar, made
//                     with the plugin's own readDockerignore/listContextFiles/packContext, tag in
//                     the request (`t`), stream read to the image id: the floor
//   direct + labels   the same with the labels the executor sets (OCI title, created, revision): for
//                     information, to show what the labels alone cost
//   executor          the plugin's executor called in-process with the options `nx show project`
//                     gives and a minimal ExecutorContext
//   nx run            `nx run <project>:docker-build --skip-nx-cache --exclude-task-dependencies`,
//                     end to end (Nx start-up, graph, hashing, then the executor): for information
//   nx run, daemon    the same with the Nx daemon on (NX_DAEMON=true: a developer machine's default)
// and, in the cached scenario, Nx's own floor in the same workspace (same nx.json, same plugins):
//   floor command     `nx run floor:command` (`true` through nx:run-commands, which Nx runs in its
//                     own process, as @nx/docker's targets)
//   floor executor    `nx run floor:fork` (an executor that does nothing, in a local package: Nx runs
//                     it in a task process of its own, as every executor), daemon off and on
// in two scenarios: "cached" (every step in BuildKit's cache) and "one step runs" (a copy of the
// image with `ARG NONCE` + `RUN echo $NONCE` at the end, a new --build-arg NONCE each build).
//
//   node tools/bench/build-overhead.mjs [--iterations=10] [--write=true] [--budget=540]
//
// Needs the workspace installed (`npm install`) and a Docker engine: tools/engine-up.sh is run first
// (as `npm run images` does). Images are tagged nxig-bench/*, so nothing of the repo's acme/* graph
// or its dist/ is touched. Results go to tools/bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  NX_ENV,
  parseArgs,
  prepareTemplate,
  removeWorkspace,
  REPO_ROOT,
  runNx,
  waitForQuiet,
} from './lib/common.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { iterations: 10, write: true, budget: 540 });
const started = now();
const overBudget = () => (now() - started) / 1000 > opts.budget;

// --- engine -----------------------------------------------------------------------------------
log('bringing up the engine (tools/engine-up.sh)');
const exports = execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60 * 1000 });
for (const m of exports.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) process.env[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');

const { digest } = prepareTemplate();
const machine = machineInfo();

// --- workspace --------------------------------------------------------------------------------
const WS = join(BENCH_TMP, 'build', 'ws');
removeWorkspace(WS);
rmSync(join(BENCH_TMP, 'build'), { recursive: true, force: true });
mkdirSync(WS, { recursive: true });
const rename = (text) => text.replaceAll('acme/', 'nxig-bench/');
const copyImage = (from, to, edit = (t) => t) => {
  cpSync(join(REPO_ROOT, from), join(WS, to), { recursive: true });
  for (const f of ['Dockerfile', 'image.json']) {
    const p = join(WS, to, f);
    try {
      writeFileSync(p, edit(rename(readFileSync(p, 'utf8')), f));
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
};
copyImage('images/base/runtime', 'images/base/runtime');
copyImage('images/base/cpu', 'images/base/cpu');
copyImage('images/stages/cpu/tmdb', 'images/stages/cpu/tmdb');
copyImage('images/stages/cpu/tmdb', 'images/stages/cpu/tmdb-nonce', (text, file) =>
  file === 'Dockerfile'
    ? `${text}\n# Benchmark: one step that really runs on every build (a new NONCE each time).\nARG NONCE\nRUN echo "nonce=$NONCE"\n`
    : text.replace('nxig-bench/tmdb', 'nxig-bench/tmdb-nonce').replace('"name": "tmdb"', '"name": "tmdb-nonce"'),
);
writeFileSync(join(WS, 'nx.json'), `${JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2)}\n`);
writeFileSync(join(WS, '.gitignore'), 'node_modules\ndist\n.nx\n');
// Nx's floor: a command Nx runs in its own process, and an executor that does nothing (a task process).
const floorExecutor = join(WS, 'tools', 'floor-executor');
mkdirSync(floorExecutor, { recursive: true });
writeFileSync(join(floorExecutor, 'package.json'), `${JSON.stringify({ name: 'floor-executor', version: '0.0.0', private: true, executors: './executors.json' }, null, 2)}\n`);
writeFileSync(join(floorExecutor, 'executors.json'), `${JSON.stringify({ executors: { noop: { implementation: './noop.js', schema: './schema.json', description: 'Does nothing.' } } }, null, 2)}\n`);
writeFileSync(join(floorExecutor, 'noop.js'), 'module.exports = async () => ({ success: true });\n');
writeFileSync(join(floorExecutor, 'schema.json'), `${JSON.stringify({ version: 2, type: 'object', properties: {} }, null, 2)}\n`);
mkdirSync(join(WS, 'tools', 'floor'), { recursive: true });
writeFileSync(join(WS, 'tools', 'floor', 'project.json'), `${JSON.stringify({ name: 'floor', targets: { command: { command: 'true' }, fork: { executor: './tools/floor-executor:noop' } } }, null, 2)}\n`);
linkTemplate(WS);
gitInit(WS);
log(`workspace ${WS}: base-cpu, tmdb, tmdb-nonce (images/ of the repo, repositories renamed acme/ -> nxig-bench/), floor (tools/floor)`);
// The daemon variants start Nx's daemon in the workspace: stopped at exit, whatever happens.
const DAEMON = { NX_DAEMON: 'true' };
process.on('exit', () => spawnSync(join(WS, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], { cwd: WS, env: { ...process.env, ...NX_ENV, ...DAEMON }, stdio: 'ignore' }));

// The parent, built once through Nx: writes the build record the executor pins tmdb's parent from.
runNx(WS, ['run', 'base-cpu:docker-build', '--outputStyle=stream']);
const showProject = (name) => JSON.parse(runNx(WS, ['show', 'project', name, '--json']).stdout);
const projects = { tmdb: showProject('tmdb'), 'tmdb-nonce': showProject('tmdb-nonce'), 'base-cpu': showProject('base-cpu') };
runNx(WS, ['graph', '--file=graph.json']);
const projectGraph = JSON.parse(readFileSync(join(WS, 'graph.json'), 'utf8')).graph;
rmSync(join(WS, 'graph.json'));
const nxJsonConfiguration = JSON.parse(readFileSync(join(WS, 'nx.json'), 'utf8'));

// --- the plugin, as installed in the workspace ---------------------------------------------------
const requireWs = createRequire(join(WS, 'package.json'));
const pluginRequire = createRequire(requireWs.resolve('nx-image-graph'));
const executor = requireWs('nx-image-graph/dist/executors/build/executor').default;
const { readDockerignore } = requireWs('nx-image-graph/dist/inference/inputs/dockerignore');
const { listContextFiles } = requireWs('nx-image-graph/dist/build/context/context-files');
const { packContext } = requireWs('nx-image-graph/dist/build/context/context-tar');
const { engineAddress } = requireWs('nx-image-graph/dist/clients/engine/engine-client');
const Docker = pluginRequire('dockerode');
const dockerodeVersion = JSON.parse(readFileSync(join(pluginRequire.resolve('dockerode'), '..', '..', 'package.json'), 'utf8')).version;
process.chdir(WS); // Nx runs executors from the workspace root.

const targetOf = (name) => projects[name].targets['docker-build'];
// Inferred settings live in the target's metadata (graph/target-settings.ts); a command target's options are run-commands' own.
const ownOptions = (target) => (target.executor === 'nx:run-commands' ? {} : target.options);
const settingsOf = (target) => ({ ...target.metadata?.['nx-image-graph-settings'], ...ownOptions(target) });
const gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: WS, encoding: 'utf8' }).trim();

// --- the four ways to build ----------------------------------------------------------------------
/** A direct Engine API build: context tar, POST /build (BuildKit), stream read to the end. */
async function direct(name, buildArgs, { labels = false } = {}) {
  const o = settingsOf(targetOf(name));
  const contextDir = join(WS, o.context);
  const dockerfileInContext = join(WS, o.dockerfile).slice(contextDir.length + 1);
  const ignore = readDockerignore(contextDir, join(WS, o.dockerfile));
  const files = await listContextFiles(contextDir, { patterns: ignore.patterns, always: [dockerfileInContext] });
  const docker = new Docker(engineAddress(process.env).options);
  const stream = await docker.buildImage(packContext(contextDir, files), {
    dockerfile: dockerfileInContext,
    t: `${o.repository}:${o.tags[0]}`,
    buildargs: { ...o.args, ...buildArgs },
    ...(labels
      ? { labels: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.created': new Date().toISOString(), 'org.opencontainers.image.revision': gitSha } }
      : {}),
    version: '2',
  });
  let imageId;
  let error;
  let rest = '';
  await new Promise((resolve, reject) => {
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (!line.trim()) continue;
        const msg = JSON.parse(line);
        if (msg.id === 'moby.image.id') imageId = msg.aux?.ID;
        if (msg.error) error = msg.error;
      }
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  if (error || !imageId) throw new Error(`direct build of ${name} failed: ${error ?? 'no image id'}`);
  return imageId;
}

/** The plugin's executor, in-process, its output swallowed (shown if it fails). */
async function viaExecutor(name, buildArgs) {
  const target = targetOf(name);
  const options = { ...ownOptions(target), ...(Object.keys(buildArgs).length ? { buildArg: Object.entries(buildArgs).map(([k, v]) => `${k}=${v}`) } : {}) };
  const context = {
    root: WS,
    cwd: WS,
    projectName: name,
    targetName: 'docker-build',
    isVerbose: false,
    projectsConfigurations: { version: 2, projects },
    nxJsonConfiguration,
    projectGraph,
  };
  const out = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = process.stderr.write = (chunk) => (out.push(String(chunk)), true);
  let result;
  try {
    result = await executor(options, context);
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
  if (!result?.success) throw new Error(`executor build of ${name} failed:\n${out.join('')}`);
  return readMetadata(name);
}

function viaNxRun(name, buildArgs, env = {}) {
  const args = ['run', `${name}:docker-build`, '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=stream', ...Object.entries(buildArgs).map(([k, v]) => `--build-arg=${k}=${v}`)];
  runNx(WS, args, env);
  return readMetadata(name);
}

/** Nx's floor: one of the floor project's targets, end to end like `nx run` of a build. */
function viaFloor(target, env = {}) {
  runNx(WS, ['run', `floor:${target}`, '--skip-nx-cache', '--outputStyle=stream'], env);
  return {};
}

function readMetadata(name) {
  const m = JSON.parse(readFileSync(join(WS, settingsOf(targetOf(name)).metadataFile), 'utf8'));
  return { imageId: m.imageId, steps: m.steps };
}

// --- measurement ------------------------------------------------------------------------------
const BUILDS = ['direct', 'directLabels', 'executor', 'nxRun', 'nxRunDaemon'];
const FLOORS = ['floorCommand', 'floorFork', 'floorForkDaemon'];
const SCENARIOS = [
  { key: 'cached', project: 'tmdb', label: 'cached (every step in BuildKit\'s cache)', variants: [...BUILDS, ...FLOORS] },
  { key: 'nonce', project: 'tmdb-nonce', label: 'one step runs (`--build-arg NONCE=<new>`)', variants: BUILDS },
];
const VARIANT_LABELS = {
  direct: '(a) direct Engine API build',
  directLabels: 'direct + the executor\'s labels',
  executor: '(b) executor, in-process',
  nxRun: '(c) `nx run … --skip-nx-cache`',
  nxRunDaemon: '(d) the same, Nx daemon on',
  floorCommand: 'Nx floor: `nx run floor:command` (`true`, run in Nx\'s process)',
  floorFork: 'Nx floor: `nx run floor:fork` (an executor that does nothing)',
  floorForkDaemon: 'Nx floor: `nx run floor:fork`, Nx daemon on',
};
let nonce = 0;
const argsFor = (s) => (s.key === 'nonce' ? { NONCE: `${process.pid}-${++nonce}` } : {});

async function once(variant, s) {
  const args = argsFor(s);
  const t = now();
  let info;
  if (variant === 'direct') info = { imageId: await direct(s.project, args) };
  else if (variant === 'directLabels') info = { imageId: await direct(s.project, args, { labels: true }) };
  else if (variant === 'executor') info = await viaExecutor(s.project, args);
  else if (variant === 'nxRun') info = viaNxRun(s.project, args);
  else if (variant === 'nxRunDaemon') info = viaNxRun(s.project, args, DAEMON);
  else if (variant === 'floorCommand') info = viaFloor('command');
  else if (variant === 'floorFork') info = viaFloor('fork');
  else info = viaFloor('fork', DAEMON);
  return { ms: now() - t, ...info };
}

const results = Object.fromEntries(SCENARIOS.map((s) => [s.key, Object.fromEntries(s.variants.map((v) => [v, []]))]));
const details = Object.fromEntries(SCENARIOS.map((s) => [s.key, { ids: Object.fromEntries(s.variants.map((v) => [v, new Set()])), steps: [] }]));

// Warm-up, discarded: fills BuildKit's cache, loads every module, opens the page cache.
for (let i = 0; i < 2; i++) for (const s of SCENARIOS) for (const v of s.variants) await once(v, s);

const busyLog = [];
let done = 0;
for (let i = 0; i < opts.iterations; i++) {
  if (overBudget()) {
    log(`time budget of ${opts.budget} s reached: stopping after ${done} iterations`);
    break;
  }
  busyLog.push(waitForQuiet({ maxMs: 15000 }));
  for (const s of SCENARIOS) {
    // Each variant in turn, the order rotated every iteration.
    const order = s.variants.map((_, k) => s.variants[(k + i) % s.variants.length]);
    for (const v of order) {
      const r = await once(v, s);
      results[s.key][v].push(r.ms);
      if (r.imageId) details[s.key].ids[v].add(r.imageId);
      if (r.imageId && r.steps) details[s.key].steps.push(`${r.steps.cached}/${r.steps.total}`);
    }
  }
  done++;
  log(
    `iteration ${i + 1}/${opts.iterations}: ` +
      SCENARIOS.map((s) => `${s.key}: ${s.variants.map((v) => `${v} ${results[s.key][v].at(-1).toFixed(0)}`).join(', ')} ms`).join(' | '),
  );
}

// --- report -----------------------------------------------------------------------------------
const rows = [];
const verdicts = [];
for (const s of SCENARIOS) {
  const r = results[s.key];
  for (const v of s.variants) {
    rows.push([
      s.label,
      VARIANT_LABELS[v],
      fmtMs(r[v]),
      v === 'direct' || FLOORS.includes(v) ? '' : fmtDelta(r[v], r.direct),
      v === 'direct' || FLOORS.includes(v) ? '' : fmtRatio(r[v], r.direct, 3),
    ]);
  }
  const delta = median(r.executor.map((x, k) => x - r.direct[k]));
  const ratio = median(r.executor.map((x, k) => x / r.direct[k]));
  const met = ratio - 1 < 0.1 || delta < 150;
  verdicts.push(
    `- ${s.label}: the executor takes ${delta.toFixed(0)} ms (${((ratio - 1) * 100).toFixed(1)}%) more than the direct build (medians of paired differences and ratios): aim ${met ? '**met**' : '**not met**'}.`,
  );
}
// Where an `nx run` of a cached build goes, from the paired floor runs of the same iteration.
const c = results.cached;
const minus = (a, b) => a.map((x, k) => x - b[k]);
const parts = [
  ['Nx running `true` as a command in its own process (start-up, graph with this plugin, hashing, hooks)', fmtMs(c.floorCommand), ''],
  ['+ a task process instead (an executor that does nothing, minus the command)', fmtDelta(c.floorFork, c.floorCommand), ''],
  ['+ the build instead of nothing (`nx run` of the build, minus the empty executor)', fmtDelta(c.nxRun, c.floorFork), ''],
  ['  of which the engine\'s build ((a), direct)', fmtMs(c.direct), ''],
  ['  of which the plugin\'s own (the rest: its modules, git, engine round trips, context, records)', fmtDelta(minus(c.nxRun, c.floorFork), c.direct), ''],
  ['daemon on: Nx running an executor that does nothing', fmtMs(c.floorForkDaemon), ''],
  ['daemon on: + the build instead of nothing', fmtDelta(c.nxRunDaemon, c.floorForkDaemon), ''],
  ['daemon on: `nx run` of the build over the direct build', fmtDelta(c.nxRunDaemon, c.direct), fmtRatio(c.nxRunDaemon, c.direct, 2)],
];
const nxRunOver = median(minus(c.nxRun, c.direct));
const nxRunDaemonOver = median(minus(c.nxRunDaemon, c.direct));
const floorOver = median(minus(c.floorFork, c.direct));
verdicts.push(
  `- issue #13's aim, \`nx run\` of a fully cached build at most 150 ms over the direct build: ${nxRunOver.toFixed(0)} ms over with the daemon off, ${nxRunDaemonOver.toFixed(0)} ms with it on: **${Math.min(nxRunOver, nxRunDaemonOver) <= 150 ? 'met' : 'not met'}**. Nx running an executor that does nothing, in the same workspace, already takes ${floorOver.toFixed(0)} ms more than the direct build (daemon off).`,
);
const stepsSeen = (k) => [...new Set(details[k].steps)].join(', ');
const idsSeen = (k, v) => details[k].ids[v].size;

const section = [
  '## Build overhead (`tools/bench/build-overhead.mjs`)',
  '',
  'Rerun (from a fresh clone: `npm install` first; after editing the plugin, `npm run build`):',
  '',
  '```sh',
  `node tools/bench/build-overhead.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  '```',
  '',
  machineMarkdown(machine, {
    'plugin tarball': `sha256 ${digest.slice(0, 12)} (packed from packages/nx-image-graph/dist at the time of the run)`,
    dockerode: dockerodeVersion,
    engine: `${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'}, BuildKit through the API (version "2")`,
    iterations: `${done} per variant and scenario (after two discarded warm-up rounds), interleaved, order rotated every iteration`,
    'CPU busy with other work before each iteration (waited up to 15 s for < 25%)': busyLog.map((l) => (l === undefined ? '?' : `${(l * 100).toFixed(0)}%`)).join(', '),
    'wall time of the benchmark': `${((now() - started) / 1000).toFixed(0)} s`,
  }),
  '',
  'The image: `images/stages/cpu/tmdb` of the repo (FROM its parent `images/base/cpu`, `COPY app/`, one `RUN`), in a workspace of its own (tmp/bench/build/ws) with its repositories renamed `nxig-bench/*`. The parent is built once through Nx first, so the executor pins it from its build record as in a real run.',
  `Steps cached/total recorded by the executor's builds: cached scenario ${stepsSeen('cached')}; one-step scenario ${stepsSeen('nonce')}. Distinct image ids over the measured builds, cached scenario: direct ${idsSeen('cached', 'direct')}, direct + labels ${idsSeen('cached', 'directLabels')}, executor ${idsSeen('cached', 'executor')}, nx run ${idsSeen('cached', 'nxRun')}, nx run with the daemon ${idsSeen('cached', 'nxRunDaemon')}.`,
  '',
  'Wall time of one build, ms: median (min–max). Δ and ratio: paired with the direct build of the same iteration, median (min–max).',
  '',
  markdownTable(['scenario', 'how', 'ms', 'Δ vs direct (ms)', 'ratio to direct'], rows),
  '',
  '### Where an `nx run` of a cached build goes',
  '',
  'Paired by iteration with the floor runs, cached scenario, ms: median (min–max). The floor project is in the same workspace, so Nx loads the same plugins (this one included) and runs the same hooks for it.',
  '',
  markdownTable(['part', 'ms', 'ratio'], parts),
  '',
  '### Against the aim ("under 10% or 150 ms")',
  '',
  ...verdicts,
].join('\n');

if (opts.write) writeResultsSection('build-overhead', section);
process.stdout.write(`${section}\n`);

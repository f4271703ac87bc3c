#!/usr/bin/env node
// Benchmark: what the plugin's docker-build costs on top of the build itself, now that a build target
// is a command (`nx:run-commands` running nx-image-graph-build in a process of its own; no executor).
// Builds one small image of the repo's example graph (images/stages/cpu/tmdb, on its parent
// images/base/cpu), copied into a workspace of its own, side by side, interleaved:
//   direct            dockerode buildImage (BuildKit, version "2") of the same context tar, made
//                     with the plugin's own readDockerignore/listContextFiles/packContext, tag in
//                     the request (`t`), stream read to the image id: the floor
//   direct + labels   the same with OCI labels (title, created, revision): for information
//   command           nx-image-graph-build alone, started as Nx starts it (node bin/build.js, the
//                     task's NX_* variables set; it reads the graph Nx wrote): the plugin without Nx
//   nx run            `nx run <project>:docker-build --skip-nx-cache --exclude-task-dependencies`,
//                     end to end (Nx start-up, graph, hashing, hooks, then the command)
//   nx run, daemon    the same with the Nx daemon on (NX_DAEMON=true: a developer machine's default)
// and, in the cached scenario, Nx's own floor in the same workspace (same nx.json, same plugins):
//   floor command     `nx run floor:command` (`true` as an nx:run-commands target), daemon off and on
// in two scenarios: "cached" (the build's inputs unchanged: the command finds the engine's image
// labelled with the same inputs digest and tags it; the direct build has every step in BuildKit's
// cache) and "one step runs" (a copy of the image with `ARG NONCE` + `RUN echo $NONCE` at the end, a
// new --build-arg NONCE each build). A third scenario, "ten cached builds", runs ten copies of tmdb
// (distinct images, every one built before) in one run:
//   ours ×10          `nx run-many -t docker-build --projects=<the ten> --skip-nx-cache --exclude-task-dependencies`
//   Nx commands ×10   the same ten as Nx command targets running `DOCKER_BUILDKIT=1 docker build`
//                     (same Nx, same parallelism: Nx's default, 3)
//   docker loop ×10   the same ten `docker build`s one after the other (bash, no Nx)
// Aims (issue 23): `nx run` of a fully cached build ≤ Nx's own `true` command + 150 ms; ten cached
// builds in one run-many ≤ 0.9× the Nx command targets and ≤ 1.3× the sequential docker loop.
//
//   node tools/bench/build-overhead.mjs [--iterations=10] [--write=true] [--budget=540]
//   (smoke run: --iterations=2 --write=false, about 4 minutes on a busy 2-core machine)
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
const exports = execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  timeout: 15 * 60 * 1000,
});
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
// Ten distinct copies of tmdb (one ENV line apart) for the ten-builds scenario.
const TEN = Array.from({ length: 10 }, (_, k) => `tmdb-${k}`);
for (const name of TEN) {
  copyImage('images/stages/cpu/tmdb', `images/stages/cpu/${name}`, (text, file) =>
    file === 'Dockerfile'
      ? `${text}\nENV BENCH_COPY=${name}\n`
      : text.replace('nxig-bench/tmdb', `nxig-bench/${name}`).replace('"name": "tmdb"', `"name": "${name}"`),
  );
}
writeFileSync(join(WS, 'nx.json'), `${JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2)}\n`);
writeFileSync(join(WS, '.gitignore'), 'node_modules\ndist\n.nx\n');
// Nx's floor: `true` as a command target, which Nx runs as it runs the builds' command.
mkdirSync(join(WS, 'tools', 'floor'), { recursive: true });
writeFileSync(
  join(WS, 'tools', 'floor', 'project.json'),
  `${JSON.stringify({ name: 'floor', targets: { command: { command: 'true' } } }, null, 2)}\n`,
);
// The ten builds as Nx command targets running the docker CLI (Debian's docker.io client: BuildKit built in);
// their own tag (:cli), so ours' tags stay on ours' images. Filled in once the graph gives each build's settings.
const DOCKER_CLI = '/usr/bin/docker';
const cliProject = (name) => join(WS, 'tools', 'cli', name, 'project.json');
for (const name of TEN) {
  mkdirSync(join(WS, 'tools', 'cli', name), { recursive: true });
  writeFileSync(cliProject(name), `${JSON.stringify({ name: `cli-${name}`, targets: { 'cli-build': { command: 'true' } } }, null, 2)}\n`);
}
linkTemplate(WS);
gitInit(WS);
log(
  `workspace ${WS}: base-cpu, tmdb, tmdb-nonce, ${TEN[0]}…${TEN.at(-1)} (images/ of the repo, repositories renamed acme/ -> nxig-bench/), floor (tools/floor), cli-tmdb-* (tools/cli)`,
);
// The daemon variants start Nx's daemon in the workspace: stopped at exit, whatever happens.
const DAEMON = { NX_DAEMON: 'true' };
process.on('exit', () =>
  spawnSync(join(WS, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], {
    cwd: WS,
    env: { ...process.env, ...NX_ENV, ...DAEMON },
    stdio: 'ignore',
  }),
);

// The parent, built once through Nx: writes the build record the command pins tmdb's parent from.
runNx(WS, ['run', 'base-cpu:docker-build', '--outputStyle=stream']);
const showProject = (name) => JSON.parse(runNx(WS, ['show', 'project', name, '--json']).stdout);
const projects = Object.fromEntries(['tmdb', 'tmdb-nonce', 'base-cpu', ...TEN].map((n) => [n, showProject(n)]));

// --- the plugin, as installed in the workspace ---------------------------------------------------
const requireWs = createRequire(join(WS, 'package.json'));
const pluginRequire = createRequire(requireWs.resolve('nx-image-graph'));
const buildBin = join(requireWs.resolve('nx-image-graph/package.json'), '..', 'bin', 'build.js');
const { readDockerignore } = requireWs('nx-image-graph/dist/inference/inputs/dockerignore');
const { listContextFiles } = requireWs('nx-image-graph/dist/build/context/context-files');
const { packContext } = requireWs('nx-image-graph/dist/build/context/context-tar');
const { engineAddress } = requireWs('nx-image-graph/dist/clients/engine/engine-client');
const Docker = pluginRequire('dockerode');
const dockerodeVersion = JSON.parse(readFileSync(join(pluginRequire.resolve('dockerode'), '..', '..', 'package.json'), 'utf8')).version;
process.chdir(WS); // Nx runs commands from the workspace root.

const targetOf = (name) => projects[name].targets['docker-build'];
// Inferred settings live in the target's metadata (graph/target-settings.ts); a command target's options are run-commands' own.
const ownOptions = (target) => (target.executor === 'nx:run-commands' ? {} : target.options);
const settingsOf = (target) => ({ ...target.metadata?.['nx-image-graph-settings'], ...ownOptions(target) });
const gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: WS, encoding: 'utf8' }).trim();

// The docker CLI build of each of the ten: the same Dockerfile, context and build args as ours' target.
const cliArgs = (name) => {
  const o = settingsOf(targetOf(name));
  return [
    'build',
    '-q',
    '-f',
    o.dockerfile,
    '-t',
    `${o.repository}:cli`,
    ...Object.entries(o.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    o.context,
  ];
};
const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
const cliCommand = (name) => `DOCKER_BUILDKIT=1 ${DOCKER_CLI} ${cliArgs(name).map(shellQuote).join(' ')} >/dev/null`;
for (const name of TEN) {
  writeFileSync(
    cliProject(name),
    `${JSON.stringify({ name: `cli-${name}`, targets: { 'cli-build': { command: cliCommand(name) } } }, null, 2)}\n`,
  );
}
execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qam', 'cli targets'], { cwd: WS });
const loopScript = join(BENCH_TMP, 'build', 'docker-loop.sh');
writeFileSync(loopScript, `#!/usr/bin/env bash\nset -euo pipefail\ncd ${shellQuote(WS)}\n${TEN.map(cliCommand).join('\n')}\n`);
// Every one of the ten built once by ours (so the next builds find the engine's image) and once by the CLI.
runNx(WS, ['run-many', '-t', 'docker-build', `--projects=${TEN.join(',')}`, '--outputStyle=stream']);
execFileSync('bash', [loopScript], { stdio: ['ignore', 'ignore', 'inherit'] });

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
      ? {
          labels: {
            'org.opencontainers.image.title': name,
            'org.opencontainers.image.created': new Date().toISOString(),
            'org.opencontainers.image.revision': gitSha,
          },
        }
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

/** nx-image-graph-build alone: the command of the target, started as Nx starts it (its NX_* task variables set). */
function viaCommand(name, buildArgs) {
  const args = Object.entries(buildArgs).map(([k, v]) => `--build-arg=${k}=${v}`);
  const r = spawnSync(process.execPath, [buildBin, ...args], {
    cwd: WS,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, NX_WORKSPACE_ROOT: WS, NX_TASK_TARGET_PROJECT: name, NX_TASK_TARGET_TARGET: 'docker-build' },
  });
  if (r.status !== 0) throw new Error(`nx-image-graph-build of ${name} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return readMetadata(name);
}

function viaNxRun(name, buildArgs, env = {}) {
  const args = [
    'run',
    `${name}:docker-build`,
    '--skip-nx-cache',
    '--exclude-task-dependencies',
    '--outputStyle=stream',
    ...Object.entries(buildArgs).map(([k, v]) => `--build-arg=${k}=${v}`),
  ];
  runNx(WS, args, env);
  return readMetadata(name);
}

/** Ten cached builds in one run: ours, the Nx command targets running the docker CLI, the sequential docker loop. */
function viaTen(kind) {
  if (kind === 'tenOurs')
    runNx(WS, [
      'run-many',
      '-t',
      'docker-build',
      `--projects=${TEN.join(',')}`,
      '--skip-nx-cache',
      '--exclude-task-dependencies',
      '--outputStyle=stream',
    ]);
  else if (kind === 'tenNxCli')
    runNx(WS, [
      'run-many',
      '-t',
      'cli-build',
      `--projects=${TEN.map((n) => `cli-${n}`).join(',')}`,
      '--skip-nx-cache',
      '--outputStyle=stream',
    ]);
  else execFileSync('bash', [loopScript], { stdio: ['ignore', 'ignore', 'inherit'] });
  return {};
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
const BUILDS = ['direct', 'directLabels', 'command', 'nxRun', 'nxRunDaemon'];
const FLOORS = ['floorCommand', 'floorCommandDaemon'];
const TENS = ['tenOurs', 'tenNxCli', 'tenLoop'];
const SCENARIOS = [
  {
    key: 'cached',
    project: 'tmdb',
    label: "cached (inputs unchanged: ours tags the engine's image of the same inputs; direct: every step in BuildKit's cache)",
    variants: [...BUILDS, ...FLOORS],
  },
  { key: 'nonce', project: 'tmdb-nonce', label: 'one step runs (`--build-arg NONCE=<new>`)', variants: BUILDS },
  { key: 'ten', label: 'ten cached builds in one run', variants: TENS },
];
const VARIANT_LABELS = {
  direct: '(a) direct Engine API build',
  directLabels: 'direct + OCI labels',
  command: '(b) `nx-image-graph-build` alone (as Nx starts it)',
  nxRun: '(c) `nx run … --skip-nx-cache`',
  nxRunDaemon: '(d) the same, Nx daemon on',
  floorCommand: 'Nx floor: `nx run floor:command` (`true` as a command target)',
  floorCommandDaemon: 'Nx floor: `nx run floor:command`, Nx daemon on',
  tenOurs: 'ours: `nx run-many -t docker-build` of the ten, `--skip-nx-cache`',
  tenNxCli: 'Nx command targets: `DOCKER_BUILDKIT=1 docker build` of the ten (same Nx, parallel 3)',
  tenLoop: 'sequential loop: `DOCKER_BUILDKIT=1 docker build` of the ten, one after the other',
};
let nonce = 0;
const argsFor = (s) => (s.key === 'nonce' ? { NONCE: `${process.pid}-${++nonce}` } : {});

async function once(variant, s) {
  const args = argsFor(s);
  const t = now();
  let info;
  if (variant === 'direct') info = { imageId: await direct(s.project, args) };
  else if (variant === 'directLabels') info = { imageId: await direct(s.project, args, { labels: true }) };
  else if (variant === 'command') info = viaCommand(s.project, args);
  else if (variant === 'nxRun') info = viaNxRun(s.project, args);
  else if (variant === 'nxRunDaemon') info = viaNxRun(s.project, args, DAEMON);
  else if (variant === 'floorCommand') info = viaFloor('command');
  else if (variant === 'floorCommandDaemon') info = viaFloor('command', DAEMON);
  else info = viaTen(variant);
  return { ms: now() - t, ...info };
}

const results = Object.fromEntries(SCENARIOS.map((s) => [s.key, Object.fromEntries(s.variants.map((v) => [v, []]))]));
const details = Object.fromEntries(
  SCENARIOS.map((s) => [s.key, { ids: Object.fromEntries(s.variants.map((v) => [v, new Set()])), steps: [] }]),
);

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
for (const s of SCENARIOS.filter((x) => x.key !== 'ten')) {
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
}
// Where an `nx run` of a cached build goes, from the paired floor runs of the same iteration.
const c = results.cached;
const minus = (a, b) => a.map((x, k) => x - b[k]);
const parts = [
  [
    "Nx running `true` as a command target (start-up, graph with this plugin, hashing, hooks, the command's process)",
    fmtMs(c.floorCommand),
    '',
  ],
  ['+ the build instead of `true` (`nx run` of the build, minus the floor)', fmtDelta(c.nxRun, c.floorCommand), ''],
  ['  the command alone, without Nx ((b): node start, graph read, engine lookup, tag, records)', fmtMs(c.command), ''],
  ["  the direct build ((a), every step in BuildKit's cache), for comparison", fmtMs(c.direct), ''],
  ['daemon on: Nx running `true` as a command target', fmtMs(c.floorCommandDaemon), ''],
  ['daemon on: + the build instead of `true`', fmtDelta(c.nxRunDaemon, c.floorCommandDaemon), ''],
];
const overFloor = median(minus(c.nxRun, c.floorCommand));
const overFloorDaemon = median(minus(c.nxRunDaemon, c.floorCommandDaemon));
verdicts.push(
  `- \`nx run\` of a fully cached build ≤ Nx's own \`true\` command + 150 ms: ${overFloor.toFixed(0)} ms over with the daemon off, ${overFloorDaemon.toFixed(0)} ms with it on (medians of paired differences): daemon off **${overFloor <= 150 ? 'met' : 'not met'}**, daemon on **${overFloorDaemon <= 150 ? 'met' : 'not met'}**.`,
);
const t = results.ten;
const tenRows = TENS.map((v) => [VARIANT_LABELS[v], fmtMs(t[v]), v === 'tenOurs' ? '' : fmtRatio(t.tenOurs, t[v], 2)]);
const rNxCli = median(t.tenOurs.map((x, k) => x / t.tenNxCli[k]));
const rLoop = median(t.tenOurs.map((x, k) => x / t.tenLoop[k]));
verdicts.push(
  `- ten cached builds in one \`run-many\` ≤ 0.9× the same ten as Nx command targets running \`docker build\`: ${rNxCli.toFixed(2)}× (median of paired ratios): **${rNxCli <= 0.9 ? 'met' : 'not met'}**.`,
  `- ten cached builds in one \`run-many\` ≤ 1.3× a sequential \`docker build\` loop: ${rLoop.toFixed(2)}×: **${rLoop <= 1.3 ? 'met' : 'not met'}**.`,
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
    'CPU busy with other work before each iteration (waited up to 15 s for < 25%)': busyLog
      .map((l) => (l === undefined ? '?' : `${(l * 100).toFixed(0)}%`))
      .join(', '),
    'wall time of the benchmark': `${((now() - started) / 1000).toFixed(0)} s`,
  }),
  '',
  "The image: `images/stages/cpu/tmdb` of the repo (FROM its parent `images/base/cpu`, `COPY app/`, one `RUN`), in a workspace of its own (tmp/bench/build/ws) with its repositories renamed `nxig-bench/*`. The parent is built once through Nx first, so the command pins it from its build record as in a real run. In the cached scenario the command finds the engine's image labelled with the same inputs and tags it (no BuildKit).",
  `Steps cached/total recorded by the command's builds: cached scenario ${stepsSeen('cached')}; one-step scenario ${stepsSeen('nonce')}. Distinct image ids over the measured builds, cached scenario: direct ${idsSeen('cached', 'direct')}, direct + labels ${idsSeen('cached', 'directLabels')}, command ${idsSeen('cached', 'command')}, nx run ${idsSeen('cached', 'nxRun')}, nx run with the daemon ${idsSeen('cached', 'nxRunDaemon')}.`,
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
  '### Ten cached builds in one run',
  '',
  `Ten copies of tmdb (\`ENV BENCH_COPY=<name>\` apart: ten images), each built before by ours and by the CLI; ms, median (min–max); ratio: ours ÷ that row, paired by iteration. The docker CLI is \`${DOCKER_CLI}\` with its own tag (\`:cli\`).`,
  '',
  markdownTable(['how', 'ms', 'ours ÷ this'], tenRows),
  '',
  '### Against the aims (issue 23)',
  '',
  ...verdicts,
].join('\n');

if (opts.write) writeResultsSection('build-overhead', section);
process.stdout.write(`${section}\n`);

#!/usr/bin/env node
// Benchmark (issue 23, item 6): the plugin's push of a large image against `docker push`. The engine
// pushes in both cases, so the plugin's should take as long (aim: at most 1.1x), and it should print
// progress while it runs, as `docker push` does.
//
//   node tools/bench/push.mjs [--reps=3] [--mb=1024] [--layers=4] [--write=true] [--keep-image=false] [--verbose=false]
//
// Builds once, with the plugin (`nx run push-big:docker-build`), an image FROM busybox:1.36 with
// `--layers` RUN layers of random (incompressible) data, `--mb` MB in all; no network. Then, per
// repetition, two pushes of it, interleaved (the order alternates), each to an EMPTY registry: a
// fresh `docker-registry` process with a fresh storage directory, on one free 127.0.0.1 port found
// at the start, stopped after the push:
//   nx run      `nx run push-big:docker-push --skip-nx-cache --exclude-task-dependencies` in a temp
//               workspace that installs the packed plugin (Nx start-up and graph included), one
//               reference (contentTag false), plus the push time the plugin itself reports
//   docker push `docker tag` + `docker push` of the same image to the same kind of registry (the tag
//               made for it is removed after)
// Besides the times: the progress lines each printed while pushing and the longest silence between
// two lines of output. Needs a Docker engine (tools/engine-up.sh is run first) and docker-registry.
// The image is tagged nxig-bench/push-big:latest and removed at the end (--keep-image keeps it).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  BENCH_TMP,
  waitForQuiet,
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
} from './lib/common.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { reps: 3, mb: 1024, layers: 4, write: true, keepImage: false, verbose: false });
if (!(opts.reps >= 1 && opts.mb >= 1 && opts.layers >= 1)) throw new Error('--reps, --mb and --layers must be positive numbers');
const REPOSITORY = 'nxig-bench/push-big';

// --- engine -----------------------------------------------------------------------------------
log('bringing up the engine (tools/engine-up.sh)');
const exports = execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  timeout: 15 * 60 * 1000,
});
for (const m of exports.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) process.env[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
prepareTemplate();
const machine = machineInfo();

/** A line without colours and without the `push-big: ` prefix Nx's stream output style puts on a task's lines. */
const clean = (text) => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/^push-big: /, '');

/** Runs a command, keeping each line of its output with the time it came (ms from the start). */
function runTimed(cmd, args, { cwd = REPO_ROOT, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const started = now();
    const lines = [];
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [child.stdout, child.stderr]) {
      let rest = '';
      s.on('data', (chunk) => {
        const parts = (rest + chunk.toString()).split(/\r?\n|\r/);
        rest = parts.pop();
        for (const text of parts) lines.push({ t: now() - started, text: clean(text) });
      });
      s.on('end', () => rest && lines.push({ t: now() - started, text: clean(rest) }));
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = now() - started;
      if (opts.verbose) for (const l of lines) log(`  ${(l.t / 1000).toFixed(1).padStart(6)} s  ${l.text}`);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${lines.map((l) => l.text).join('\n')}`));
      else resolve({ ms, lines });
    });
  });
}

/** The longest time without a line of output, from the start to the end of the run. */
function longestSilence({ ms, lines }, from = 0) {
  const times = [from, ...lines.map((l) => l.t).filter((t) => t >= from), ms];
  return Math.max(...times.slice(1).map((t, i) => t - times[i]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh, empty registry on `port` (new process, new storage), as tools/engine-up.sh starts its registries. */
async function startRegistry(port) {
  const dir = mkdtempSync(join(BENCH_TMP, 'push', 'registry-'));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const out = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', out, out] });
  const until = now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}); see ${join(dir, 'registry.log')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (now() > until) throw new Error(`docker-registry on 127.0.0.1:${port} did not answer in 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- workspace and image ----------------------------------------------------------------------
const port = await freePort();
const registry = `127.0.0.1:${port}`;
const WS = join(BENCH_TMP, 'push', 'ws');
removeWorkspace(WS);
rmSync(join(BENCH_TMP, 'push'), { recursive: true, force: true });
mkdirSync(join(WS, 'images', 'push-big'), { recursive: true });
const layerMb = Math.ceil(opts.mb / opts.layers);
const steps = Array.from({ length: opts.layers }, (_, i) => `RUN dd if=/dev/urandom of=/data-${i}.bin bs=1M count=${layerMb} 2>/dev/null`);
writeFileSync(join(WS, 'images', 'push-big', 'Dockerfile'), ['FROM busybox:1.36', ...steps, ''].join('\n'));
writeFileSync(
  join(WS, 'images', 'push-big', 'image.json'),
  `${JSON.stringify({ name: 'push-big', repository: REPOSITORY, registries: [registry], contentTag: false }, null, 2)}\n`,
);
writeFileSync(
  join(WS, 'nx.json'),
  `${JSON.stringify({ analytics: false, plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2)}\n`,
);
linkTemplate(WS);
gitInit(WS);
const nxBin = join(WS, 'node_modules', '.bin', 'nx');
const nxEnv = { ...NX_ENV, DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' };

log(`building ${REPOSITORY}:latest (${opts.layers} layers of ${layerMb} MB of random data) with nx run push-big:docker-build`);
const build = await runTimed(nxBin, ['run', 'push-big:docker-build', '--outputStyle=stream'], { cwd: WS, env: nxEnv });
const exportLine = build.lines.find((l) => /#\d+ exporting to image$/.test(l.text));
const exportDone = build.lines.find((l) => /#\d+ DONE [\d.]+s exporting to image$/.test(l.text));
log(`built in ${(build.ms / 1000).toFixed(1)} s; export ${exportDone ? exportDone.text.trim() : 'line not seen'}`);
const imageId = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${REPOSITORY}:latest`], { encoding: 'utf8' }).trim();
const imageBytes = Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', imageId], { encoding: 'utf8' }).trim());

// --- the pushes -------------------------------------------------------------------------------
const PROGRESS = /^ {2}push \S+: \d+\/\d+ layers, /;
const ours = [];
const theirs = [];
async function pushOurs() {
  const r = await runTimed(
    nxBin,
    ['run', 'push-big:docker-push', '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=stream'],
    { cwd: WS, env: nxEnv },
  );
  const done = r.lines.find((l) => /^✔ push-big: pushed /.test(l.text));
  const reported = done && /, ([\d.]+)s$/.exec(done.text);
  const firstPush = r.lines.find((l) => PROGRESS.test(l.text) || /^ {2}push \S+: done/.test(l.text));
  return {
    ms: r.ms,
    reportedMs: reported ? Number(reported[1]) * 1000 : NaN,
    progressLines: r.lines.filter((l) => PROGRESS.test(l.text)).length,
    silence: longestSilence(r),
    sample: [
      ...r.lines.filter((l) => PROGRESS.test(l.text)).slice(0, 2),
      ...r.lines.filter((l) => /^ {2}push \S+: done|layers: \d+ uploaded|^✔ push-big/.test(l.text)),
    ].map((l) => l.text.trim()),
    firstPushAt: firstPush?.t,
  };
}
async function pushDocker() {
  const reference = `${registry}/${REPOSITORY}:latest`;
  execFileSync('docker', ['tag', imageId, reference]);
  try {
    const r = await runTimed('docker', ['push', reference]);
    return { ms: r.ms, progressLines: r.lines.length, silence: longestSilence(r) };
  } finally {
    // Only the tag made for this push; the image keeps its own.
    execFileSync('docker', ['image', 'rm', '--no-prune', reference], { stdio: 'ignore' });
  }
}
async function withEmptyRegistry(push) {
  const reg = await startRegistry(port);
  try {
    return await push();
  } finally {
    await reg.stop();
  }
}

const busy = [];
for (let rep = 0; rep < opts.reps; rep++) {
  busy.push(waitForQuiet({ threshold: 0.5, maxMs: 15000 }));
  const order = rep % 2 === 0 ? ['ours', 'docker'] : ['docker', 'ours'];
  for (const which of order) {
    const r = await withEmptyRegistry(which === 'ours' ? pushOurs : pushDocker);
    (which === 'ours' ? ours : theirs).push(r);
    log(
      `rep ${rep + 1}/${opts.reps} ${which === 'ours' ? 'nx run docker-push' : 'docker push'}: ${(r.ms / 1000).toFixed(1)} s, ${r.progressLines} progress lines, longest silence ${(r.silence / 1000).toFixed(1)} s`,
    );
  }
}

if (!opts.keepImage) {
  execFileSync('docker', ['image', 'rm', `${REPOSITORY}:latest`], { stdio: 'ignore' });
  removeWorkspace(WS);
}
rmSync(join(BENCH_TMP, 'push'), { recursive: true, force: true });

// --- results ----------------------------------------------------------------------------------
const s = (xs) =>
  fmtMs(
    xs.map((x) => x / 1000),
    1,
  );
const rows = [
  [
    '`nx run push-big:docker-push` (wall, Nx start-up included)',
    s(ours.map((r) => r.ms)),
    fmtRatio(
      ours.map((r) => r.ms),
      theirs.map((r) => r.ms),
    ),
    ours.map((r) => r.progressLines).join(', '),
    s(ours.map((r) => r.silence)),
  ],
  [
    "the plugin's push as it reports it (its ✔ line)",
    s(ours.map((r) => r.reportedMs)),
    fmtRatio(
      ours.map((r) => r.reportedMs),
      theirs.map((r) => r.ms),
    ),
    '',
    '',
  ],
  ['`docker push`', s(theirs.map((r) => r.ms)), '1', theirs.map((r) => r.progressLines).join(', '), s(theirs.map((r) => r.silence))],
];
const load = busy.filter((b) => b !== undefined);
const body = [
  '## Push of a large image: the plugin against `docker push`',
  '',
  machineMarkdown(machine, {
    reps: opts.reps,
    image: `${opts.layers} layers of ${layerMb} MB of random data on busybox:1.36, ${(imageBytes / 1e9).toFixed(2)} GB`,
    'machine busy before each rep (share of CPU not idle)': load.length ? load.map((b) => b.toFixed(2)).join(', ') : 'unknown',
  }),
  '',
  `\`node tools/bench/push.mjs --reps=${opts.reps} --mb=${opts.mb} --layers=${opts.layers}\`: the image, built once with the plugin, pushed per repetition by each way in turn (order alternating), every push to an empty registry (a fresh docker-registry process and storage on 127.0.0.1). Seconds, median (min–max); ratios paired per repetition against \`docker push\`. Progress lines: the plugin's \`push <ref>: n/m layers, x of y\` lines; for \`docker push\`, every line it printed (through a pipe it prints one per layer event). Longest silence: the longest time without a line of output.`,
  '',
  markdownTable(['push', 'time (s)', 'ratio to docker push', 'progress lines per push', 'longest silence (s)'], rows),
  '',
  ...(load.length && median(load) > 0.5
    ? [
        'Other jobs shared the machine during this run (CPU busy before each repetition, above), so single pushes vary widely; the paired ratios are what to read.',
        '',
      ]
    : []),
  `The build printed \`${exportLine ? exportLine.text.trim() : '(no export line)'}\` at ${exportLine ? (exportLine.t / 1000).toFixed(1) : '?'} s and \`${exportDone ? exportDone.text.trim() : '(no DONE line)'}\` at ${exportDone ? (exportDone.t / 1000).toFixed(1) : '?'} s of its ${(build.ms / 1000).toFixed(1)} s.`,
  '',
  "The plugin's output of the last push (progress lines, first two; closing line; counts):",
  '',
  '```',
  ...ours[ours.length - 1].sample.map((l) => l.replaceAll(registry, '127.0.0.1:PORT')),
  '```',
].join('\n');
process.stdout.write(`${body}\n`);
log(`median ratio (nx run / docker push): ${median(ours.map((r, i) => r.ms / theirs[i].ms)).toFixed(2)}`);
if (opts.write) writeResultsSection('push', body);

#!/usr/bin/env node
// Profile: where the time of one `nx run <image>:docker-build` goes when the build's inputs are
// unchanged (the command finds the engine's image labelled with the same inputs and tags it), from
// the start of the build's command process (nx-image-graph-build, which Nx starts for the inferred
// target: no executor, no task process of Nx's) to its exit, and Nx's part around it. The image is
// the repo's images/stages/cpu/tmdb on its parent images/base/cpu, in a workspace of its own
// (repositories renamed nxig-prof/*). Each repetition runs
//   nx run tmdb:docker-build --skip-nx-cache --exclude-task-dependencies
// with lib/task-trace.cjs preloaded (NODE_OPTIONS=--require): in the command's process it records
// the requires (inclusive time of each heavy package and of the plugin's CLI module), child
// processes, HTTP requests to the engine and file writes, and the call of the CLI's main. One extra
// run with the inspector's sampling profiler gives the sampled CPU time of the command by package.
//
//   node tools/bench/task-profile.mjs [--reps=7] [--before=<package dir>] [--write=true]
//   (smoke run: --reps=2 --write=false, about a minute)
//
// `--before` names another build of the plugin (a package directory with its dist/): both are
// profiled side by side, interleaved, in workspaces of their own.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCH_TMP,
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
import { profileMarkdown, summariseProfile } from './lib/cpuprofile-summary.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { reps: 7, before: '', write: true });
const started = now();

log('bringing up the engine (tools/engine-up.sh)');
const exports = execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  timeout: 15 * 60 * 1000,
});
for (const m of exports.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) process.env[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');

// The systems profiled side by side: the plugin as built now, and (--before=<package dir>) another build of it.
const systems = [{ key: 'after', label: 'now', pluginDir: undefined, templateDir: undefined }];
if (opts.before)
  systems.unshift({ key: 'before', label: 'before', pluginDir: opts.before, templateDir: join(BENCH_TMP, 'template-before') });
for (const s of systems)
  s.digest = prepareTemplate({
    ...(s.pluginDir ? { pluginDir: s.pluginDir } : {}),
    ...(s.templateDir ? { templateDir: s.templateDir } : {}),
  }).digest;
const machine = machineInfo();
const DIR = join(BENCH_TMP, 'profile');
const preload = join(REPO_ROOT, 'tools', 'bench', 'lib', 'task-trace.cjs');
const ARGS = ['run', 'tmdb:docker-build', '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=stream'];
rmSync(DIR, { recursive: true, force: true });
for (const s of systems) {
  s.ws = join(DIR, s.key, 'ws');
  s.trace = join(DIR, s.key, 'trace');
  removeWorkspace(s.ws);
  mkdirSync(s.ws, { recursive: true });
  const copyImage = (from) => {
    cpSync(join(REPO_ROOT, from), join(s.ws, from), { recursive: true });
    for (const f of ['Dockerfile', 'image.json']) {
      const p = join(s.ws, from, f);
      try {
        writeFileSync(p, readFileSync(p, 'utf8').replaceAll('acme/', `nxig-prof-${s.key}/`));
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    }
  };
  for (const d of ['images/base/runtime', 'images/base/cpu', 'images/stages/cpu/tmdb']) copyImage(d);
  writeFileSync(join(s.ws, 'nx.json'), `${JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2)}\n`);
  writeFileSync(join(s.ws, '.gitignore'), 'node_modules\ndist\n.nx\n');
  linkTemplate(s.ws, s.templateDir);
  gitInit(s.ws);
  execFileSync('git', ['remote', 'add', 'origin', 'https://example.invalid/bench/profile.git'], { cwd: s.ws });
  runNx(s.ws, ['run', 'base-cpu:docker-build']);
  // Warm: tmdb's steps land in BuildKit's cache.
  runNx(s.ws, ['run', 'tmdb:docker-build', '--skip-nx-cache', '--exclude-task-dependencies']);
  s.runs = [];
}

const busy = [];
for (let i = 0; i < opts.reps; i++) {
  // Interleaved, the order rotated each repetition.
  for (const s of i % 2 ? [...systems].reverse() : systems) {
    const b = waitForQuiet({ maxMs: 15000 });
    if (b !== undefined) busy.push(`${Math.round(b * 100)}%`);
    rmSync(s.trace, { recursive: true, force: true });
    const r = runNx(s.ws, ARGS, { NXIG_TRACE_DIR: s.trace, NODE_OPTIONS: `--require=${preload}` });
    const files = readdirSync(s.trace).filter((f) => f.endsWith('.json'));
    if (files.length !== 1) throw new Error(`expected one trace of the build's command, found ${files.length}`);
    const trace = JSON.parse(readFileSync(join(s.trace, files[0]), 'utf8'));
    s.runs.push({ wallMs: r.ms, trace, stdout: r.stdout });
    log(`rep ${i + 1}/${opts.reps} ${s.key}: nx run ${Math.round(r.ms)} ms, command process ${Math.round(trace.exitAt)} ms`);
  }
}

// One more run each with V8's sampling profiler in the command's process (started by the preload through the inspector).
for (const s of systems) {
  rmSync(s.trace, { recursive: true, force: true });
  runNx(s.ws, ARGS, { NXIG_TRACE_DIR: s.trace, NXIG_TRACE_CPUPROF: '1', NODE_OPTIONS: `--require=${preload}` });
  const profileFile = readdirSync(s.trace).find((f) => f.endsWith('.cpuprofile'));
  s.cpu = profileFile ? summariseProfile(join(s.trace, profileFile), 10) : undefined;
}

// --- summary ------------------------------------------------------------------------------------
const fmt = (xs) => {
  const v = xs.filter((x) => x !== undefined && !Number.isNaN(x));
  return v.length ? `${Math.round(median(v))} (${Math.round(Math.min(...v))}–${Math.round(Math.max(...v))})` : '–';
};
const call = (tr) => tr.calls.find((c) => c.fn === 'cli/main' || c.fn.startsWith('build/')) ?? { start: NaN, ms: NaN };
// Plugin modules required from outside the plugin: by bin/build.js (the command), or by Nx (an executor).
const pluginRequires = (tr) => tr.requires.filter((q) => (q.from === 'bin' || q.from === 'nx') && q.module.startsWith('nx-image-graph/'));
const within = (tr, xs) => xs.filter((x) => x.start >= call(tr).start && x.start <= call(tr).start + call(tr).ms);
const sum = (xs, k = 'ms') => xs.reduce((a, x) => a + (x[k] ?? 0), 0);
// Requires during the call that no other recorded require encloses (so nested ones are not counted twice).
const outermost = (tr, xs) =>
  xs.filter((q) => !tr.requires.some((o) => o !== q && o.start <= q.start && o.start + o.ms >= q.start + q.ms && o.ms > q.ms));

const phases = [
  ['node start → preload (Node bootstrap)', (tr) => tr.preloadAt],
  ["preload → the plugin's CLI module required (bin/build.js)", (tr) => (pluginRequires(tr)[0]?.start ?? call(tr).start) - tr.preloadAt],
  ["the plugin's CLI module and its dependencies loaded", (tr) => sum(pluginRequires(tr))],
  ['→ main called', (tr) => call(tr).start - Math.max(tr.preloadAt, ...pluginRequires(tr).map((q) => q.start + q.ms))],
  ['main (graph node read, engine lookup, tag, records, output)', (tr) => call(tr).ms],
  ['  of which: modules required during the call', (tr) => sum(outermost(tr, within(tr, tr.requires)))],
  ['  of which: child processes (count)', (tr) => sum(within(tr, tr.children))],
  ['  of which: engine HTTP requests (count; summed)', (tr) => sum(within(tr, tr.http))],
  [
    '  of which: a build request (POST /build; 0 when the engine lookup answers)',
    (tr) => sum(within(tr, tr.http).filter((h) => h.path.endsWith('/build'))),
  ],
  ['  of which: file writes', (tr) => sum(within(tr, tr.writes))],
  ['main returned → process exit (output flushed)', (tr) => tr.exitAt - call(tr).start - call(tr).ms],
  ["**the command's process, start → exit**", (tr) => tr.exitAt],
];
const countOf = (s, what) => Math.round(median(s.runs.map((r) => within(r.trace, r.trace[what]).length)));
const phaseRows = phases.map(([name, f]) => [
  name
    .replace('(count)', `(${systems.map((s) => `${s.label}: ${countOf(s, 'children')}`).join(', ')})`)
    .replace('(count; summed)', `(${systems.map((s) => `${s.label}: ${countOf(s, 'http')}`).join(', ')}; summed)`),
  ...systems.map((s) => fmt(s.runs.map((r) => f(r.trace)))),
]);
phaseRows.push([
  "Nx around it (wall minus the command's process: start-up, graph, hashing, hooks, spawning the command)",
  ...systems.map((s) => fmt(s.runs.map((r) => r.wallMs - r.trace.exitAt))),
]);
phaseRows.push(['whole `nx run` (wall)', ...systems.map((s) => fmt(s.runs.map((r) => r.wallMs)))]);
if (systems.length === 2) {
  const [b, a] = systems;
  const d = a.runs.map((r, i) => b.runs[i].trace.exitAt - r.trace.exitAt);
  phaseRows.push(["the command's process: saved, paired by repetition", '', fmt(d)]);
}

const moduleRows = (s) => {
  const names = [...new Set(s.runs.flatMap((r) => r.trace.requires.map((q) => q.module)))];
  return names
    .map((m) => {
      const xs = s.runs.map((r) => r.trace.requires.find((q) => q.module === m));
      const first = xs.find(Boolean);
      return {
        row: [m, first.from === 'nx' ? 'Nx' : first.from, fmt(xs.map((x) => x?.ms))],
        ms: median(xs.filter(Boolean).map((x) => x.ms)),
      };
    })
    .filter((r) => r.ms >= 3)
    .sort((x, y) => y.ms - x.ms)
    .slice(0, 14)
    .map((r) => r.row);
};
const eventRows = (s) => {
  const last = s.runs[s.runs.length - 1].trace;
  const rel = (x) => Math.round(x.start - call(last).start);
  return [
    ...within(last, last.children).map((c) => ({ at: rel(c), what: `process: ${c.cmd}`, ms: c.ms })),
    ...within(last, last.http).map((h) => ({
      at: rel(h),
      what: `engine: ${h.method} ${h.path.replace(/^\/v[\d.]+/, '').replace(/sha256:[0-9a-f]{64}/, '<id>')}`,
      ms: h.ms,
    })),
    ...within(last, last.writes).map((w) => ({ at: rel(w), what: `${w.how} ${w.path.replace(/\.\d+\.tmp$/, '.<pid>.tmp')}`, ms: w.ms })),
  ]
    .sort((x, y) => x.at - y.at)
    .map((e) => [e.at, e.what, e.ms === undefined ? '–' : e.ms.toFixed(1)]);
};

const closing = (s) => (s.runs[0].stdout.split('\n').find((l) => l.includes('✔ tmdb')) ?? '').trim();
const body = `## Task profile (\`tools/bench/task-profile.mjs\`)

Rerun (engine up; it packs the plugin as built): \`node tools/bench/task-profile.mjs\`; with \`--before=<a package directory holding another build of the plugin>\` both are profiled side by side.

${machineMarkdown(machine, {
  date: new Date().toISOString(),
  'plugin tarballs': systems.map((s) => `${s.label} sha256 ${s.digest.slice(0, 12)}`).join(', '),
  repetitions: `${opts.reps} per system, interleaved, order alternated`,
  'CPU busy with other work before each repetition (waited up to 15 s for < 25%)': busy.join(', '),
  'load average at the end': readFileSync('/proc/loadavg', 'utf8').trim(),
  'wall time of the benchmark': `${Math.round((now() - started) / 1000)} s`,
})}

One \`nx run tmdb:docker-build --skip-nx-cache --exclude-task-dependencies\` (images/stages/cpu/tmdb on its parent base-cpu, every step in BuildKit's cache, a git remote set), each system in a workspace of its own, \`NX_DAEMON=false\`. The target is the inferred command (\`nx-image-graph-build\`, started by Nx in a process of its own); the build's inputs are unchanged, so the command finds the engine's image labelled with the same inputs and tags it. Measured inside the command's process by \`lib/task-trace.cjs\` (preloaded): requires, child processes, HTTP requests, file writes, the call of the CLI's \`main\`. ms, median (min–max).
${systems.map((s) => `Closing line, ${s.label}: \`${closing(s)}\``).join('  \n')}

${markdownTable(["phase of the command's process", ...systems.map((s) => `${s.label} ms`)], phaseRows)}

${systems
  .map(
    (s) => `### ${s.label}

Modules (inclusive time of their first require, ms; "bin": required by bin/build.js, otherwise the plugin module that required it):

${markdownTable(['module', 'required from', 'ms'], moduleRows(s))}

The call of \`main\`, event by event (last repetition; ms from the call's start; engine requests from sending to the end of the response):

${markdownTable(['at ms', 'what', 'ms'], eventRows(s))}
${s.cpu ? `\nThe command's CPU, sampled (one more run, every 200 µs):\n\n${profileMarkdown(s.cpu)}\n` : ''}`,
  )
  .join('\n')}`;

if (opts.write) {
  writeResultsSection('task-profile', body);
  log('wrote the task-profile section of tools/bench/RESULTS.md');
}
process.stdout.write(`${body}\n`);
for (const s of systems) removeWorkspace(s.ws);

#!/usr/bin/env node
// Profile: where the time of one `nx run <image>:docker-build` goes, when every step is in
// BuildKit's cache, from the task process's start to its exit. The image is the repo's
// images/stages/cpu/tmdb on its parent images/base/cpu, in a workspace of its own (repositories
// renamed nxig-prof/*). Each repetition runs
//   nx run tmdb:docker-build --skip-nx-cache --exclude-task-dependencies
// with lib/task-trace.cjs preloaded (NODE_OPTIONS=--require): in Nx's task process it records the
// requires (inclusive time of each heavy package and of the plugin's executor module), child
// processes, HTTP requests to the engine and file writes, and the executor call. One extra run
// with --cpu-prof gives the sampled CPU time of the task process by package.
//
//   node tools/bench/task-profile.mjs [--reps=7] [--label=after] [--write=true]
//
// `--label` names the RESULTS.md section (task-profile-<label>), so a "before" and an "after" run
// stand side by side.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_TMP, gitInit, linkTemplate, log, machineInfo, machineMarkdown, markdownTable, median, now, NX_ENV, parseArgs, prepareTemplate, removeWorkspace, REPO_ROOT, runNx, waitForQuiet } from './lib/common.mjs';
import { profileMarkdown, summariseProfile } from './lib/cpuprofile-summary.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { reps: 7, label: 'after', write: true });
const started = now();

log('bringing up the engine (tools/engine-up.sh)');
const exports = execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60 * 1000 });
for (const m of exports.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) process.env[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');

const { digest } = prepareTemplate();
const machine = machineInfo();
const DIR = join(BENCH_TMP, 'profile');
const WS = join(DIR, 'ws');
removeWorkspace(WS);
rmSync(DIR, { recursive: true, force: true });
mkdirSync(WS, { recursive: true });
const copyImage = (from) => {
  cpSync(join(REPO_ROOT, from), join(WS, from), { recursive: true });
  for (const f of ['Dockerfile', 'image.json']) {
    const p = join(WS, from, f);
    try {
      writeFileSync(p, readFileSync(p, 'utf8').replaceAll('acme/', 'nxig-prof/'));
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
};
for (const d of ['images/base/runtime', 'images/base/cpu', 'images/stages/cpu/tmdb']) copyImage(d);
writeFileSync(join(WS, 'nx.json'), `${JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2)}\n`);
writeFileSync(join(WS, '.gitignore'), 'node_modules\ndist\n.nx\n');
linkTemplate(WS);
gitInit(WS);
execFileSync('git', ['remote', 'add', 'origin', 'https://example.invalid/bench/profile.git'], { cwd: WS });
runNx(WS, ['run', 'base-cpu:docker-build']);
// Warm: tmdb's steps land in BuildKit's cache.
runNx(WS, ['run', 'tmdb:docker-build', '--skip-nx-cache', '--exclude-task-dependencies']);

const TRACE = join(DIR, 'trace');
const ARGS = ['run', 'tmdb:docker-build', '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=stream'];
const preload = join(REPO_ROOT, 'tools', 'bench', 'lib', 'task-trace.cjs');

const runs = [];
const busy = [];
for (let i = 0; i < opts.reps; i++) {
  const b = waitForQuiet({ maxMs: 15000 });
  if (b !== undefined) busy.push(`${Math.round(b * 100)}%`);
  rmSync(TRACE, { recursive: true, force: true });
  const r = runNx(WS, ARGS, { NXIG_TRACE_DIR: TRACE, NODE_OPTIONS: `--require=${preload}` });
  const files = readdirSync(TRACE).filter((f) => f.endsWith('.json'));
  if (files.length !== 1) throw new Error(`expected one task process trace, found ${files.length}`);
  const trace = JSON.parse(readFileSync(join(TRACE, files[0]), 'utf8'));
  runs.push({ wallMs: r.ms, trace, stdout: r.stdout });
  writeFileSync(join(DIR, `trace-${i + 1}.json`), JSON.stringify(trace));
  log(`rep ${i + 1}/${opts.reps}: nx run ${Math.round(r.ms)} ms, task process ${Math.round(trace.exitAt)} ms`);
}

// One run with V8's sampling profiler in every process; the task process's profile is the one with the executor in it.
rmSync(TRACE, { recursive: true, force: true });
runNx(WS, ARGS, { NXIG_TRACE_DIR: TRACE, NXIG_TRACE_CPUPROF: '1', NODE_OPTIONS: `--require=${preload}` });
const profileFile = readdirSync(TRACE).find((f) => f.endsWith('.cpuprofile'));
const cpu = profileFile ? summariseProfile(join(TRACE, profileFile), 14) : undefined;

// --- summary ------------------------------------------------------------------------------------
const med = (f) => median(runs.map((r) => f(r.trace)));
const fmt = (xs) => {
  const v = xs.filter((x) => x !== undefined);
  return v.length ? `${Math.round(median(v))} (${Math.round(Math.min(...v))}–${Math.round(Math.max(...v))})` : '–';
};
const col = (f) => fmt(runs.map((r) => f(r.trace)));
const call = (tr) => tr.calls.find((c) => c.fn.startsWith('build/')) ?? { start: NaN, ms: NaN };
const pluginRequires = (tr) => tr.requires.filter((q) => q.from === 'nx' && q.module.startsWith('nx-image-graph/'));
const within = (tr, xs) => xs.filter((x) => x.start >= call(tr).start && x.start <= call(tr).start + call(tr).ms);
const sum = (xs, k = 'ms') => xs.reduce((a, x) => a + (x[k] ?? 0), 0);

const phases = [
  ['node start → preload (Node bootstrap)', (tr) => tr.preloadAt],
  ['preload → plugin executor required (Nx\'s run-executor: nx modules, workspace, project graph read)', (tr) => (pluginRequires(tr)[0]?.start ?? call(tr).start) - tr.preloadAt],
  ['plugin modules loaded (inclusive)', (tr) => sum(pluginRequires(tr))],
  ['plugin required → executor called (Nx)', (tr) => call(tr).start - Math.max(...pluginRequires(tr).map((q) => q.start + q.ms), tr.preloadAt)],
  ['executor call', (tr) => call(tr).ms],
  ['  of which: modules required lazily during the call', (tr) => sum(within(tr, tr.requires.filter((q) => q.from !== 'nx' || !q.module.startsWith('nx-image-graph/executors'))).filter((q) => !tr.requires.some((o) => o !== q && o.start < q.start && o.start + o.ms > q.start + q.ms)))],
  ['  of which: child processes (sync, count)', (tr) => sum(within(tr, tr.children))],
  ['  of which: engine HTTP requests (sum, overlapping)', (tr) => sum(within(tr, tr.http))],
  ['  of which: file writes', (tr) => sum(within(tr, tr.writes))],
  ['executor returned → process exit (Nx)', (tr) => tr.exitAt - call(tr).start - call(tr).ms],
  ['task process, start → exit', (tr) => tr.exitAt],
];
const counts = (tr) => ({ children: within(tr, tr.children).length, http: within(tr, tr.http).length, writes: within(tr, tr.writes).length });
const c0 = counts(runs[0].trace);
const phaseRows = phases.map(([name, f]) => [name.replace('(sync, count)', `(${c0.children})`).replace('(sum, overlapping)', `(${c0.http}, summed)`), col(f)]);
phaseRows.push(['whole `nx run` (wall, for information)', fmt(runs.map((r) => r.wallMs))]);

// Heavy modules: inclusive time of their first require, wherever it happened (median over runs).
const moduleNames = [...new Set(runs.flatMap((r) => r.trace.requires.map((q) => q.module)))];
const moduleRows = moduleNames
  .map((m) => {
    const xs = runs.map((r) => r.trace.requires.find((q) => q.module === m));
    const first = xs.find(Boolean);
    return [m, first.from === 'nx' ? 'Nx' : first.from, fmt(xs.map((x) => x?.ms)), xs.every((x) => x && x.start >= call(runs[0].trace).start) ? 'during the call' : 'at load'];
  })
  .filter((r) => Number(r[2].split(' ')[0]) >= 2)
  .sort((a, b) => Number(b[2].split(' ')[0]) - Number(a[2].split(' ')[0]));

const last = runs[runs.length - 1].trace;
const rel = (x) => Math.round(x.start - call(last).start);
const events = [
  ...last.children.map((c) => ({ at: rel(c), what: `process: ${c.cmd}`, ms: c.ms })),
  ...last.http.map((h) => ({ at: rel(h), what: `engine: ${h.method} ${h.path.replace(/^\/v[\d.]+/, '')}`, ms: h.ms })),
  ...last.writes.map((w) => ({ at: rel(w), what: `${w.how} ${w.path}`, ms: w.ms })),
].sort((a, b) => a.at - b.at);

const closing = runs[0].stdout.split('\n').find((l) => l.includes('✔ tmdb')) ?? '';
const body = `## Task profile, ${opts.label} (\`tools/bench/task-profile.mjs --label=${opts.label}\`)

Rerun: \`node tools/bench/task-profile.mjs --label=${opts.label}\` (engine up; it packs the plugin as built).

${machineMarkdown(machine, {
  date: new Date().toISOString(),
  'plugin tarball': `sha256 ${digest.slice(0, 12)}`,
  repetitions: opts.reps,
  'CPU busy with other work before each repetition (waited up to 15 s for < 25%)': busy.join(', '),
  'load average at the end': execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim(),
  'wall time of the benchmark': `${Math.round((now() - started) / 1000)} s`,
})}

One \`nx run tmdb:docker-build --skip-nx-cache --exclude-task-dependencies\` (images/stages/cpu/tmdb on its parent base-cpu, every step in BuildKit's cache, a git remote set) in a workspace of its own, \`NX_DAEMON=false\`. Measured inside Nx's task process by \`lib/task-trace.cjs\` (preloaded). ms, median (min–max) over the repetitions. Its closing line: \`${closing.trim()}\`

| phase of the task process | ms |
| --- | --- |
${phaseRows.map((r) => `| ${r[0]} | ${r[1]} |`).join('\n')}

Modules (inclusive time of the first require; "Nx": required by Nx's run-executor, otherwise by the plugin module named):

${markdownTable(['module', 'required from', 'ms', 'when'], moduleRows.slice(0, 16))}

The executor call, event by event (last repetition; ms from the call's start; engine requests from send to the end of the response):

${markdownTable(['at ms', 'what', 'ms'], events.map((e) => [e.at, e.what, e.ms === undefined ? '–' : e.ms.toFixed(1)]))}
${cpu ? `\nThe task process's CPU, sampled (one more run with \`--cpu-prof\`, every 200 µs):\n\n${profileMarkdown(cpu)}\n` : ''}`;

if (opts.write) {
  writeResultsSection(`task-profile-${opts.label}`, body);
  log(`wrote the task-profile-${opts.label} section of tools/bench/RESULTS.md`);
}
process.stdout.write(`${body}\n`);
removeWorkspace(WS);

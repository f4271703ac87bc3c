#!/usr/bin/env node
// Benchmark (research for issue 23's item 5): what the plugin's run hooks cost a no-op run.
//
//   node tools/bench/run-hooks.mjs [--reps=9] [--write=true]
//
// Nx 24 loads the plugins' workers for a run only when a plugin registers preTasksExecution or
// postTasksExecution (nx/src/project-graph/plugins/tasks-execution-hooks.js, knownThatNoPluginRegisters).
// The example graph (images/ at HEAD, without linnaeus) in two workspaces: the plugin as built now,
// and the same package with its index exporting no hooks (no base-id variables: the builds hash
// those env inputs as unset; no run summary). After one run that fills Nx's cache, `nx run-many -t
// docker-build` with every task a cache hit, daemon off and on (in that order, each mode with the two
// plugins alternated, the order flipped every repetition). Results (median, min–max, paired differences) go to the "run-hooks" section.
// Why the daemon-on difference is the larger: with the daemon on the hooks run in the daemon's worker
// of the plugin, and Nx (isolation/plugin-lifecycle-manager.js) stops that worker when its last
// registered phase, postTasksExecution, ends; the next run's preTasksExecution starts a new one
// (node, Nx's worker code, the plugin's module) before the hook runs. With the daemon off the run's
// own worker, already up for the graph, runs them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleGraphWorkspace,
  BENCH_TMP,
  fmtDelta,
  fmtMs,
  log,
  machineInfo,
  machineMarkdown,
  markdownTable,
  now,
  parseArgs,
  prepareTemplate,
  TEMPLATE_DIR,
} from './lib/common.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { reps: 9, write: true });
prepareTemplate();
const machine = machineInfo();
const ROOT = join(BENCH_TMP, 'run-hooks');

// The package without hooks: a copy of the template install whose index exports createNodes only.
const noHooks = join(ROOT, 'template-no-hooks');
rmSync(noHooks, { recursive: true, force: true });
mkdirSync(noHooks, { recursive: true });
execFileSync('cp', ['-a', join(TEMPLATE_DIR, 'node_modules'), join(noHooks, 'node_modules')]);
const index = join(noHooks, 'node_modules', 'nx-image-graph', 'dist', 'index.js');
const text = readFileSync(index, 'utf8');
if (!/postTasksExecution/.test(text)) throw new Error(`${index} exports no hooks: the plugin changed, update this bench`);
writeFileSync(
  index,
  `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nconst plugin = require("./plugins/plugin");\nexports.createNodes = plugin.createNodes;\nexports.createNodesV2 = plugin.createNodesV2;\n`,
);

function workspace(name, owner, modules) {
  return exampleGraphWorkspace(join(ROOT, name), owner, { nodeModules: modules });
}

const WS = {
  hooks: workspace('hooks', 'benchhook', join(TEMPLATE_DIR, 'node_modules')),
  'no hooks': workspace('no-hooks', 'benchnohook', join(noHooks, 'node_modules')),
};
const env = (dir, daemon) => ({
  ...process.env,
  NX_DAEMON: String(daemon),
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NX_CACHE_DIRECTORY: join(dir, '.nx', 'cache'),
  NX_WORKSPACE_DATA_DIRECTORY: join(dir, '.nx', 'workspace-data'),
});
function nx(dir, daemon, args) {
  const start = now();
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'nx'), args, {
    cwd: dir,
    env: env(dir, daemon),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} failed in ${dir}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  return { ms: now() - start, out: r.stdout };
}

log('filling the caches');
let tasks = 0;
for (const dir of Object.values(WS)) {
  nx(dir, false, ['run-many', '-t', 'docker-build']);
  const second = nx(dir, false, ['run-many', '-t', 'docker-build']).out;
  tasks = Number(/(\d+)\/(\d+) hit/.exec(second)?.[2] ?? 0);
  if (!/(\d+)\/\1 hit/.test(second)) throw new Error(`${dir}: the second run was not all cache hits`);
}
// Daemon off, then daemon on, each with the two plugins alternated: a run without the daemon rewrites
// the graph file, which the daemon then writes again on its next run (writeCacheIfStale), so the
// two modes are not mixed in one workspace.
const t = {};
for (const d of [false, true]) {
  if (d) for (const dir of Object.values(WS)) nx(dir, true, ['run-many', '-t', 'docker-build']);
  const order = ['hooks', 'no hooks'];
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const w of rep % 2 ? [...order].reverse() : order) {
      const { ms, out } = nx(WS[w], d, ['run-many', '-t', 'docker-build']);
      if (!new RegExp(`${tasks}/${tasks} hit`).test(out)) throw new Error(`${w}, daemon ${d}: not every task a cache hit`);
      (t[`${w}|${d}`] ??= []).push(ms);
    }
  }
}
for (const dir of Object.values(WS))
  spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], { cwd: dir, env: env(dir, true) });

const rows = [false, true].flatMap((d) => [
  [`daemon ${d ? 'on' : 'off'}`, 'hooks (as shipped)', fmtMs(t[`hooks|${d}`]), ''],
  [`daemon ${d ? 'on' : 'off'}`, 'no hooks', fmtMs(t[`no hooks|${d}`]), fmtDelta(t[`no hooks|${d}`], t[`hooks|${d}`])],
]);
const section = [
  '## Run hooks: what preTasksExecution and postTasksExecution cost a no-op run',
  '',
  machineMarkdown(machine, { reps: opts.reps, tasks }),
  '',
  `\`node tools/bench/run-hooks.mjs --reps=${opts.reps}\`: the example graph, \`nx run-many -t docker-build\` with every one of its ${tasks} tasks a cache hit, the plugin as built now against the same package whose index exports no hooks (Nx then loads no plugin worker for the run); daemon off, then daemon on, the two plugins alternated in each. ms, median (min–max); the difference to the hooks paired per repetition.`,
  '',
  markdownTable(['daemon', 'plugin', 'no-op run (ms)', 'difference'], rows),
].join('\n');
if (opts.write) writeResultsSection('run-hooks', section);
process.stdout.write(`${section}\n`);

#!/usr/bin/env node
// Benchmark: does Nx's batch mode still pay, now that builds are commands Nx runs from its own process?
//
//   node tools/bench/batch-mode.mjs [--reps=3] [--write=true]
//
// The example graph (images/ at HEAD, without linnaeus) in two workspaces with the plugin as built now:
//   commands   the inferred targets as they are (nx:run-commands, nx-image-graph-build)
//   executor   the same builds as nx-image-graph:build executor targets (the plugin option
//              "buildTargets": "executor"), run as Nx runs executors: a task process each, or with
//              NX_BATCH_MODE=true every build of the run in one process (executors.json batchImplementation)
// Scenarios, `nx run-many -t docker-build`, each system once per repetition, the order rotated:
//   cold, images kept     Nx's cache and dist/ removed, the images left in the engine: every build is a
//                         lookup (the image of the same inputs; no BuildKit)
//   cold, images removed  Nx's cache, dist/ and the images removed, BuildKit's layer cache warm: every
//                         build goes to BuildKit, every step cached
// Results (median and min–max, ratios paired per repetition) go to the "batch-mode" section of RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import {
  exampleGraphWorkspace,
  BENCH_TMP,
  fmtMs,
  fmtRatio,
  log,
  machineInfo,
  machineMarkdown,
  markdownTable,
  NX_ENV,
  now,
  parseArgs,
  prepareTemplate,
} from './lib/common.mjs';
import { writeResultsSection } from './lib/results.mjs';

const opts = parseArgs(process.argv.slice(2), { reps: 3, write: true });
prepareTemplate();
const machine = machineInfo();
const ROOT = join(BENCH_TMP, 'batch-mode');
const OWNERS = { commands: 'benchbatc', executor: 'benchbate' };
const SOCKET = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');

function engine(method, path) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body ? JSON.parse(body) : undefined));
    });
    req.on('error', reject);
    req.end();
  });
}
async function removeImages(owner) {
  for (const image of await engine('GET', '/images/json')) {
    if ((image.RepoTags ?? []).some((t) => t.startsWith(`${owner}/`))) await engine('DELETE', `/images/${image.Id}?force=1`);
  }
}

function workspace(name, owner) {
  return exampleGraphWorkspace(join(ROOT, name), owner);
}

const env = (dir, extra = {}) => ({
  ...process.env,
  ...NX_ENV,
  NX_CACHE_DIRECTORY: join(dir, '.nx', 'cache'),
  NX_WORKSPACE_DATA_DIRECTORY: join(dir, '.nx', 'workspace-data'),
  ...extra,
});
function nx(dir, args, extra = {}) {
  const start = now();
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'nx'), args, {
    cwd: dir,
    env: env(dir, extra),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const ms = now() - start;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} failed in ${dir}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return { ms, out: r.stdout };
}

/** The workspace's build targets as executor targets, as a user asks for them (the plugin option "buildTargets": "executor"); returns their count. */
function toExecutorTargets(dir) {
  const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
  nxJson.plugins[0].options = { buildTargets: 'executor' };
  writeFileSync(join(dir, 'nx.json'), JSON.stringify(nxJson, null, 2));
  execFileSync('git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '-qam', 'executor targets'], {
    cwd: dir,
    stdio: 'ignore',
  });
  nx(dir, ['graph', '--file=graph.json']);
  const graph = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')).graph;
  rmSync(join(dir, 'graph.json'));
  return Object.values(graph.nodes).reduce(
    (n, node) => n + Object.values(node.data.targets ?? {}).filter((t) => t.executor === 'nx-image-graph:build').length,
    0,
  );
}

const commands = workspace('commands', OWNERS.commands);
const executor = workspace('executor', OWNERS.executor);
const builds = toExecutorTargets(executor);
log(`${builds} builds per workspace`);
for (const o of Object.values(OWNERS)) await removeImages(o);
log('warm-up');
nx(commands, ['run-many', '-t', 'docker-build']);
nx(executor, ['run-many', '-t', 'docker-build']);

const SYSTEMS = {
  commands: { dir: commands, owner: OWNERS.commands, extra: {} },
  'executor, batch': { dir: executor, owner: OWNERS.executor, extra: { NX_BATCH_MODE: 'true' } },
  executor: { dir: executor, owner: OWNERS.executor, extra: {} },
};
const SCENARIOS = ['cold, images kept', 'cold, images removed'];
const times = Object.fromEntries(SCENARIOS.map((s) => [s, Object.fromEntries(Object.keys(SYSTEMS).map((k) => [k, []]))]));
const names = Object.keys(SYSTEMS);
for (let rep = 0; rep < opts.reps; rep++) {
  for (const scenario of SCENARIOS) {
    for (const name of names.map((_, i) => names[(i + rep) % names.length])) {
      const s = SYSTEMS[name];
      rmSync(join(s.dir, '.nx'), { recursive: true, force: true });
      rmSync(join(s.dir, 'dist'), { recursive: true, force: true });
      if (scenario === 'cold, images removed') await removeImages(s.owner);
      const { ms, out } = nx(s.dir, ['run-many', '-t', 'docker-build', '--outputStyle=static'], s.extra);
      const lookups = (out.match(/engine: same inputs as/g) ?? []).length;
      times[scenario][name].push(ms);
      log(`${scenario} / ${name}: ${(ms / 1000).toFixed(2)} s (${lookups} lookups)`);
    }
  }
}
for (const o of Object.values(OWNERS)) await removeImages(o);

const rows = SCENARIOS.flatMap((scenario) =>
  names.map((name) => [
    scenario,
    name,
    fmtMs(times[scenario][name]),
    name === 'commands' ? '1' : fmtRatio(times[scenario][name], times[scenario].commands),
  ]),
);
const section = [
  '## Batch mode against builds as commands',
  '',
  machineMarkdown(machine, { reps: opts.reps, builds }),
  '',
  `\`node tools/bench/batch-mode.mjs --reps=${opts.reps}\`: the example graph (${builds} builds), \`nx run-many -t docker-build\`, daemon off, the plugin as built now in both workspaces. "commands" are the inferred targets; "executor" the same builds as \`nx-image-graph:build\` executor targets (the plugin option \`"buildTargets": "executor"\`), a task process each, or all in one process with \`NX_BATCH_MODE=true\`. "images kept": Nx's cache removed, every build a lookup of the image of its inputs; "images removed": every build goes to BuildKit, every step cached. ms, median (min–max); ratios to commands paired per repetition.`,
  '',
  markdownTable(['scenario', 'system', 'wall time (ms)', 'ratio to commands'], rows),
].join('\n');
if (opts.write) writeResultsSection('batch-mode', section);
process.stdout.write(`${section}\n`);

#!/usr/bin/env node
// Benchmark: what a build command pays to read its target's settings from the graph Nx already
// computed (project-graph.json in the workspace data directory), at the graph sizes of
// graph-inference.mjs (N image directories of the same synthetic workspaces).
//
//   node tools/bench/graph-read.mjs [--sizes=10,100,1000] [--reps=11] [--write=true]
//
// Per size: `nx show projects` writes the graph file once; then, interleaved, each in a fresh node
// process (the command is one), timed inside it from before the read to after:
//   node only     the process itself, for scale (`node -e 0`, timed from outside)
//   whole file    readFileSync + JSON.parse of the whole file, then the target (what Nx's
//                 readCachedProjectGraph does in a forked executor)
//   command       readGraphTarget of dist/cli/graph-target.js: the project's node cut out of the
//                 file as Nx lays it out and parsed alone (the whole file only for another layout)
// Results (median and min–max, ms) go to the "graph-read" section of tools/bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCH_TMP,
  fmtMs,
  gitInit,
  linkTemplate,
  log,
  machineInfo,
  machineMarkdown,
  markdownTable,
  NX_ENV,
  now,
  parseArgs,
  PLUGIN_PACKAGE,
  prepareTemplate,
  removeWorkspace,
} from './lib/common.mjs';
import { writeResultsSection } from './lib/results.mjs';
import { planWorkspace, writeWorkspace } from './lib/synthetic-workspace.mjs';

const opts = parseArgs(process.argv.slice(2), { sizes: '10,100,1000', reps: 11, write: true });
const sizes = opts.sizes.split(',').map(Number);
prepareTemplate();
const machine = machineInfo();
const reader = join(PLUGIN_PACKAGE, 'dist', 'cli', 'graph-target.js');

/** A fresh node process that times `body` (given `file`, `project`, `target`) and prints the ms. */
function timedInNode(body, args) {
  const script = `const t0 = performance.now(); ${body}; process.stdout.write(String(performance.now() - t0));`;
  const r = spawnSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout);
}
const WHOLE = `const [f, p, t] = process.argv.slice(1); const g = JSON.parse(require('fs').readFileSync(f, 'utf8')); if (!g.nodes[p].data.targets[t]) throw 0`;
const COMMAND = `const [r, p, t, root] = process.argv.slice(1); if (!require(r).readGraphTarget(root, p, t, {}).metadata) throw 0`;

const rows = [];
for (const n of sizes) {
  const dir = join(BENCH_TMP, 'graph-read', `n-${n}`);
  const plan = planWorkspace(n);
  removeWorkspace(dir);
  writeWorkspace(dir, plan, { plugin: true });
  linkTemplate(dir);
  gitInit(dir);
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
    cwd: dir,
    env: { ...process.env, ...NX_ENV },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`nx show projects failed in ${dir}:\n${r.stderr}`);
  const file = join(dir, '.nx', 'workspace-data', 'project-graph.json');
  // The last project: the fast path's search runs through the whole nodes object.
  const graph = JSON.parse(readFileSync(file, 'utf8'));
  const project = Object.keys(graph.nodes)
    .filter((p) => graph.nodes[p].data.targets?.['docker-build'])
    .at(-1);
  const target =
    graph.nodes[project].data.targets['docker-build'].executor === 'nx:noop'
      ? Object.keys(graph.nodes[project].data.targets).find((t) => t.startsWith('docker-build-'))
      : 'docker-build';
  const t = { node: [], whole: [], command: [] };
  for (let rep = 0; rep < opts.reps; rep++) {
    const order = rep % 2 ? ['command', 'whole', 'node'] : ['node', 'whole', 'command'];
    for (const kind of order) {
      if (kind === 'node') {
        const s = now();
        spawnSync(process.execPath, ['-e', '0']);
        t.node.push(now() - s);
      } else if (kind === 'whole') t.whole.push(timedInNode(WHOLE, [file, project, target]));
      else t.command.push(timedInNode(COMMAND, [reader, project, target, dir]));
    }
  }
  const mb = (statSync(file).size / 1e6).toFixed(2);
  log(`N=${n}: ${mb} MB; node ${fmtMs(t.node)}, whole ${fmtMs(t.whole, 1)}, command ${fmtMs(t.command, 1)}`);
  rows.push([String(n), String(Object.keys(graph.nodes).length), `${mb} MB`, fmtMs(t.node), fmtMs(t.whole, 1), fmtMs(t.command, 1)]);
}

const section = [
  '## Graph read: a build command reading its settings from project-graph.json',
  '',
  machineMarkdown(machine, { reps: opts.reps }),
  '',
  `\`node tools/bench/graph-read.mjs --sizes=${opts.sizes} --reps=${opts.reps}\`. The synthetic workspaces of graph-inference.mjs; per size, \`nx show projects\` writes the graph file, then each read runs in a fresh node process (a build command is one), timed inside it. "whole file" is what Nx's readCachedProjectGraph does in a forked executor; "command" is the plugin's reader (cli/graph-target.ts), which parses only the project's node. The project read is the last one in the file. ms, median (min–max).`,
  '',
  markdownTable(
    [
      'images (N)',
      'projects',
      'project-graph.json',
      'node -e 0 (whole process)',
      'whole file: read + JSON.parse',
      'command: node cut out + parse',
    ],
    rows,
  ),
].join('\n');
if (opts.write) writeResultsSection('graph-read', section);
process.stdout.write(`${section}\n`);

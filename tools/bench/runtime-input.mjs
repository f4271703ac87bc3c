#!/usr/bin/env node
// Benchmark (research for issue 23's item 5): an Nx `{ "runtime": "<cmd>" }` input per external base,
// a tiny node script asking the engine for the base's image id, as a replacement for the env
// variables the run hook sets today.
//
//   node tools/bench/runtime-input.mjs [--reps=11] [--write=true]
//
// A workspace of 10 cached `true` commands (no plugin): target `runtime` has, besides a file, a
// runtime input `node base-id.js <ref>` (7 tasks on busybox:1.36, 3 on debian:bookworm-slim: 2
// distinct commands); target `plain` has the file only. No-op `nx run-many`, daemon off then on,
// the two targets alternated. The script logs each run of it (process, parent, DOCKER_HOST), so the
// section also says how often Nx ran each command, in which process, with which environment.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
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

const opts = parseArgs(process.argv.slice(2), { reps: 11, write: true });
prepareTemplate();
const machine = machineInfo();
const dir = join(BENCH_TMP, 'runtime-input');
const probeLog = join(dir, 'probe.log');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
symlinkSync(join(TEMPLATE_DIR, 'node_modules'), join(dir, 'node_modules'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-runtime-input', private: true }));
writeFileSync(join(dir, 'nx.json'), JSON.stringify({ analytics: false }));
writeFileSync(
  join(dir, 'base-id.js'),
  `// The image id of an external base, from the engine; each run logged with its grandparent process and DOCKER_HOST.
const { request } = require('node:http');
const { appendFileSync, readFileSync } = require('node:fs');
const ref = process.argv[2];
let runner = '';
try {
  const stat = readFileSync('/proc/' + process.ppid + '/stat', 'utf8');
  runner = readFileSync('/proc/' + stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] + '/cmdline', 'utf8').split('\\0').join(' ');
} catch {}
appendFileSync(${JSON.stringify(probeLog)}, JSON.stringify({ ref, runner, dockerHost: process.env.DOCKER_HOST ?? null }) + '\\n');
const socket = (process.env.DOCKER_HOST || 'unix:///var/run/docker.sock').replace(/^unix:\\/\\//, '');
request({ socketPath: socket, path: '/images/' + encodeURIComponent(ref) + '/json' }, (res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => { let id = 'absent'; try { id = JSON.parse(body).Id ?? 'absent'; } catch {} process.stdout.write(ref + '=' + id + '\\n'); });
}).on('error', () => process.stdout.write(ref + '=no-engine\\n')).end();
`,
);
for (let i = 0; i < 10; i++) {
  const ref = i < 7 ? 'busybox:1.36' : 'debian:bookworm-slim';
  const file = '{projectRoot}/project.json';
  mkdirSync(join(dir, `p${i}`));
  writeFileSync(
    join(dir, `p${i}`, 'project.json'),
    JSON.stringify({
      name: `p${i}`,
      targets: {
        runtime: { command: 'true', cache: true, inputs: [file, { runtime: `node base-id.js ${ref}` }] },
        plain: { command: 'true', cache: true, inputs: [file] },
      },
    }),
  );
}
spawnSync('git', ['init', '-q'], { cwd: dir });

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const env = (daemon) => ({ ...process.env, NX_DAEMON: String(daemon), NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', DOCKER_HOST });
function nx(daemon, args) {
  rmSync(probeLog, { force: true });
  const start = now();
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'nx'), args, { cwd: dir, env: env(daemon), encoding: 'utf8' });
  const ms = now() - start;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  const probes = readFileSync(probeLog, { flag: 'a+' })
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { ms, out: r.stdout, probes };
}

const t = {};
const seen = {};
for (const daemon of [false, true]) {
  for (const target of ['runtime', 'plain']) nx(daemon, ['run-many', '-t', target]);
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const target of rep % 2 ? ['plain', 'runtime'] : ['runtime', 'plain']) {
      const { ms, out, probes } = nx(daemon, ['run-many', '-t', target]);
      if (!/10\/10 hit/.test(out)) throw new Error(`${target}, daemon ${daemon}: not every task a cache hit`);
      (t[`${target}|${daemon}`] ??= []).push(ms);
      if (target === 'runtime') (seen[daemon] ??= []).push(probes);
    }
  }
  if (daemon) spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], { cwd: dir, env: env(true) });
}
// Which environment a daemon-side run sees: the daemon started with this DOCKER_HOST, the client with another.
spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['daemon', '--start'], { cwd: dir, env: env(true) });
rmSync(probeLog, { force: true });
spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'runtime'], {
  cwd: dir,
  env: { ...env(true), DOCKER_HOST: 'tcp://127.0.0.1:9' },
});
const clientEnv = readFileSync(probeLog, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).dockerHost);
spawnSync(join(dir, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], { cwd: dir, env: env(true) });

const runnerOf = (probes) =>
  [
    ...new Set(
      probes
        .flat()
        .map((p) =>
          p.runner.includes('daemon/server/start')
            ? 'the daemon (nx/…/daemon/server/start.js)'
            : p.runner.includes('run-many')
              ? 'the nx process itself'
              : p.runner,
        ),
    ),
  ].join(', ');
const counts = (d) => seen[d].map((p) => p.length).join(', ');
const rows = [false, true].flatMap((d) => [
  [`daemon ${d ? 'on' : 'off'}`, 'file only', fmtMs(t[`plain|${d}`]), '', ''],
  [
    `daemon ${d ? 'on' : 'off'}`,
    'file + runtime input',
    fmtMs(t[`runtime|${d}`]),
    fmtDelta(t[`runtime|${d}`], t[`plain|${d}`]),
    `${counts(d)}; run by ${runnerOf(seen[d])}`,
  ],
]);
log(
  `client DOCKER_HOST tcp://127.0.0.1:9, daemon started with ${DOCKER_HOST}: the runtime command saw ${[...new Set(clientEnv)].join(', ')}`,
);
const section = [
  '## Runtime input per external base: what it would cost a no-op run',
  '',
  machineMarkdown(machine, { reps: opts.reps }),
  '',
  `\`node tools/bench/runtime-input.mjs --reps=${opts.reps}\`: 10 cached \`true\` commands, with and without a runtime input \`node base-id.js <ref>\` (the base's image id from the engine; 2 distinct commands over the 10 tasks), \`nx run-many\` with every task a cache hit, daemon off then on, the two targets alternated. ms, median (min–max); the difference paired per repetition. With the daemon started under DOCKER_HOST=${DOCKER_HOST} and a run under DOCKER_HOST=tcp://127.0.0.1:9, the command saw ${[...new Set(clientEnv)].join(', ')}: the run's environment, not the daemon's.`,
  '',
  markdownTable(['daemon', 'inputs', 'no-op run (ms)', 'difference', 'runs of the runtime commands per nx run'], rows),
].join('\n');
if (opts.write) writeResultsSection('runtime-input', section);
process.stdout.write(`${section}\n`);

// Child process of graph-inference.mjs: times the plugin alone, without Nx around it.
// Run with cwd = a benchmark workspace: loads the installed plugin from its node_modules,
// lists the files Nx would hand to createNodes, and calls the createNodes function directly,
// `calls` times in this one process. Prints one JSON line:
//   { devkitMs, requireMs, listMs, callsMs: [first, second, ...], cpuMs, perCall: [{ parses, readFileSync, ... }], projects, files, resultBytes }
// The first call of a fresh process is "cold" or "disk-warm" depending on whether the caller left
// the plugin's cache in .nx/cache; the second call is "memory-warm" (a long-lived Nx daemon).
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const workspaceRoot = process.cwd();
const calls = Number(process.argv[2] ?? 2);
// Optional: before call number `changeBefore` (1-based), append a line to the Dockerfile `changeFile`
// (what an edit does under a long-lived daemon: the in-memory cache holds every other Dockerfile).
const changeBefore = Number(process.argv[3] ?? 0);
const changeFile = process.argv[4];

// The names of the plugin's createNodes glob, restricted as nx.json restricts it (include: images/**).
const IMAGE_FILE =
  /^(Dockerfile|Containerfile|.+\.Dockerfile|.+\.Containerfile|Dockerfile\..+|Containerfile\..+|image\.json|.+\.image\.json)$/;

// @nx/devkit (nx's own modules) first, as in Nx's plugin worker, where nx is loaded before the plugin.
let t = now();
const requireFromWorkspace = createRequire(join(workspaceRoot, 'package.json'));
const requireFromPlugin = createRequire(requireFromWorkspace.resolve('nx-image-graph'));
requireFromPlugin('@nx/devkit');
const devkitMs = now() - t;
t = now();
const plugin = requireFromWorkspace('nx-image-graph');
const requireMs = now() - t;

t = now();
const files = [];
const walk = (rel) => {
  for (const e of readdirSync(join(workspaceRoot, rel), { withFileTypes: true })) {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) walk(p);
    else if (IMAGE_FILE.test(e.name)) files.push(p);
  }
};
walk('images');
files.sort();
const listMs = now() - t;

// Counters: Dockerfile parses (the plugin's cache should make them 0 when warm, 1 after one edit) and
// file-system calls, per createNodes call. Patched on the module objects, which the compiled plugin reads at call time.
const counts = { parses: 0, readFileSync: 0, existsSync: 0, statSync: 0, readdirSync: 0 };
const fs = requireFromPlugin('node:fs');
for (const name of ['readFileSync', 'existsSync', 'statSync', 'readdirSync']) {
  const original = fs[name];
  fs[name] = function (...args) {
    counts[name]++;
    return original.apply(this, args);
  };
}
try {
  const reader = requireFromPlugin('./dockerfile/read-dockerfile');
  const readDockerfile = reader.readDockerfile;
  reader.readDockerfile = (...args) => (counts.parses++, readDockerfile(...args));
} catch {
  counts.parses = NaN; // layout changed: no parse count
}
const perCall = [];

/**
 * What the daemon's file watcher does after an edit: tells Nx's in-process workspace context (its file
 * hashes, which a plugin may read through @nx/devkit) that the file changed. Without it a second call
 * in this process would see the old hashes. Nx internals: skipped where they do not exist.
 */
function tellNx(file) {
  try {
    requireFromPlugin('nx/src/utils/workspace-context').updateFilesInContext(workspaceRoot, [file], []);
  } catch {
    // Older or newer Nx without this function: nothing to tell.
  }
}

const [, createNodesFn] = plugin.createNodes;
const context = {
  workspaceRoot,
  nxJsonConfiguration: { plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] },
  configFiles: files,
};
const callsMs = [];
// CPU time of each call (user + system of this process): less sensitive than wall time to other load on the machine.
const cpuMs = [];
let projects = 0;
let resultBytes = 0;
// BENCH_PROFILE_DIR: a CPU profile of each call alone (call-<n>.cpuprofile), sampled every 200 µs.
const profileDir = process.env.BENCH_PROFILE_DIR;
let session;
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
if (profileDir) {
  const { Session } = await import('node:inspector');
  session = new Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
}
for (let i = 0; i < calls; i++) {
  if (changeFile && i + 1 === changeBefore) {
    appendFileSync(join(workspaceRoot, changeFile), `ENV BENCH_EDIT=${process.pid}-${i}\n`);
    tellNx(changeFile);
  }
  if (profileDir) await post('Profiler.start');
  for (const k of Object.keys(counts)) if (!Number.isNaN(counts[k])) counts[k] = 0;
  t = now();
  const cpu = process.cpuUsage();
  const results = await createNodesFn(files, undefined, context);
  callsMs.push(now() - t);
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000);
  perCall.push({ ...counts });
  if (profileDir) writeFileSync(join(profileDir, `call-${i + 1}.cpuprofile`), JSON.stringify((await post('Profiler.stop')).profile));
  projects = results.length;
  if (i === calls - 1) resultBytes = Buffer.byteLength(JSON.stringify(results));
}
process.stdout.write(
  `${JSON.stringify({ devkitMs, requireMs, listMs, callsMs, cpuMs, perCall, projects, files: files.length, resultBytes })}\n`,
);

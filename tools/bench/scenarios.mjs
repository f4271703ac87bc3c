#!/usr/bin/env node
// tools/bench/scenarios.mjs - scenario benchmarks of nx-image-graph on the example image graph,
// side by side with its baselines, in one run:
//
//   ours      nx-image-graph: `nx run-many -t docker-build`, `nx affected -t docker-build --base=HEAD~1`
//   build-all tools/bench/build-all.sh: the seed-003 kind of sequential, phase-ordered script
//             (docker CLI + BuildKit), which builds every image every time on a warm layer cache
//   @nx/docker Nx's official Docker plugin (23.2.1) in a workspace of the same shape
//   floor     Nx itself running a trivial cached target on the same task graph (no-op only)
//
// Scenarios: cold (Nx cache cold, layer cache warm), no-op, nx.json edited (every Nx hash moves, no
// build input does), one leaf changed (tmdb), the CPU base changed (base/cpu), "cold everything" (a
// nonce ahead of every step of both bases; --cold-everything-reps runs each,
// the order rotated), a real build (one image whose step runs apt-get install against the Debian
// mirror, seconds of work) and a push of every image to a fresh local registry (docker-registry).
// The "### Aims" table marks issue 23's aims (ratios of this run) met / not met.
// Each measurement records the wall time, the images the engine actually produced (image ids that
// changed under the system's repositories, and the engine's tag events), and for ours the outcome
// rows of dist/image-run-summary.json. Results go to the "## Scenarios" section of
// tools/bench/RESULTS.md, raw data to tmp/bench/scenarios/results.json.
//
// Usage: node tools/bench/scenarios.mjs [--reps=3] [--noop-reps=7] [--cold-everything=true] [--cold-everything-reps=3]
//                                       [--nx-docker=true] [--write=true] [--keep-images=false]
//                                       [--real-build=true] [--push=true] [--root-context=true]
//                                       [--only=cold,no-op,nx.json,leaf,base,root-context,cold-everything,real-build,push]
//        (--only runs just those scenarios after the warm-up; a smoke run, not for RESULTS.md:
//         --reps=1 --noop-reps=3 --cold-everything-reps=1 --write=false)
//        node tools/bench/scenarios.mjs --render-only   (re-render the section from results.json)
// About 17 minutes on a 2-core machine (--noop-reps=11) before the nx.json, real-build and push
// scenarios were added (they add about 1 minute per repetition).
// Everything it creates lives in tmp/bench/scenarios/ (git-ignored); the images it builds use the
// owners benchimg/, benchsh/, benchnxd/ (and benchz/ for the @nx/docker zero-config probe) and are
// removed at the end.
import { execFileSync, execSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/common.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = join(REPO, 'tmp', 'bench', 'scenarios');
const LOGS = join(ROOT, 'logs');
const RESULTS_MD = join(REPO, 'tools', 'bench', 'RESULTS.md');
const BUILD_ALL = join(REPO, 'tools', 'bench', 'build-all.sh');
const NX_VERSION = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies.nx;
const NX_DOCKER_VERSION = '23.2.1';
const REGISTRY_BIN = '/usr/bin/docker-registry'; // Debian's docker-registry (tools/engine-up.sh installs it)
const DOCKER_CLI = '/usr/bin/docker'; // Debian's docker.io 20.10 client: BuildKit built in
const OWNERS = { ours: 'benchimg', script: 'benchsh', nxd: 'benchnxd', floor: 'benchfloor', zero: 'benchz' };
const RUN_ID = Date.now().toString(36);
/** The summary note of a build the engine lookup answered (metadata/image-metadata.ts ENGINE_SAME_INPUTS). */
const ENGINE_SAME_INPUTS = 'engine: same inputs as';

// ------------------------------------------------------------------------------------------ options

const opts = parseArgs(process.argv.slice(2), {
  reps: 3,
  noopReps: 7,
  coldEverything: true,
  coldEverythingReps: 3,
  nxDocker: true,
  write: true,
  keepImages: false,
  renderOnly: false,
  rootContext: true,
  // Comma-separated scenario keys to run (the warm-up always runs); empty: all. For smoke runs.
  only: '',
  realBuild: true,
  push: true,
});
const SCENARIO_KEYS = ['cold', 'no-op', 'nx.json', 'leaf', 'base', 'root-context', 'cold-everything', 'real-build', 'push'];
const onlySet = new Set(
  opts.only
    ? String(opts.only)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : SCENARIO_KEYS,
);
for (const k of onlySet)
  if (!SCENARIO_KEYS.includes(k)) throw new Error(`--only: unknown scenario ${k} (known: ${SCENARIO_KEYS.join(', ')})`);
const want = (key) => onlySet.has(key);
if (
  opts.reps < 1 ||
  opts.reps > 10 ||
  opts.noopReps < 1 ||
  opts.noopReps > 20 ||
  opts.coldEverythingReps < 1 ||
  opts.coldEverythingReps > 5
) {
  throw new Error('--reps must be 1..10, --noop-reps 1..20 and --cold-everything-reps 1..5');
}

// ------------------------------------------------------------------------------------------ helpers

const t0 = Date.now();
function log(msg) {
  process.stderr.write(`[scenarios +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
function spread(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}
const sec = (ms) => (ms / 1000).toFixed(ms < 10000 ? 2 : 1);
function fmtTime(xs) {
  if (!xs.length) return 'n/a';
  const s = spread(xs);
  return `${sec(s.median)} s (${sec(s.min)}–${sec(s.max)})`;
}
function fmtCount(xs) {
  if (!xs.length) return 'n/a';
  const s = spread(xs);
  return s.min === s.max ? String(s.min) : `${s.median} (${s.min}–${s.max})`;
}
/** Paired ratio a[i]/b[i] as "x.xx× (min–max)". */
function fmtRatio(as, bs) {
  const n = Math.min(as.length, bs.length);
  if (!n) return 'n/a';
  const r = [];
  for (let i = 0; i < n; i++) r.push(as[i] / bs[i]);
  const s = spread(r);
  const f = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return `${f(s.median)}× (${f(s.min)}–${f(s.max)})`;
}

// ------------------------------------------------------------------------------------ engine (API)

const SOCKET = (() => {
  const h = process.env.DOCKER_HOST;
  if (!h) return '/var/run/docker.sock';
  if (h.startsWith('unix://')) return h.slice('unix://'.length);
  throw new Error(`DOCKER_HOST=${h}: this benchmark talks to a local unix socket engine only`);
})();

function engine(method, path, { timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, path, method, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`engine ${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}
async function engineJson(method, path) {
  const r = await engine(method, path);
  if (r.status >= 300) throw new Error(`engine ${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body);
}

/** repo:tag (owner stripped) -> image id, for every tag under owner/. */
async function imagesOf(owner) {
  const list = await engineJson('GET', '/images/json');
  const out = new Map();
  for (const img of list) {
    for (const t of img.RepoTags ?? []) {
      if (t.startsWith(`${owner}/`)) out.set(t.slice(owner.length + 1), img.Id);
    }
  }
  return out;
}

/** Distinct images the engine tagged under owner/ between two instants (seconds, fractional). */
async function tagEvents(owner, since, until) {
  const filters = encodeURIComponent(JSON.stringify({ type: ['image'], event: ['tag'] }));
  const r = await engine('GET', `/events?since=${since.toFixed(3)}&until=${until.toFixed(3)}&filters=${filters}`);
  const ids = new Map();
  for (const line of r.body.split('\n')) {
    if (!line.trim()) continue;
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    const name = e.Actor?.Attributes?.name ?? '';
    const bare = name.replace(/^docker\.io\//, '');
    if (bare.startsWith(`${owner}/`)) ids.set(bare.slice(owner.length + 1), e.Actor.ID);
  }
  return ids; // tag -> id (one entry per tag the engine wrote)
}

const seenIds = new Set(); // every image id seen under a bench owner: removed at the end when dangling

async function removeOwnerImages(owner) {
  const imgs = await imagesOf(owner);
  for (const [tag, id] of imgs) {
    seenIds.add(id);
    await engine('DELETE', `/images/${encodeURIComponent(`${owner}/${tag}`)}`);
  }
  return imgs.size;
}

// ------------------------------------------------------------------------------------- processes

let logSeq = 0;
/** Runs a command to a log file; returns { ms, code, log }. */
function timed(label, cmd, args, { cwd, env, timeoutMs = 15 * 60000 }) {
  const file = join(LOGS, `${String(++logSeq).padStart(3, '0')}-${label.replace(/[^\w.-]+/g, '_')}.log`);
  writeFileSync(file, `$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
  const start = nowMs();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20, timeout: timeoutMs });
  const ms = nowMs() - start;
  appendFileSync(
    file,
    `${r.stdout ?? ''}\n--- stderr ---\n${r.stderr ?? ''}\n--- exit ${r.status} ${r.signal ?? ''} (${ms.toFixed(0)} ms)\n`,
  );
  return { ms, code: r.status ?? 1, log: file, out: `${r.stdout ?? ''}\n${r.stderr ?? ''}` };
}

function nxEnv(ws, extra = {}) {
  return {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: join(ws, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(ws, '.nx', 'workspace-data'),
    FORCE_COLOR: '0',
    ...extra,
  };
}
const nxBin = (ws) => join(ws, 'node_modules', '.bin', 'nx');

// ------------------------------------------------------------------------------------ workspaces

const WS = {
  ours: join(ROOT, 'ws-ours'),
  script: join(ROOT, 'ws-build-all'),
  nxd: join(ROOT, 'ws-nx-docker'),
  floor: join(ROOT, 'ws-floor'),
  zero: join(ROOT, 'ws-nx-docker-zero'),
  zeroBoth: join(ROOT, 'ws-nx-docker-zero-both'),
  rootctx: join(ROOT, 'ws-root-context'),
};
const DEPS = { ours: join(ROOT, 'deps-ours'), nxd: join(ROOT, 'deps-nx-docker') };

function installDeps(dir, devDependencies, extraFiles = {}) {
  const stamp =
    JSON.stringify(devDependencies) +
    Object.values(extraFiles)
      .map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'))
      .join();
  const stampFile = join(dir, '.stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(dir, 'node_modules', '.bin', 'nx')))
    return false;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, src] of Object.entries(extraFiles)) writeFileSync(join(dir, name), readFileSync(src));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-deps', private: true, devDependencies }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stampFile, stamp);
  return true;
}

/** A fresh workspace: images/ of the repo at HEAD without linnaeus, owner rewritten, git committed. */
function makeWorkspace(ws, owner, { deps, nxJson, packageDeps, files = {} }) {
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  // From git HEAD, not the working tree: the example graph as committed (other work may be editing it).
  execSync(`git -C ${JSON.stringify(REPO)} archive HEAD images | tar -x -C ${JSON.stringify(ws)}`);
  rmSync(join(ws, 'images', 'linnaeus'), { recursive: true, force: true });
  for (const f of walk(join(ws, 'images'))) {
    const text = readFileSync(f, 'utf8');
    if (/\bacme\b/.test(text)) writeFileSync(f, text.replace(/\bacme\b/g, owner));
  }
  if (nxJson) writeFileSync(join(ws, 'nx.json'), JSON.stringify(nxJson, null, 2) + '\n');
  writeFileSync(
    join(ws, 'package.json'),
    JSON.stringify({ name: `bench-${owner}`, private: true, devDependencies: packageDeps ?? {} }, null, 2) + '\n',
  );
  writeFileSync(join(ws, '.gitignore'), 'node_modules\ndist\n.nx\n');
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, p)), { recursive: true });
    writeFileSync(join(ws, p), typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
  if (deps) symlinkSync(join(deps, 'node_modules'), join(ws, 'node_modules'));
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'example graph');
}
function git(ws, ...args) {
  return execFileSync('git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args], {
    cwd: ws,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Inserts a line right after the first FROM of a Dockerfile (every later step of that stage reruns). */
function insertAfterFrom(file, line) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => /^\s*from\s/i.test(l));
  if (i < 0) throw new Error(`${file}: no FROM`);
  lines.splice(i + 1, 0, line);
  writeFileSync(file, lines.join('\n'));
}

// ------------------------------------------------------------------------------------ the graph

/**
 * The build tasks of ours, read from its project graph: key (`asr:cpu`, the repository without
 * the owner plus the tag), task id, project, target, parents (keys). Tags here are `{variant}` or
 * literal.
 */
function readBuilds(ws) {
  const file = join(ROOT, 'graph.json');
  const r = spawnSync(nxBin(ws), ['graph', `--file=${file}`], { cwd: ws, env: nxEnv(ws), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nx graph failed in ${ws}:\n${r.stdout}\n${r.stderr}`);
  const graph = JSON.parse(readFileSync(file, 'utf8')).graph;
  const builds = [];
  const byMeta = new Map();
  for (const [name, node] of Object.entries(graph.nodes)) {
    for (const [target, cfg] of Object.entries(node.data.targets ?? {})) {
      if (!isBuild(cfg)) continue;
      // Inferred settings live in the target's metadata (graph/target-settings.ts); a hand-written target's options hold them.
      const o = { ...cfg.metadata?.['nx-image-graph-settings'], ...(cfg.executor === 'nx:run-commands' ? {} : cfg.options) };
      const tags = o.tags.map((t) => t.replace('{variant}', o.variant ?? ''));
      if (tags.some((t) => /[{}]/.test(t))) throw new Error(`unexpected tag template in ${name}:${target}: ${o.tags}`);
      const repo = o.repository.replace(/^[^/]+\//, '');
      const b = {
        key: `${repo}:${tags[0]}`,
        taskId: `${name}:${target}`,
        project: name,
        root: node.data.root,
        target,
        variant: o.variant,
        dockerfile: o.dockerfile,
        context: o.context,
        args: o.args ?? {},
        repo,
        tags,
        parentMeta: (o.parents ?? []).map((p) => p.metadataFile),
        cfg,
      };
      builds.push(b);
      byMeta.set(o.metadataFile, b);
    }
  }
  for (const b of builds) b.parents = b.parentMeta.map((m) => byMeta.get(m)?.key).filter(Boolean);
  return { builds, graph };
}

/** An image build target: the inferred command (nx-image-graph-build) or the executor. */
function isBuild(cfg) {
  return cfg.executor === 'nx-image-graph:build' || (cfg.executor === 'nx:run-commands' && cfg.options?.command === 'nx-image-graph-build');
}

function subtree(builds, rootKey) {
  const out = new Set([rootKey]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const b of builds) {
      if (!out.has(b.key) && b.parents.some((p) => out.has(p))) {
        out.add(b.key);
        grew = true;
      }
    }
  }
  return out;
}

/** project.json files of the floor workspace: the same tasks, deps, inputs and outputs, trivial commands. */
function floorProjectFiles(graph) {
  const files = {};
  for (const [name, node] of Object.entries(graph.nodes)) {
    const targets = {};
    for (const [target, cfg] of Object.entries(node.data.targets ?? {})) {
      if (isBuild(cfg)) {
        const out = cfg.outputs.map((o) => o.replace('{workspaceRoot}/', ''));
        targets[target] = {
          executor: 'nx:run-commands',
          cache: true,
          inputs: cfg.inputs.filter((i) => !(typeof i === 'object' && 'runtime' in i)),
          outputs: cfg.outputs,
          dependsOn: cfg.dependsOn,
          options: { command: `mkdir -p ${dirname(out[0])} && echo '{}' > ${out[0]} && echo ${name}-${target} > ${out[1]}` },
        };
      } else if (target === 'docker-build') {
        targets[target] = { executor: 'nx:noop', cache: true, inputs: [], outputs: [], dependsOn: cfg.dependsOn };
      }
    }
    const deps = [...new Set((graph.dependencies[name] ?? []).map((d) => d.target))].filter((d) => d !== name);
    files[join(node.data.root, 'project.json')] = {
      name,
      root: node.data.root,
      namedInputs: node.data.namedInputs ?? {},
      implicitDependencies: deps,
      targets,
    };
  }
  return files;
}

/**
 * project.json files that make @nx/docker build this graph at all: a name (it infers none), the
 * edges as implicitDependencies and `dependsOn: ^docker:build` (it infers none), the context
 * directory, Dockerfile, tags and build args (it builds `docker build .` in the Dockerfile's
 * directory, tagged with the path), and a configuration per extra variant (one target per project).
 * Generated from ours' graph: what a user would have to write by hand.
 */
function nxDockerProjectFiles(builds, owner) {
  const byProject = new Map();
  for (const b of builds) {
    if (!byProject.has(b.project)) byProject.set(b.project, []);
    byProject.get(b.project).push(b);
  }
  const keyToProject = new Map(builds.map((b) => [b.key, b.project]));
  const files = {};
  const variantProjects = [];
  for (const [project, bs] of byProject) {
    const argsOf = (b) => [
      `--tag ${owner}/${b.repo}:${b.tags[0]}`,
      `--file ${relative(b.context, b.dockerfile)}`,
      ...Object.entries(b.args).map(([k, v]) => `--build-arg ${k}=${String(v).replace(/\bbenchimg\//g, `${owner}/`)}`),
    ];
    const [first, ...rest] = bs;
    const target = { dependsOn: ['^docker:build'], options: { cwd: first.context, args: argsOf(first) } };
    if (rest.length) {
      variantProjects.push(project);
      target.configurations = Object.fromEntries(rest.map((b) => [b.variant, { args: argsOf(b) }]));
    }
    const deps = [...new Set(bs.flatMap((b) => b.parents.map((k) => keyToProject.get(k))))].filter((p) => p && p !== project);
    files[join(first.root, 'project.json')] = { name: project, implicitDependencies: deps, targets: { 'docker:build': target } };
  }
  const extraConfigs = [...new Set([...byProject.values()].flatMap((bs) => bs.slice(1).map((b) => b.variant)))];
  return { files, variantProjects, extraConfigs };
}

// ------------------------------------------------------------------------------------- measuring

const results = []; // { system, scenario, rep, command, ms, code, newImages: [...], tagged: [...], summaryBuilt, summaryCached, expected, ok, note }

/**
 * Measures one run of `fn` (which returns { ms, code, log } or an array of them for several
 * commands): wall time and what the engine did under the system's owner.
 */
async function measure(system, scenario, rep, command, fn, { expected, ws = WS.ours, keys } = {}) {
  const owner = OWNERS[system];
  const before = await imagesOf(owner);
  const since = Date.now() / 1000 - 0.05;
  if (system === 'ours') rmSync(join(ws, 'dist', 'image-run-summary.json'), { force: true });
  const runs = [].concat(fn());
  await sleep(250);
  const until = Date.now() / 1000;
  const after = await imagesOf(owner);
  for (const id of after.values()) seenIds.add(id);
  const tagged = await tagEvents(owner, since, until);
  for (const id of tagged.values()) seenIds.add(id);
  const newImages = [...after]
    .filter(([tag, id]) => before.get(tag) !== id)
    .map(([tag]) => tag)
    .sort();
  const r = {
    system,
    scenario,
    rep,
    command,
    ms: runs.reduce((a, x) => a + x.ms, 0),
    code: runs.find((x) => x.code !== 0)?.code ?? 0,
    logs: runs.map((x) => relative(REPO, x.log)),
    newImages,
    tagged: [...tagged.keys()].sort(),
    taggedIds: new Set(tagged.values()).size,
  };
  if (system === 'ours') {
    const f = join(ws, 'dist', 'image-run-summary.json');
    const rows = existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')).rows : [];
    const keyOf = new Map(keys ? Object.entries(keys) : state.builds.map((b) => [b.taskId, b.key]));
    // A "built" row whose note names the engine's image of the same inputs never reached BuildKit: it was tagged.
    const byLookup = (x) => x.outcome === 'built' && typeof x.note === 'string' && x.note.startsWith(ENGINE_SAME_INPUTS);
    r.summaryReused = rows
      .filter(byLookup)
      .map((x) => keyOf.get(x.task) ?? x.task)
      .sort();
    r.summaryBuilt = rows
      .filter((x) => x.outcome === 'built' && !byLookup(x))
      .map((x) => keyOf.get(x.task) ?? x.task)
      .sort();
    r.summaryCached = rows.filter((x) => x.outcome === 'local cache' || x.outcome === 'remote cache').length;
    r.summaryOther = rows
      .filter((x) => !['built', 'local cache', 'remote cache'].includes(x.outcome))
      .map((x) => `${x.image}: ${x.outcome}`);
    r.summaryAgrees = JSON.stringify(r.summaryBuilt) === JSON.stringify(newImages);
    // Where a build task's time goes: Nx's task time (summary) vs the engine build the plugin reports.
    r.taskSeconds = rows.filter((x) => x.outcome === 'built').reduce((a, x) => a + (x.seconds ?? 0), 0);
    const logText = runs.map((x) => readFileSync(x.log, 'utf8')).join('\n');
    // Only the images built in this run: a cache hit replays its original build's line.
    const builtNames = new Set(rows.filter((x) => x.outcome === 'built').map((x) => x.image));
    r.engineSeconds = [...logText.matchAll(/^✔ (.+?): [0-9a-f]{12} .*, (\d+(?:\.\d+)?)s$/gm)]
      .filter((m) => builtNames.has(m[1]))
      .reduce((a, m) => a + Number(m[2]), 0);
  }
  if (expected) {
    r.expected = [...expected].sort();
    r.exact = JSON.stringify(r.expected) === JSON.stringify(newImages);
  }
  results.push(r);
  const extra =
    system === 'ours'
      ? ` summary built ${r.summaryBuilt.length}${r.summaryReused.length ? ` + ${r.summaryReused.length} by engine lookup` : ''}${r.summaryAgrees ? '' : ' (DISAGREES)'}`
      : '';
  log(
    `${system.padEnd(6)} ${scenario.padEnd(22)} #${rep} ${sec(r.ms).padStart(6)} s  exit ${r.code}  new ${newImages.length}  tagged ${r.tagged.length}${extra}${
      expected ? (r.exact ? '  = expected' : `  != expected ${r.expected.length}`) : ''
    }`,
  );
  if (r.code !== 0) log(`  failed: see ${r.logs.join(', ')}`);
  return r;
}

// ---------------------------------------------------------------------------------------- systems

const state = {};

function oursRun(label, args, extraEnv = {}) {
  return timed(`ours-${label}`, nxBin(WS.ours), [...args, '--outputStyle=static'], { cwd: WS.ours, env: nxEnv(WS.ours, extraEnv) });
}
function scriptRun(label) {
  return timed(`build-all-${label}`, 'bash', [BUILD_ALL, join(WS.script, 'images'), OWNERS.script], {
    cwd: WS.script,
    env: { ...process.env, DOCKER_CLI },
  });
}
function nxdEnv() {
  // `docker build` through a CLI with BuildKit: the first docker in PATH here has no buildx.
  return nxEnv(WS.nxd, { PATH: `${join(ROOT, 'bin')}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' });
}
/** @nx/docker: one target per project, so the cpu variants need a second run with -c cpu. */
function nxdRun(label, mode) {
  const base = mode === 'affected' ? ['affected', '-t', 'docker:build', '--base=HEAD~1'] : ['run-many', '-t', 'docker:build'];
  const runs = [timed(`nxd-${label}-1`, nxBin(WS.nxd), [...base, '--outputStyle=static'], { cwd: WS.nxd, env: nxdEnv() })];
  for (const c of state.nxdExtraConfigs) {
    const sel = mode === 'affected' ? [`--exclude=${state.nxdNonVariant.join(',')}`] : [`--projects=${state.nxdVariantProjects.join(',')}`];
    runs.push(
      timed(`nxd-${label}-${c}`, nxBin(WS.nxd), [...base, '-c', c, ...sel, '--outputStyle=static'], { cwd: WS.nxd, env: nxdEnv() }),
    );
  }
  return runs;
}

/**
 * A Dockerfile whose context is the workspace root ("context": "../.." in image.json) and which
 * copies one small file, in a workspace whose root holds a real node_modules (nx and the plugin
 * installed: tens of thousands of files) and no .dockerignore. Ours sends what the Dockerfile reads;
 * the docker CLI (what build-all.sh and @nx/docker run, `docker build -f <Dockerfile> .` at the root,
 * BuildKit) is measured beside it. Layer cache warm; ours with --skip-nx-cache, so both really build.
 */
async function rootContextScenario() {
  log('scenario: build context at the repository root beside node_modules');
  const ws = WS.rootctx;
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(join(ws, 'images', 'rootctx'), { recursive: true });
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'images', 'rootctx', 'Dockerfile'), 'FROM busybox:1.36\nCOPY src/app.txt /app.txt\n');
  writeFileSync(
    join(ws, 'images', 'rootctx', 'image.json'),
    JSON.stringify({ name: 'rootctx', repository: `${OWNERS.ours}/rootctx`, context: '../..' }, null, 2) + '\n',
  );
  writeFileSync(join(ws, 'src', 'app.txt'), 'hello\n');
  writeFileSync(join(ws, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2) + '\n');
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'bench-rootctx', private: true }, null, 2) + '\n');
  writeFileSync(join(ws, '.gitignore'), 'node_modules\ndist\n.nx\n');
  // A real directory (hard links), not the symlink the other workspaces use: the CLI would send a symlink as one entry.
  execFileSync('cp', ['-al', join(DEPS.ours, 'node_modules'), join(ws, 'node_modules')]);
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'root context');
  let files = 0;
  for (const _ of walk(join(ws, 'node_modules'))) files++;
  state.rootctx = {
    nodeModulesFiles: files,
    nodeModulesMB: Number(execFileSync('du', ['-sm', '--apparent-size', join(ws, 'node_modules')], { encoding: 'utf8' }).split(/\s/)[0]),
  };
  const ours = (label) =>
    timed(`rootctx-ours-${label}`, nxBin(ws), ['run', 'rootctx:docker-build', '--skip-nx-cache', '--outputStyle=static'], {
      cwd: ws,
      env: nxEnv(ws),
    });
  const cli = (label) =>
    timed(
      `rootctx-cli-${label}`,
      DOCKER_CLI,
      ['build', '--progress=plain', '-f', 'images/rootctx/Dockerfile', '-t', `${OWNERS.script}/rootctx:latest`, '.'],
      { cwd: ws, env: { ...process.env, DOCKER_BUILDKIT: '1' } },
    );
  // Warm-up: both put the steps in the layer cache.
  ours('warm');
  cli('warm');
  for (let rep = 1; rep <= opts.reps; rep++) {
    for (const s of rep % 2 ? ['ours', 'script'] : ['script', 'ours']) {
      const r = await measure(
        s,
        'root context',
        rep,
        s === 'ours' ? 'nx run rootctx:docker-build --skip-nx-cache' : 'docker build -f images/rootctx/Dockerfile . (BuildKit)',
        () => (s === 'ours' ? ours(rep) : cli(rep)),
      );
      const text = readFileSync(join(REPO, r.logs[0]), 'utf8');
      r.contextSent =
        s === 'ours'
          ? /context (\d+ files [\d.]+ [kMG]B)/.exec(text)?.[1]
          : [...text.matchAll(/transferring context: ([\d.]+[kMG]?B)/g)].pop()?.[1];
    }
  }
}

/** A namedInput no target uses, with a nonce: every Nx hash moves (Nx hashes nx.json into each task), no build input does. */
function editNxJson(ws, nonce) {
  const file = join(ws, 'nx.json');
  const nx = JSON.parse(readFileSync(file, 'utf8'));
  nx.namedInputs = { ...nx.namedInputs, benchUnused: [`{projectRoot}/bench-unused-${nonce}`] };
  writeFileSync(file, JSON.stringify(nx, null, 2) + '\n');
  commit(ws, `nx.json ${nonce}`);
}

const REAL_PACKAGE = 'jq'; // small (three .debs, ~0.5 MB), as base:cuda installs it
/** The real-build image: Debian's mirror, apt-get update + install; the nonce line reruns both each time. */
function realDockerfile(nonce) {
  return `FROM debian:bookworm-slim\nENV BENCH_REV=${nonce}\nRUN apt-get update && apt-get install -y --no-install-recommends ${REAL_PACKAGE} && rm -rf /var/lib/apt/lists/*\n`;
}

/**
 * One image whose only step runs `apt-get update && apt-get install -y jq` against the Debian mirror,
 * a new nonce before it every build, so every build really runs it (seconds). Ours
 * (`nx run-many -t docker-build` in a one-image workspace), the docker CLI as build-all.sh runs each
 * image, and @nx/docker (one project.json): what share of a real build each one's overhead is.
 */
async function realBuildScenario(nxdOk) {
  log(`scenario: real build (apt-get install ${REAL_PACKAGE})`);
  const dirs = { ours: join(ROOT, 'ws-real-ours'), script: join(ROOT, 'ws-real-cli'), nxd: join(ROOT, 'ws-real-nx-docker') };
  const mk = (s, deps, nxJson, files) => {
    const ws = dirs[s];
    rmSync(ws, { recursive: true, force: true });
    mkdirSync(join(ws, 'images', 'realapt'), { recursive: true });
    writeFileSync(join(ws, 'images', 'realapt', 'Dockerfile'), realDockerfile(`${RUN_ID}-${s}-warm`));
    for (const [p, c] of Object.entries(files)) writeFileSync(join(ws, p), JSON.stringify(c, null, 2) + '\n');
    if (nxJson) writeFileSync(join(ws, 'nx.json'), JSON.stringify(nxJson, null, 2) + '\n');
    writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: `bench-real-${s}`, private: true }, null, 2) + '\n');
    writeFileSync(join(ws, '.gitignore'), 'node_modules\ndist\n.nx\n');
    if (deps) symlinkSync(join(deps, 'node_modules'), join(ws, 'node_modules'));
    git(ws, 'init', '-q', '-b', 'main');
    commit(ws, 'real build');
  };
  mk(
    'ours',
    DEPS.ours,
    { plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] },
    {
      'images/realapt/image.json': { name: 'realapt', repository: `${OWNERS.ours}/realapt`, tags: ['latest'] },
    },
  );
  mk('script', undefined, undefined, {});
  const sys = ['ours', 'script'];
  if (nxdOk) {
    mk(
      'nxd',
      DEPS.nxd,
      { plugins: [{ plugin: '@nx/docker', include: ['images/**'] }] },
      {
        'images/realapt/project.json': {
          name: 'realapt',
          targets: { 'docker:build': { options: { cwd: 'images/realapt', args: [`--tag ${OWNERS.nxd}/realapt:latest`] } } },
        },
      },
    );
    sys.push('nxd');
  }
  const run = (s, label) =>
    s === 'ours'
      ? timed(`real-ours-${label}`, nxBin(dirs.ours), ['run-many', '-t', 'docker-build', '--outputStyle=static'], {
          cwd: dirs.ours,
          env: nxEnv(dirs.ours),
        })
      : s === 'script'
        ? timed(`real-cli-${label}`, DOCKER_CLI, ['build', '--progress=plain', '-t', `${OWNERS.script}/realapt:latest`, 'images/realapt'], {
            cwd: dirs.script,
            env: { ...process.env, DOCKER_BUILDKIT: '1' },
          })
        : timed(`real-nxd-${label}`, nxBin(dirs.nxd), ['run-many', '-t', 'docker:build', '--outputStyle=static'], {
            cwd: dirs.nxd,
            env: nxEnv(dirs.nxd, { PATH: `${join(ROOT, 'bin')}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' }),
          });
  const commands = {
    ours: 'nx run-many -t docker-build',
    script: 'docker build (BuildKit), as build-all.sh builds each image',
    nxd: 'nx run-many -t docker:build',
  };
  // Warm-up, discarded: Nx's caches and workspace data, the apt mirror's and the engine's first-time costs.
  for (const s of sys) {
    const w = run(s, 'warm');
    if (w.code !== 0) throw new Error(`real build warm-up of ${s} failed: see ${w.log}`);
  }
  for (let rep = 1; rep <= opts.reps; rep++) {
    for (const s of sys.map((_, k) => sys[(k + rep) % sys.length])) {
      const nonce = `${RUN_ID}-${s}-real-${rep}`;
      writeFileSync(join(dirs[s], 'images', 'realapt', 'Dockerfile'), realDockerfile(nonce));
      if (s !== 'script') commit(dirs[s], nonce);
      await measure(s, 'real build', rep, commands[s], () => run(s, rep), {
        expected: ['realapt:latest'],
        ws: dirs.ours,
        keys: { 'realapt:docker-build': 'realapt:latest' },
      });
    }
  }
}

/** A port nothing listens on now (127.0.0.1). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Debian's docker-registry on 127.0.0.1:port with its own, empty storage (as tools/engine-up.sh configures it). */
async function startRegistry(name, port) {
  const dir = join(ROOT, `registry-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n  cache:\n    blobdescriptor: inmemory\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const logFd = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', logFd, logFd], detached: false });
  closeSync(logFd);
  registries.add(child);
  for (let i = 0; i < 100; i++) {
    const code = await new Promise((res) => {
      const req = request({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (r) => (r.resume(), res(r.statusCode)));
      req.on('error', () => res(0));
      req.on('timeout', () => (req.destroy(), res(0)));
      req.end();
    });
    if (code === 200) return child;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`the registry on 127.0.0.1:${port} did not come up (log: ${join(dir, 'registry.log')})`);
}
const registries = new Set();
async function stopRegistry(child) {
  if (!child || child.exitCode !== null) return registries.delete(child);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
  registries.delete(child);
}
process.on('exit', () => {
  for (const c of registries) if (c.exitCode === null) c.kill('SIGKILL');
});

/**
 * Push every image of ours' graph to a fresh, empty local registry: ours (`nx run-many -t
 * docker-push`, the registry set in the plugin's `registries` option) against a loop of `docker tag`
 * + `docker push` + `docker rmi` of the same images, with the same tag names ours pushed (its own tags
 * and `nx-<hash>`, read from its push records), to a registry of its own. Before each repetition both
 * registries are restarted on empty storage, so every blob is uploaded again. Last scenario: the
 * registry option moves every Nx hash of ours (one discarded warm-up run rebuilds by engine lookup).
 */
async function pushScenario(builds) {
  if (!existsSync(REGISTRY_BIN)) {
    log(`scenario: push skipped (${REGISTRY_BIN} is missing: apt-get install docker-registry, or run tools/engine-up.sh)`);
    return;
  }
  const ports = { ours: await freePort(), script: await freePort() };
  if (ports.ours === ports.script) ports.script = await freePort();
  log(`scenario: push (${builds.length} images; registries on 127.0.0.1:${ports.ours} for ours, :${ports.script} for the loop)`);
  const file = join(WS.ours, 'nx.json');
  const nx = JSON.parse(readFileSync(file, 'utf8'));
  nx.plugins = nx.plugins.map((p) =>
    p.plugin === 'nx-image-graph' ? { ...p, options: { ...p.options, registries: [`127.0.0.1:${ports.ours}/bench`] } } : p,
  );
  writeFileSync(file, JSON.stringify(nx, null, 2) + '\n');
  commit(WS.ours, 'push registry');
  const reg = {};
  const fresh = async (s) => {
    await stopRegistry(reg[s]);
    reg[s] = await startRegistry(s, ports[s]);
  };
  const oursPush = (label) => oursRun(`push-${label}`, ['run-many', '-t', 'docker-push']);
  try {
    // Warm-up, discarded: the registry option moved every hash (builds by engine lookup); then the refs ours pushes.
    await fresh('ours');
    const w = oursPush('warm');
    if (w.code !== 0) throw new Error(`push warm-up of ours failed: see ${w.log}`);
    const refs = pushedRefs(builds, ports.ours);
    if (refs.length < builds.length)
      throw new Error(`push warm-up: push records name ${refs.length} refs for ${builds.length} images (see ${w.log})`);
    const script = join(ROOT, 'push-loop.sh');
    writeFileSync(
      script,
      `#!/usr/bin/env bash\n# docker push of every image, one ref at a time (the refs ours pushed, to another registry).\nset -euo pipefail\n` +
        refs
          .map(
            ([src, tag]) =>
              `${DOCKER_CLI} tag ${src} 127.0.0.1:${ports.script}/bench/${tag}\n${DOCKER_CLI} push -q 127.0.0.1:${ports.script}/bench/${tag} >/dev/null\n${DOCKER_CLI} rmi 127.0.0.1:${ports.script}/bench/${tag} >/dev/null\n`,
          )
          .join(''),
    );
    state.pushRefs = refs.length;
    await fresh('script');
    const w2 = timed('push-loop-warm', 'bash', [script], { cwd: ROOT, env: process.env });
    if (w2.code !== 0) throw new Error(`push warm-up of the docker push loop failed: see ${w2.log}`);
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const s of rep % 2 ? ['ours', 'script'] : ['script', 'ours']) {
        await fresh(s);
        if (s === 'ours') await measure(s, 'push', rep, 'nx run-many -t docker-push', () => oursPush(rep), { expected: [] });
        else
          await measure(
            s,
            'push',
            rep,
            `docker tag + push + rmi, one ref at a time (${refs.length} refs)`,
            () => timed(`push-loop-${rep}`, 'bash', [script], { cwd: ROOT, env: process.env }),
            { expected: [] },
          );
      }
    }
  } finally {
    for (const c of Object.values(reg)) await stopRegistry(c);
  }
}

/** [source image ref, repository:tag in the registry] of every ref ours' push records name for the registry. */
function pushedRefs(builds, port) {
  const out = [];
  for (const b of builds) {
    const meta = b.cfg.metadata?.['nx-image-graph-settings']?.metadataFile;
    const recFile = meta && join(WS.ours, meta.replace(/\.json$/, '.push.json'));
    const rec = recFile && readJsonMaybe(recFile);
    const refs = JSON.stringify(rec ?? {}).match(new RegExp(`127\\.0\\.0\\.1:${port}/bench/[^"@\\s]+:[\\w][\\w.-]*`, 'g')) ?? [];
    for (const ref of new Set(refs)) out.push([`${OWNERS.ours}/${b.repo}:${b.tags[0]}`, ref.slice(`127.0.0.1:${port}/bench/`.length)]);
  }
  return out;
}

function commit(ws, msg) {
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', msg);
}

// ------------------------------------------------------------------------------------------ main

async function main() {
  mkdirSync(LOGS, { recursive: true });
  for (const f of readdirSync(LOGS)) rmSync(join(LOGS, f), { force: true });
  const started = new Date();
  const load0 = loadavg();

  // Preflight.
  const ping = await engine('GET', '/_ping').catch((e) => ({ status: 0, body: String(e) }));
  if (ping.status !== 200) throw new Error(`no engine at ${SOCKET} (${ping.body}); run: eval "$(bash tools/engine-up.sh)"`);
  for (const ref of ['busybox:1.36', 'debian:bookworm-slim']) {
    const r = await engine('GET', `/images/${encodeURIComponent(ref)}/json`);
    if (r.status !== 200) throw new Error(`${ref} is not in the engine; run: eval "$(bash tools/engine-up.sh)"`);
  }
  if (!existsSync(DOCKER_CLI)) throw new Error(`${DOCKER_CLI} is missing (the baselines need a docker CLI with BuildKit)`);
  mkdirSync(join(ROOT, 'bin'), { recursive: true });
  rmSync(join(ROOT, 'bin', 'docker'), { force: true });
  symlinkSync(DOCKER_CLI, join(ROOT, 'bin', 'docker'));

  // The plugin as it is built now, packed; nx at the repo's version.
  log('npm run build; npm pack packages/nx-image-graph');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const packDir = join(ROOT, 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
    cwd: join(REPO, 'packages', 'nx-image-graph'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  const tarballSha = createHash('sha256')
    .update(readFileSync(join(packDir, tarball)))
    .digest('hex')
    .slice(0, 12);
  if (installDeps(DEPS.ours, { nx: NX_VERSION, 'nx-image-graph': `file:./${tarball}` }, { [tarball]: join(packDir, tarball) }))
    log(`installed nx ${NX_VERSION} + ${tarball} (${tarballSha})`);
  if (opts.nxDocker && installDeps(DEPS.nxd, { nx: NX_VERSION, '@nx/docker': NX_DOCKER_VERSION }))
    log(`installed nx ${NX_VERSION} + @nx/docker ${NX_DOCKER_VERSION}`);
  const nxdDevkit = opts.nxDocker
    ? (readJsonMaybe(join(DEPS.nxd, 'node_modules', '@nx', 'docker', 'node_modules', '@nx', 'devkit', 'package.json'))?.version ??
      readJsonMaybe(join(DEPS.nxd, 'node_modules', '@nx', 'devkit', 'package.json'))?.version)
    : undefined;

  // Start from no bench images.
  for (const o of Object.values(OWNERS)) await removeOwnerImages(o);

  // Ours.
  log('workspaces');
  makeWorkspace(WS.ours, OWNERS.ours, {
    deps: DEPS.ours,
    packageDeps: { nx: NX_VERSION, 'nx-image-graph': `file:../pack/${tarball}` },
    nxJson: { namedInputs: { default: ['{projectRoot}/**/*'] }, plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] },
  });
  const { builds, graph } = readBuilds(WS.ours);
  state.builds = builds;
  const allKeys = new Set(builds.map((b) => b.key));
  const LEAF = 'tmdb:cpu';
  const BASE = 'base:cpu';
  const baseSubtree = subtree(builds, BASE);
  const leafBuild = builds.find((b) => b.key === LEAF);
  const baseBuild = builds.find((b) => b.key === BASE);
  if (!leafBuild || !baseBuild) throw new Error('the example graph has no tmdb:cpu or base:cpu build');
  const taskCount = Object.values(graph.nodes).reduce(
    (n, node) =>
      n +
      Object.values(node.data.targets ?? {}).filter(isBuild).length +
      (node.data.targets?.['docker-build']?.executor === 'nx:noop' ? 1 : 0),
    0,
  );
  log(
    `${builds.length} builds (${Object.keys(graph.nodes).length} projects, ${taskCount} docker-build tasks); base:cpu subtree ${baseSubtree.size}`,
  );

  // build-all script.
  makeWorkspace(WS.script, OWNERS.script, {});

  // Floor: same task graph, trivial cached commands, no plugin.
  makeWorkspace(WS.floor, OWNERS.floor, {
    deps: DEPS.ours,
    packageDeps: { nx: NX_VERSION },
    nxJson: { namedInputs: { default: ['{projectRoot}/**/*'] } },
    files: floorProjectFiles(graph),
  });

  // @nx/docker.
  const nxdNotes = [];
  let nxdOk = false;
  if (opts.nxDocker) {
    // Probe 1: as shipped, alone in the workspace.
    makeWorkspace(WS.zero, OWNERS.zero, {
      deps: DEPS.nxd,
      packageDeps: { nx: NX_VERSION, '@nx/docker': NX_DOCKER_VERSION },
      nxJson: { plugins: [{ plugin: '@nx/docker', include: ['images/**'] }] },
    });
    const p1 = timed('nxd-zero-alone', nxBin(WS.zero), ['run-many', '-t', 'docker:build', '--outputStyle=static'], {
      cwd: WS.zero,
      env: nxEnv(WS.zero, { PATH: `${join(ROOT, 'bin')}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' }),
      timeoutMs: 300000,
    });
    nxdNotes.push({
      probe: 'alone, as shipped',
      code: p1.code,
      excerpt: excerpt(p1.out, /no name provided|Failed to process|error/i),
      log: relative(REPO, p1.log),
    });
    // Probe 2: as shipped, with only a project.json naming each project (as nx-image-graph would beside it).
    makeWorkspace(WS.zeroBoth, OWNERS.zero, {
      deps: DEPS.nxd,
      packageDeps: { nx: NX_VERSION, '@nx/docker': NX_DOCKER_VERSION },
      nxJson: { plugins: [{ plugin: '@nx/docker', include: ['images/**'] }] },
      files: Object.fromEntries(builds.map((b) => [join(b.root, 'project.json'), { name: b.project }])),
    });
    const zeroBefore = new Set((await engineJson('GET', '/images/json')).flatMap((i) => i.RepoTags ?? []));
    const since = Date.now() / 1000;
    const p2 = timed('nxd-zero-named', nxBin(WS.zeroBoth), ['run-many', '-t', 'docker:build', '--outputStyle=static'], {
      cwd: WS.zeroBoth,
      env: nxEnv(WS.zeroBoth, { PATH: `${join(ROOT, 'bin')}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' }),
      timeoutMs: 600000,
    });
    await sleep(250);
    const zeroAfter = (await engineJson('GET', '/images/json')).flatMap((i) => (i.RepoTags ?? []).map((t) => [t, i.Id]));
    const zeroNew = zeroAfter.filter(([t]) => !zeroBefore.has(t) && /^images-/.test(t));
    for (const [t, id] of zeroNew) {
      seenIds.add(id);
      await engine('DELETE', `/images/${encodeURIComponent(t)}`);
    }
    // Why each task failed, from its block of the static output.
    const causes = {};
    for (const block of p2.out.split(/^> nx run /m).slice(1)) {
      const task = /^([\w-]+):"?docker:build/.exec(block)?.[1];
      if (!task) continue;
      const lookup = /failed to do request: Head "https:\/\/([^/]+)\/v2\/(\S+?)\/manifests\/([^"]+)"/.exec(block);
      const cause = /"\/runtime" not found/.test(block)
        ? "the build context is the Dockerfile's directory, not images/base: `COPY runtime/` finds nothing"
        : lookup
          ? `its parent ${lookup[2]}:${lookup[3]} is not built first (no edge), so BuildKit looks it up on ${lookup[1]}`
          : /exited with non-zero|ERROR/.test(block)
            ? 'other error'
            : 'ok';
      (causes[cause] ??= []).push(task);
    }
    nxdNotes.push({
      probe: 'with a project.json naming each project, as shipped otherwise',
      code: p2.code,
      excerpt: [],
      causes,
      built: zeroNew.map(([t]) => t),
      log: relative(REPO, p2.log),
    });
    log(
      `@nx/docker zero-config probes: alone exit ${p1.code}; named exit ${p2.code}, ${zeroNew.length} images tagged (${zeroNew.map(([t]) => t).join(' ')})`,
    );

    // Configured: the graph written out for it by hand (here: generated from ours' graph).
    const nxdFiles = nxDockerProjectFiles(builds, OWNERS.nxd);
    state.nxdVariantProjects = nxdFiles.variantProjects;
    state.nxdNonVariant = [...new Set(builds.map((b) => b.project))].filter((p) => !nxdFiles.variantProjects.includes(p));
    state.nxdExtraConfigs = nxdFiles.extraConfigs;
    makeWorkspace(WS.nxd, OWNERS.nxd, {
      deps: DEPS.nxd,
      packageDeps: { nx: NX_VERSION, '@nx/docker': NX_DOCKER_VERSION },
      nxJson: { namedInputs: { default: ['{projectRoot}/**/*'] }, plugins: [{ plugin: '@nx/docker', include: ['images/**'] }] },
      files: nxdFiles.files,
    });
  }

  // Warm-up: every system builds everything once (layer cache warm, images present; floor cache filled).
  log('warm-up');
  const warm = [];
  warm.push(await measure('ours', 'warm-up', 0, 'nx run-many -t docker-build', () => oursRun('warm', ['run-many', '-t', 'docker-build'])));
  warm.push(await measure('script', 'warm-up', 0, 'build-all.sh', () => scriptRun('warm')));
  if (opts.nxDocker) {
    const w = await measure('nxd', 'warm-up', 0, 'nx run-many -t docker:build (+ -c cpu)', () => nxdRun('warm', 'run-many'));
    warm.push(w);
    nxdOk = w.code === 0 && w.newImages.length === builds.length;
    if (!nxdOk)
      log(`@nx/docker configured run did not build the graph (exit ${w.code}, ${w.newImages.length} images): left out of the scenarios`);
  }
  warm.push(
    await measure('floor', 'warm-up', 0, 'nx run-many -t docker-build (echo)', () =>
      timed('floor-warm', nxBin(WS.floor), ['run-many', '-t', 'docker-build', '--outputStyle=static'], {
        cwd: WS.floor,
        env: nxEnv(WS.floor),
      }),
    ),
  );
  for (const w of warm) if (w.code !== 0) throw new Error(`warm-up of ${w.system} failed: see ${w.logs.join(', ')}`);

  const systems = ['ours', 'script', ...(nxdOk ? ['nxd'] : [])];
  const rotate = (xs, i) => xs.map((_, j) => xs[(i + j) % xs.length]);

  // 1. Cold: Nx cache (and workspace data) removed, bench images removed, layer cache warm.
  if (want('cold')) log('scenario: cold (Nx cache cold, layer cache warm)');
  for (let rep = 1; want('cold') && rep <= opts.reps; rep++) {
    for (const s of rotate(systems, rep)) {
      await removeOwnerImages(OWNERS[s]);
      if (s === 'ours') {
        rmSync(join(WS.ours, '.nx'), { recursive: true, force: true });
        rmSync(join(WS.ours, 'dist'), { recursive: true, force: true });
        await measure(s, 'cold', rep, 'nx run-many -t docker-build', () => oursRun(`cold-${rep}`, ['run-many', '-t', 'docker-build']), {
          expected: allKeys,
        });
      } else if (s === 'script') {
        await measure(s, 'cold', rep, 'build-all.sh', () => scriptRun(`cold-${rep}`), { expected: allKeys });
      } else {
        rmSync(join(WS.nxd, '.nx'), { recursive: true, force: true });
        await measure(s, 'cold', rep, 'nx run-many -t docker:build (+ -c cpu)', () => nxdRun(`cold-${rep}`, 'run-many'), {
          expected: allKeys,
        });
      }
    }
  }

  // 2. No-op: nothing changed. Ours and the floor alternate; the baselines run fewer times (slow, constant).
  if (want('no-op')) log('scenario: no-op');
  for (let rep = 1; want('no-op') && rep <= opts.noopReps; rep++) {
    const order = rep % 2 ? ['ours', 'floor'] : ['floor', 'ours'];
    for (const s of order) {
      if (s === 'ours')
        await measure(
          'ours',
          'no-op',
          rep,
          'nx run-many -t docker-build',
          () => oursRun(`noop-${rep}`, ['run-many', '-t', 'docker-build']),
          { expected: [] },
        );
      else
        await measure(
          'floor',
          'no-op',
          rep,
          'nx run-many -t docker-build (echo, cached)',
          () =>
            timed(`floor-noop-${rep}`, nxBin(WS.floor), ['run-many', '-t', 'docker-build', '--outputStyle=static'], {
              cwd: WS.floor,
              env: nxEnv(WS.floor),
            }),
          { expected: [] },
        );
    }
    if (rep <= opts.reps) {
      await measure('script', 'no-op', rep, 'build-all.sh', () => scriptRun(`noop-${rep}`), { expected: [] });
      if (nxdOk)
        await measure('nxd', 'no-op', rep, 'nx run-many -t docker:build (+ -c cpu)', () => nxdRun(`noop-${rep}`, 'run-many'), {
          expected: [],
        });
    }
  }
  // Where the no-op time goes: the project graph alone (`nx show projects`), ours vs floor.
  for (let rep = 1; want('no-op') && rep <= Math.min(opts.noopReps, 5); rep++) {
    for (const s of rep % 2 ? ['ours', 'floor'] : ['floor', 'ours']) {
      await measure(s, 'graph only', rep, 'nx show projects', () =>
        timed(`${s}-graph-${rep}`, nxBin(WS[s]), ['show', 'projects'], { cwd: WS[s], env: nxEnv(WS[s]) }),
      );
    }
  }

  // 2b. nx.json edited: a namedInput no target uses, with a nonce. Nx hashes nx.json into every
  // task, so every task of ours runs; no build input changed, so each build should end at the
  // engine's image of the same inputs (tagged, no BuildKit). The baselines have no Nx cache to
  // lose (build-all has no nx.json at all): their runs are what any run of theirs costs.
  if (want('nx.json')) {
    log('scenario: nx.json edited');
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const s of rotate(systems, rep)) {
        const nonce = `${RUN_ID}-${s}-nxjson-${rep}`;
        if (s !== 'script') editNxJson(WS[s], nonce);
        if (s === 'ours')
          await measure(
            s,
            'nx.json edited',
            rep,
            'nx run-many -t docker-build',
            () => oursRun(`${nonce}`, ['run-many', '-t', 'docker-build']),
            { expected: [] },
          );
        else if (s === 'script') await measure(s, 'nx.json edited', rep, 'build-all.sh', () => scriptRun(nonce), { expected: [] });
        else
          await measure(s, 'nx.json edited', rep, 'nx run-many -t docker:build (+ -c cpu)', () => nxdRun(nonce, 'run-many'), {
            expected: [],
          });
      }
    }
  }

  // 3. One leaf changed (tmdb): a new first step after FROM, so all of its steps rerun.
  // 4. The CPU base changed (base/cpu): the same edit; everything built on it must rebuild.
  for (const [scenario, build, expected] of [
    ...(want('leaf') ? [['leaf changed', leafBuild, new Set([LEAF])]] : []),
    ...(want('base') ? [['base changed', baseBuild, baseSubtree]] : []),
  ]) {
    log(`scenario: ${scenario} (${build.dockerfile}; expected ${expected.size} image(s))`);
    const dockerfile = (s) => join(WS[s], build.dockerfile);
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const s of rotate(systems, rep)) {
        const nonce = `${RUN_ID}-${s}-${scenario.split(' ')[0]}-${rep}`;
        insertAfterFrom(dockerfile(s), `ENV BENCH_REV=${nonce}`);
        if (s === 'ours') {
          commit(WS.ours, nonce);
          await measure(
            s,
            scenario,
            rep,
            'nx affected -t docker-build --base=HEAD~1',
            () => oursRun(`${nonce}-affected`, ['affected', '-t', 'docker-build', '--base=HEAD~1']),
            { expected },
          );
          await measure(
            s,
            `${scenario}, then run-many`,
            rep,
            'nx run-many -t docker-build (right after)',
            () => oursRun(`${nonce}-after`, ['run-many', '-t', 'docker-build']),
            { expected: [] },
          );
          // The same change made with run-many instead of affected: the Nx cache must give the same set.
          insertAfterFrom(dockerfile(s), `ENV BENCH_REV2=${nonce}`);
          commit(WS.ours, `${nonce}-2`);
          await measure(
            s,
            `${scenario} (run-many)`,
            rep,
            'nx run-many -t docker-build',
            () => oursRun(`${nonce}-runmany`, ['run-many', '-t', 'docker-build']),
            { expected },
          );
          // Nx 24 selects affected *tasks* by their inputs; Nx 23's project-grained selection is
          // still there behind NX_LEGACY_AFFECTED=true.
          insertAfterFrom(dockerfile(s), `ENV BENCH_REV3=${nonce}`);
          commit(WS.ours, `${nonce}-3`);
          await measure(
            s,
            `${scenario} (legacy affected)`,
            rep,
            'NX_LEGACY_AFFECTED=true nx affected -t docker-build --base=HEAD~1',
            () => oursRun(`${nonce}-legacy`, ['affected', '-t', 'docker-build', '--base=HEAD~1'], { NX_LEGACY_AFFECTED: 'true' }),
            { expected },
          );
          await measure(
            s,
            `${scenario} (legacy affected), then run-many`,
            rep,
            'nx run-many -t docker-build (right after)',
            () => oursRun(`${nonce}-legacy-after`, ['run-many', '-t', 'docker-build']),
            { expected: [] },
          );
        } else if (s === 'script') {
          await measure(s, scenario, rep, 'build-all.sh', () => scriptRun(nonce), { expected });
        } else {
          commit(WS.nxd, nonce);
          await measure(s, scenario, rep, 'nx affected -t docker:build --base=HEAD~1 (+ -c cpu)', () => nxdRun(nonce, 'affected'), {
            expected,
          });
        }
      }
    }
  }

  // 4b. A build context at the repository root beside a large node_modules (one image, layer cache warm).
  if (opts.rootContext && want('root-context')) await rootContextScenario();

  // 5. Cold everything: a fresh nonce right after FROM in both bases before each run, so no step of
  // any image is in the layer cache (the base images themselves are local; BuildKit cache mounts stay
  // warm). Each system once per repetition, the order rotated.
  if (opts.coldEverything && want('cold-everything')) {
    // Batch mode is measured by batch-mode.mjs: it batches executor targets ("buildTargets": "executor"),
    // and the default docker-build targets are commands, which NX_BATCH_MODE leaves as they are.
    const runs = systems;
    for (let rep = 1; rep <= opts.coldEverythingReps; rep++) {
      log(`scenario: cold everything, repetition ${rep}/${opts.coldEverythingReps}`);
      const order = runs.map((_, k) => runs[(k + rep - 1) % runs.length]);
      for (const run of order) {
        const s = run;
        const nonce = `${RUN_ID}-${run}-cold-everything-${rep}`;
        for (const b of builds.filter((x) => x.parents.length === 0)) insertAfterFrom(join(WS[s], b.dockerfile), `ENV BENCH_COLD=${nonce}`);
        if (run === 'ours') {
          commit(WS.ours, nonce);
          await measure(
            s,
            'cold everything',
            rep,
            'nx run-many -t docker-build',
            () => oursRun(nonce, ['run-many', '-t', 'docker-build']),
            { expected: allKeys },
          );
        } else if (s === 'script') {
          await measure(s, 'cold everything', rep, 'build-all.sh', () => scriptRun(nonce), { expected: allKeys });
        } else {
          commit(WS.nxd, nonce);
          await measure(s, 'cold everything', rep, 'nx run-many -t docker:build (+ -c cpu)', () => nxdRun(nonce, 'run-many'), {
            expected: allKeys,
          });
        }
      }
    }
  }

  // 6. A real build: one image whose step downloads and installs a package (seconds of work).
  if (opts.realBuild && want('real-build')) await realBuildScenario(nxdOk);

  // 7. Push: every image to a fresh, empty local registry.
  if (opts.push && want('push')) await pushScenario(builds);

  const finished = new Date();
  const load1 = loadavg();

  // Clean up: the bench owners' images, then the ids they had, if nothing else holds them.
  if (!opts.keepImages) {
    let n = 0;
    for (const o of Object.values(OWNERS)) n += await removeOwnerImages(o);
    let ids = 0;
    for (const id of seenIds) {
      const r = await engine('DELETE', `/images/${id}`);
      if (r.status === 200) ids++;
    }
    log(`removed ${n} bench tags and ${ids} image ids`);
  }

  const machine = {
    date: started.toISOString(),
    'wall time of the whole run': `${((finished - started) / 60000).toFixed(1)} min`,
    nproc: tryRun('nproc', []) ?? String(cpus().length),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    'load average (1/5/15 min) at start / end': `${load0.map((x) => x.toFixed(2)).join(' ')} / ${load1.map((x) => x.toFixed(2)).join(' ')}`,
    node: process.version,
    nx: readJsonMaybe(join(DEPS.ours, 'node_modules', 'nx', 'package.json'))?.version ?? NX_VERSION,
    'nx-image-graph': `${tarball} (sha256 ${tarballSha}) packed from ${gitDescribe()}`,
    '@nx/docker': opts.nxDocker ? `${NX_DOCKER_VERSION} (its own @nx/devkit ${nxdDevkit ?? '?'})` : 'not run (--nx-docker=false)',
    'docker engine': tryRun(DOCKER_CLI, ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']) ?? 'unknown',
    'docker CLI of the baselines': `${DOCKER_CLI} ${tryRun(DOCKER_CLI, ['version', '--format', '{{.Client.Version}}']) ?? '?'} with DOCKER_BUILDKIT=1`,
  };
  const data = {
    machine,
    opts,
    runId: RUN_ID,
    rootctx: state.rootctx,
    pushRefs: state.pushRefs,
    builds: builds.map((b) => ({ key: b.key, taskId: b.taskId, parents: b.parents })),
    taskCount,
    baseSubtree: [...baseSubtree],
    nxdNotes,
    nxdOk,
    results,
  };
  writeFileSync(join(ROOT, 'results.json'), JSON.stringify(data, null, 2));
  const md = renderMarkdown(data);
  writeFileSync(join(ROOT, 'scenarios.md'), md);
  if (opts.write) {
    writeSection(md);
    log(`wrote the "## Scenarios" section of ${relative(REPO, RESULTS_MD)}`);
  }
  process.stdout.write(md + '\n');
}

function readJsonMaybe(f) {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return undefined;
  }
}
function gitDescribe() {
  const head = tryRun('git', ['-C', REPO, 'rev-parse', '--short=12', 'HEAD']) ?? 'unknown';
  const dirty = tryRun('git', ['-C', REPO, 'status', '--porcelain', '--', 'packages/nx-image-graph']);
  return `${head}${dirty ? ' + uncommitted changes in packages/nx-image-graph' : ''}`;
}
function excerpt(text, re) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const hits = lines.filter((l) => re.test(l));
  return [...new Set(hits)].slice(0, 6).map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l));
}

// --------------------------------------------------------------------------------------- report

const NAMES = { ours: 'ours (nx-image-graph)', script: 'build-all.sh', nxd: '@nx/docker (configured)', floor: 'floor (Nx, echo)' };

function renderMarkdown(d) {
  const R = (system, scenario) => d.results.filter((r) => r.system === system && r.scenario === scenario);
  const ms = (rs) => rs.map((r) => r.ms);
  const L = [];
  const builds = d.builds.length;
  L.push('## Scenarios (`tools/bench/scenarios.mjs`)');
  L.push('');
  L.push('Rerun (engine up: `eval "$(bash tools/engine-up.sh)"`; the script runs `npm run build` and packs the plugin itself):');
  L.push('');
  L.push('```sh');
  L.push(
    `node tools/bench/scenarios.mjs${d.opts.reps !== 3 ? ` --reps=${d.opts.reps}` : ''}${d.opts.noopReps !== 7 ? ` --noop-reps=${d.opts.noopReps}` : ''}`,
  );
  L.push('```');
  L.push('');
  for (const [k, v] of Object.entries(d.machine)) L.push(`- ${k}: ${v}`);
  L.push('');
  L.push(
    `**What runs.** The example graph without the linnaeus pair: seed 003's 20 images plus the two \`ml-base\` builds the example puts between the bases and the GPU stages, **${builds} builds** (${d.taskCount} \`docker-build\` tasks in Nx, counting the per-project \`docker-build\` that groups the variants). ` +
      'Each system has its own fresh workspace under `tmp/bench/scenarios/` (images/ of the repo at HEAD, owner `acme/` rewritten to its own: ours `benchimg/`, build-all `benchsh/`, @nx/docker `benchnxd/`), nx ' +
      `${d.machine.nx}, \`NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false\`, its own \`NX_CACHE_DIRECTORY\`, Nx's default parallelism (3). All systems share one engine and so one BuildKit layer cache; every edit carries a nonce of the system and repetition, so no system reuses another's work on changed steps.`,
  );
  L.push('');
  L.push(
    "**Images built** is counted from the engine: the tags under the system's owner whose image id is new after the run (`GET /images/json` before and after). **Tags written** is the number of tags the engine wrote in the run (`tag` events, `GET /events`): a build whose every step is cached writes the same id again, so it is engine work without a new image. For ours, the `built` rows of `dist/image-run-summary.json` are compared with the engine's set.",
  );
  L.push('');
  L.push(
    "- **cold**: Nx cache and workspace data removed and the system's images deleted, BuildKit layer cache warm (cold Nx, warm layers).",
  );
  L.push('- **no-op**: nothing changed since the last run.');
  L.push(
    `- **leaf changed**: \`ENV BENCH_REV=<nonce>\` inserted after the FROM of \`stages/cpu/tmdb/Dockerfile\`, so every step of tmdb reruns; expected: 1 image. Ours and @nx/docker: committed, then \`nx affected --base=HEAD~1\`; ours also with \`run-many\` and with \`NX_LEGACY_AFFECTED=true nx affected\`, each after a fresh edit.`,
  );
  L.push(
    `- **base changed**: the same edit in \`base/cpu/Dockerfile\`; expected: its subtree, ${d.baseSubtree.length} images (${d.baseSubtree.join(', ')}).`,
  );
  L.push(
    "- **cold everything** (each system once per repetition, the order rotated; batch mode is batch-mode.mjs's, as it batches the executor targets and the default targets are commands): a new nonce after the FROM of both bases before each run, so no step of any image is in the layer cache (only `busybox:1.36`/`debian:bookworm-slim` themselves and the BuildKit cache mounts of mux/asr are local); base:cuda's `apt-get update && apt-get install jq` runs against the Debian mirror.",
  );
  L.push(
    "- **nx.json edited**: a `namedInputs` entry no target uses, with a nonce, added to the system's nx.json (committed), then `nx run-many`: Nx hashes nx.json into every task, so every Nx hash of ours moves while no build input does; each build should end at the engine's image of the same inputs (`nx-image-graph.inputs` label), tagged without BuildKit (\"by engine lookup\" in the summary column). build-all.sh has no nx.json; @nx/docker has no Nx cache: their runs are a no-op's.",
  );
  L.push(
    `- **real build** (a workspace of one image per system): \`FROM debian:bookworm-slim\`, \`ENV BENCH_REV=<nonce>\`, \`RUN apt-get update && apt-get install -y --no-install-recommends ${REAL_PACKAGE}\` against the Debian mirror, a new nonce before each build, so the step really runs (seconds of network and dpkg); the baseline is the docker CLI building it as build-all.sh builds each image. One discarded warm-up each.`,
  );
  L.push(
    `- **push**: every image of ours\' graph to a fresh, empty local registry (Debian\'s \`docker-registry\` on a free 127.0.0.1 port, its storage wiped and the process restarted before each run): ours \`nx run-many -t docker-push\` (the registry in the plugin\'s \`registries\` option; the builds are Nx cache hits) against a bash loop of \`docker tag\` + \`docker push\` + \`docker rmi\`, one ref at a time, of the same ${d.pushRefs ?? '?'} refs (every tag ours pushed, \`nx-<hash>\` included) to a registry of its own.`,
  );
  L.push(
    '- **floor**: a plugin-free copy where every project has a `project.json` with the same tasks, `dependsOn`, file inputs and outputs as ours, each an `nx:run-commands` that writes its two output files; second and later runs (all cache hits).',
  );
  L.push('');

  const sysList = ['ours', 'script', ...(d.nxdOk ? ['nxd'] : [])];
  const scen = [
    ['cold', 'cold (cold Nx cache, warm layer cache)'],
    ['no-op', 'no-op'],
    ['nx.json edited', 'nx.json edited (every Nx hash moves, no build input)'],
    ['leaf changed', 'one leaf changed (tmdb)'],
    ['base changed', 'CPU base changed'],
    [
      'cold everything',
      `cold everything (${R('ours', 'cold everything').length} run${R('ours', 'cold everything').length === 1 ? '' : 's'} each)`,
    ],
    ['real build', `real build (\`apt-get install ${REAL_PACKAGE}\`)`],
    ['push', `push to an empty registry (${builds} images)`],
  ];
  L.push(
    '| scenario | system: command | wall time, median (min–max) | images built (engine) | tags written (engine) | ours: summary "built" | ÷ build-all (push: ÷ docker push loop; real build: ÷ docker build) | ÷ @nx/docker |',
  );
  L.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [key, title] of scen) {
    if (!R('ours', key).length) continue;
    const rows = [['ours', key, true]];
    if (key === 'leaf changed' || key === 'base changed') {
      rows.push(
        ['ours', `${key}, then run-many`, false],
        ['ours', `${key} (run-many)`, true],
        ['ours', `${key} (legacy affected)`, true],
        ['ours', `${key} (legacy affected), then run-many`, false],
      );
    }
    if (key === 'no-op') rows.push(['floor', key, true]);
    for (const s of sysList.slice(1)) rows.push([s, key, false]);
    for (const [s, sk, withRatio] of rows) {
      const rs = R(s, sk);
      if (!rs.length) continue;
      const failed = rs.filter((r) => r.code !== 0).length;
      const ratio = (other) => (withRatio && s === 'ours' && R(other, key).length ? fmtRatio(ms(rs), ms(R(other, key))) : '');
      const check = rs[0].expected ? (rs.every((r) => r.exact) ? ' ✓' : ` ✗ (expected ${rs[0].expected.length})`) : '';
      const reused = rs.map((r) => r.summaryReused?.length ?? 0);
      const summary =
        s === 'ours'
          ? `${fmtCount(rs.map((r) => r.summaryBuilt.length))}${rs.every((r) => r.summaryAgrees) ? ' (= engine)' : ' (≠ engine)'}${reused.some((x) => x) ? ` + ${fmtCount(reused)} by engine lookup` : ''}`
          : '';
      L.push(
        `| ${title} | ${/then run-many$/.test(sk) ? '↳ then `nx run-many -t docker-build`' : `${NAMES[s]}: \`${rs[0].command}\``} | ${fmtTime(ms(rs))}${failed ? ` (${failed} failed)` : ''} | ${fmtCount(rs.map((r) => r.newImages.length))}${check} | ${fmtCount(rs.map((r) => r.tagged.length))} | ${summary} | ${ratio('script')} | ${d.nxdOk ? ratio('nxd') : ''} |`,
      );
    }
  }
  L.push('');
  if (R('ours', 'root context').length) {
    L.push('');
    L.push(
      `**Build context at the repository root** (\`"context": "../.."\`, the Dockerfile copies one small file; beside it a real \`node_modules\` of ${d.rootctx?.nodeModulesFiles ?? '?'} files, ${d.rootctx?.nodeModulesMB ?? '?'} MB; no .dockerignore; layer cache warm; ${R('ours', 'root context').length} runs each, interleaved):`,
    );
    L.push('');
    L.push('| system: command | wall time, median (min–max) | context sent | ours ÷ CLI |');
    L.push('| --- | --- | --- | --- |');
    for (const s of ['ours', 'script']) {
      const rs = R(s, 'root context');
      const failed = rs.filter((r) => r.code !== 0).length;
      L.push(
        `| ${s === 'ours' ? NAMES.ours : 'docker CLI (as build-all.sh and @nx/docker run it)'}: \`${rs[0].command}\` | ${fmtTime(ms(rs))}${failed ? ` (${failed} failed)` : ''} | ${[...new Set(rs.map((r) => r.contextSent ?? '?'))].join(', ')} | ${s === 'ours' ? fmtRatio(ms(rs), ms(R('script', 'root context'))) : ''} |`,
      );
    }
  }
  L.push('');
  L.push(
    '✓ / ✗: the images built equal / differ from the expected set in every repetition. "then run-many" is a `nx run-many -t docker-build` right after the row above it: whatever it builds, the row above left out. Ratios are ours ÷ baseline, paired by repetition (below 1: ours is faster). Tags written by ours without a new image are the parents it re-tags to their recorded ids before building a child.',
  );
  L.push('');
  const missed = R('ours', 'base changed, then run-many').flatMap((r) => r.newImages);
  if (missed.length) {
    L.push(
      `**\`nx affected\` left images out.** After the CPU base changed, \`nx affected -t docker-build --base=HEAD~1\` rebuilt ${fmtCount(R('ours', 'base changed').map((r) => r.newImages.length))} of the ${d.baseSubtree.length} images of its subtree; the run-many right after built ${[...new Set(missed)].sort().join(', ')}. Nx 24 selects affected *tasks* by their inputs (Nx 23's project-grained selection: \`NX_LEGACY_AFFECTED=true\`, measured in the "legacy affected" rows).`,
    );
    L.push('');
  }
  const g = (s) => ms(R(s, 'graph only'));
  if (g('ours').length) {
    L.push(
      `Project graph alone (\`nx show projects\`): ours ${fmtTime(g('ours'))}, floor ${fmtTime(g('floor'))}, ratio ${fmtRatio(g('ours'), g('floor'))}.`,
    );
    L.push('');
  }
  const cold = R('ours', 'cold');
  if (cold.length) {
    const per = (xs) => `${(median(xs) / builds).toFixed(2)} s`;
    L.push(
      `Per build in the cold run (all steps cached in BuildKit): ours' Nx tasks take ${per(cold.map((r) => r.taskSeconds))} each (median over runs of the summed task times ÷ ${builds}), of which the engine build the plugin reports is ${per(cold.map((r) => r.engineSeconds))} (three at a time on ${d.machine.nproc} cores); build-all.sh, one at a time, spends ${per(ms(R('script', 'cold')).map((x) => x / 1000))} per build, CLI start included.`,
    );
    L.push('');
  }

  const real = (sys) => ms(R(sys, 'real build'));
  if (real('ours').length && real('script').length) {
    const share = (sys) => {
      const xs = real(sys).map((x, i) => (x - real('script')[i]) / x);
      return `${(median(xs) * 100).toFixed(0)}% (${(Math.min(...xs) * 100).toFixed(0)}–${(Math.max(...xs) * 100).toFixed(0)}%)`;
    };
    L.push(
      `Real build: the docker CLI takes ${fmtTime(real('script'))} for it; the overhead over that (paired by repetition) is ${share('ours')} of ours' run${real('nxd').length ? ` and ${share('nxd')} of @nx/docker's` : ''}.`,
    );
    L.push('');
  }

  // Aims.
  const noop = ms(R('ours', 'no-op'));
  const floor = ms(R('floor', 'no-op'));
  const scriptNoop = ms(R('script', 'no-op'));
  const rFloor = median(noop) / median(floor);
  const rScript = median(scriptNoop) / median(noop);
  const yes = (b) => (b ? '**met**' : '**not met**');
  L.push('### Aims');
  L.push('');
  L.push('| aim | measured | |');
  L.push('| --- | --- | --- |');
  if (noop.length && floor.length)
    L.push(
      `| no-op within 1.15× of the floor | ${sec(median(noop))} s vs ${sec(median(floor))} s: ${rFloor.toFixed(2)}× (paired ${fmtRatio(noop, floor)}) | ${yes(rFloor <= 1.15)} |`,
    );
  if (noop.length && scriptNoop.length)
    L.push(
      `| no-op at least 10× faster than build-all.sh | ${sec(median(scriptNoop))} s vs ${sec(median(noop))} s: ${rScript.toFixed(2)}× faster | ${yes(rScript >= 10)} |`,
    );
  const aimNotes = [];
  if (noop.length && scriptNoop.length && rScript < 10) {
    aimNotes.push(
      `build-all.sh's no-op is ${builds} builds whose every step is in the layer cache: ${(median(scriptNoop) / builds / 1000).toFixed(2)} s per build with these stand-in images (busybox and Debian slim, 2–200 MB), so 10× would need ours' no-op under ${(median(scriptNoop) / 10000).toFixed(2)} s, below Nx's own floor here (${sec(median(floor))} s). Ours' no-op does not depend on the images; the script's grows with them (seed 003's guide puts its cached rebuild of the real ~25 GB set, with CUDA code changed, at 16–44 min).`,
    );
  }
  if (noop.length && floor.length && rFloor > 1.15) {
    const gd = median(ms(R('ours', 'graph only'))) - median(ms(R('floor', 'graph only')));
    aimNotes.push(
      `The no-op's excess over the floor is ${((median(noop) - median(floor)) / 1000).toFixed(2)} s: computing the project graph alone takes ${(gd / 1000).toFixed(2)} s longer with the plugin (\`nx show projects\`, above), the rest is the plugin's run hooks (the external bases' ids before hashing, the summary after) and task-level differences.`,
    );
  }
  // Issue 23's aims: the default mode (not batch), ratios of one run, paired by repetition.
  const pr = (a, b) => {
    const n = Math.min(a.length, b.length);
    return n ? median(a.slice(0, n).map((x, i) => x / b[i])) : undefined;
  };
  const ratioAim = (aim, key, other, limit, otherName) => {
    const a = ms(R('ours', key));
    const b = ms(R(other, key));
    const r = pr(a, b);
    if (r === undefined) return;
    L.push(
      `| ${aim} | ${sec(median(a))} s vs ${otherName} ${sec(median(b))} s: ${fmtRatio(a, b)} (limit ${limit.toFixed(2)}×) | ${yes(r <= limit)} |`,
    );
  };
  const nxj = R('ours', 'nx.json edited');
  if (nxj.length) {
    const none = nxj.every(
      (r) => r.code === 0 && r.newImages.length === 0 && r.summaryBuilt.length === 0 && r.summaryReused.length === builds,
    );
    L.push(
      `| after an nx.json edit, no build reaches BuildKit | engine: ${fmtCount(nxj.map((r) => r.newImages.length))} new image(s); summary: ${fmtCount(nxj.map((r) => r.summaryBuilt.length))} built by BuildKit, ${fmtCount(nxj.map((r) => r.summaryReused.length))} of ${builds} by engine lookup; ${nxj.length} run(s) | ${yes(none)} |`,
    );
    if (d.nxdOk) ratioAim("after an nx.json edit, the run ≤ 0.5× @nx/docker's", 'nx.json edited', 'nxd', 0.5, '@nx/docker');
  }
  if (d.nxdOk) ratioAim('cold (warm layers) ≤ 0.8× @nx/docker', 'cold', 'nxd', 0.8, '@nx/docker');
  ratioAim('cold (warm layers) ≤ 1.3× build-all.sh', 'cold', 'script', 1.3, 'build-all.sh');
  if (d.nxdOk) {
    ratioAim('base changed (`nx affected`) ≤ 1.0× @nx/docker', 'base changed', 'nxd', 1.0, '@nx/docker');
    ratioAim('cold everything ≤ 0.9× @nx/docker', 'cold everything', 'nxd', 0.9, '@nx/docker');
  }
  ratioAim('push to an empty registry ≤ 1.1× a `docker push` loop', 'push', 'script', 1.1, 'docker push loop');
  for (const [key, aim] of [
    ['leaf changed', 'a leaf change builds exactly one image'],
    ['base changed', `a base change builds exactly its subtree (${d.baseSubtree.length})`],
  ]) {
    for (const [suffix, how] of [
      ['', '`nx affected` (Nx 24 default)'],
      [' (run-many)', '`nx run-many`'],
      [' (legacy affected)', '`NX_LEGACY_AFFECTED=true nx affected`'],
    ]) {
      const rs = R('ours', key + suffix);
      if (!rs.length) continue;
      L.push(
        `| ${aim}, with ${how} | engine: ${fmtCount(rs.map((r) => r.newImages.length))} new image(s); summary: ${fmtCount(rs.map((r) => r.summaryBuilt.length))} built${rs.every((r) => r.summaryAgrees) ? ', the same set' : ', NOT the same set'}; ${rs.length} run(s) | ${yes(rs.every((r) => r.exact && r.summaryAgrees && r.code === 0))} |`,
      );
    }
  }
  L.push('');
  for (const n of aimNotes) {
    L.push(n);
    L.push('');
  }

  // @nx/docker.
  L.push('### @nx/docker');
  L.push('');
  if (!d.opts.nxDocker) {
    L.push('Not run (`--nx-docker=false`).');
  } else {
    L.push(
      `\`@nx/docker@${NX_DOCKER_VERSION}\` (the newest release on the registry; it has no Nx 24 release, but its \`@nx/devkit@${NX_DOCKER_VERSION}\` accepts nx \`>= 22 <= 24\`, so it installs beside nx ${d.machine.nx} and loads). Its plugin infers, for every \`**/Dockerfile\`, a \`docker:build\` target running \`docker build . --tag <path-derived name>\` in the Dockerfile's directory, \`dependsOn: [build, ^build]\`, no \`cache\` (always runs), no project name and no dependencies.`,
    );
    L.push('');
    for (const n of d.nxdNotes) {
      const causes = Object.entries(n.causes ?? {}).map(
        ([c, ts]) => `${ts.length} task(s) ${c === 'ok' ? 'succeeded' : `failed because ${c}`} (${ts.join(', ')})`,
      );
      L.push(
        `- Probe, ${n.probe}: \`nx run-many -t docker:build\` exits ${n.code}${n.built ? `; images built: ${n.built.length ? n.built.join(', ') : 'none'}` : ''}. ${causes.length ? `${causes.join('; ')}. ` : ''}${n.excerpt.length ? `Output: ${n.excerpt.map((e) => `\`${e.replace(/`/g, "'")}\``).join(' · ')}. ` : ''}(log: \`${n.log}\`)`,
      );
    }
    L.push(
      `- Configured (measured above): a generated \`project.json\` per image gives it what it cannot infer: the project name, the edges (\`implicitDependencies\` + \`dependsOn: ["^docker:build"]\`, project-level only), the context directory (\`images/base\` for the bases), \`--file\`, the tag and the build args, and the cpu variant as a configuration \`cpu\`; the docker CLI is \`${DOCKER_CLI}\` (the first \`docker\` in PATH has no buildx and refuses BuildKit, which the Dockerfiles need). One target per project builds one variant per run, so a full build is two commands: \`nx run-many -t docker:build\`, then \`nx run-many -t docker:build -c cpu --projects=<the variant projects>\` (for affected: \`--exclude=<the others>\`); their parents' \`docker:build\` reruns in the second command. Left as shipped: no Nx cache, so every run sends every selected build to the engine. ${d.nxdOk ? '' : '**This configuration did not build the graph here; see the warm-up log.**'}`,
    );
  }
  L.push('');
  const failedRuns = d.results.filter((r) => r.code !== 0);
  if (failedRuns.length) {
    L.push(`Failed runs: ${failedRuns.map((r) => `${r.system} ${r.scenario} #${r.rep} (\`${r.logs.join('`, `')}\`)`).join('; ')}.`);
    L.push('');
  }
  return L.join('\n');
}

/** Replaces (or appends) only this benchmark's section of RESULTS.md, in the file's marker convention. */
function writeSection(md) {
  const start = '<!-- bench:scenarios:start -->';
  const end = '<!-- bench:scenarios:end -->';
  const block = `${start}\n${md.trim()}\n${end}\n`;
  let text = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length).replace(/^\n/, '');
  else text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${text ? '\n' : ''}${block}`;
  writeFileSync(RESULTS_MD, text);
}

if (opts.renderOnly) {
  // Re-render the section from the last run's raw data (tmp/bench/scenarios/results.json).
  const data = JSON.parse(readFileSync(join(ROOT, 'results.json'), 'utf8'));
  const md = renderMarkdown(data);
  if (opts.write) writeSection(md);
  process.stdout.write(md + '\n');
} else
  main().catch(async (e) => {
    log(`FAILED: ${e.stack ?? e}`);
    if (!opts.keepImages) {
      for (const o of Object.values(OWNERS)) await removeOwnerImages(o).catch(() => {});
    }
    process.exit(1);
  });

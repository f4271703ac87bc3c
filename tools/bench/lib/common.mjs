// Shared helpers of the benchmarks in tools/bench: paths, statistics, machine description,
// and the one Nx installation every benchmark workspace uses (the packed plugin + the repo's nx).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PLUGIN_PACKAGE = join(REPO_ROOT, 'packages', 'nx-image-graph');
/** Everything the benchmarks create lives here (git-ignored through `tmp/`). */
export const BENCH_TMP = join(REPO_ROOT, 'tmp', 'bench');
/** One `npm install` of nx + the packed plugin, symlinked into every benchmark workspace. */
export const TEMPLATE_DIR = join(BENCH_TMP, 'template');

export const ROOT_NX_VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies.nx;

/** The environment every `nx` call of the benchmarks runs with. */
export const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in defaults)) throw new Error(`unknown option --${m[1]} (known: ${Object.keys(defaults).join(', ')})`);
    const value = m[2] ?? 'true';
    out[key] = typeof defaults[key] === 'number' ? Number(value) : typeof defaults[key] === 'boolean' ? value !== 'false' : value;
  }
  return out;
}

/** Milliseconds since an arbitrary origin, sub-ms resolution. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** `1234 (1100–1500)`: median and spread of a list of ms. */
export function fmtMs(xs, digits = 0) {
  const s = summary(xs);
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Ratios a[i]/b[i] of paired measurements (same repetition), median and spread. */
export function fmtRatio(as, bs, digits = 2) {
  const r = as.map((a, i) => a / bs[i]);
  const s = summary(r);
  return `${s.median.toFixed(digits)}× (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Paired differences a[i]-b[i], median and spread. */
export function fmtDelta(as, bs, digits = 0) {
  const d = as.map((a, i) => a - bs[i]);
  const s = summary(d);
  const sign = (x) => (x >= 0 ? '+' : '') + x.toFixed(digits);
  return `${sign(s.median)} (${sign(s.min)}…${sign(s.max)})`;
}

export function markdownTable(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function tryRun(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...opts }).trim();
  } catch {
    return undefined;
  }
}

/** What the numbers were measured on. */
export function machineInfo() {
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const head = tryRun('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO_ROOT });
  const dirty = tryRun('git', ['status', '--porcelain', '--', 'packages/nx-image-graph'], { cwd: REPO_ROOT });
  const nxVersion = existsSync(join(TEMPLATE_DIR, 'node_modules', 'nx', 'package.json'))
    ? JSON.parse(readFileSync(join(TEMPLATE_DIR, 'node_modules', 'nx', 'package.json'), 'utf8')).version
    : ROOT_NX_VERSION;
  return {
    date: new Date().toISOString(),
    nproc: tryRun('nproc', []) ?? String(cpus().length),
    cpu: cpuModel,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    nx: nxVersion,
    docker: tryRun('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']) ?? 'unavailable',
    commit: head ? `${head}${dirty ? ' + uncommitted changes in packages/nx-image-graph' : ''}` : 'unknown',
  };
}

export function machineMarkdown(info, extra = {}) {
  const rows = { ...info, ...extra };
  return Object.entries(rows)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join('\n');
}

/**
 * Packs the plugin as it is built now (packages/nx-image-graph/dist; run `npm run build` first)
 * and installs it with the repo's nx version into tmp/bench/template, once per tarball content:
 * a second benchmark run with an unchanged build reuses the install.
 */
export function prepareTemplate({ pluginDir = PLUGIN_PACKAGE, templateDir = TEMPLATE_DIR } = {}) {
  if (!existsSync(join(pluginDir, 'dist', 'index.js'))) {
    throw new Error('packages/nx-image-graph/dist is missing: run `npm install` (which builds it) or `npm run build` first');
  }
  const packDir = join(BENCH_TMP, templateDir === TEMPLATE_DIR ? 'pack' : `pack-${basename(templateDir)}`);
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: pluginDir, stdio: ['ignore', 'pipe', 'inherit'] });
  const tarballName = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tarballName) throw new Error(`npm pack produced no tarball in ${packDir}`);
  const tarball = join(packDir, tarballName);
  const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  const stampFile = join(templateDir, '.bench-stamp');
  const stamp = `${ROOT_NX_VERSION} ${digest}`;
  const installed = existsSync(join(templateDir, 'node_modules', 'nx-image-graph', 'package.json')) && existsSync(stampFile);
  if (installed && readFileSync(stampFile, 'utf8') === stamp) {
    log(`template install is up to date (plugin tarball ${digest.slice(0, 12)})`);
    return { tarball, digest };
  }
  log(`installing nx ${ROOT_NX_VERSION} + packed plugin (${digest.slice(0, 12)}) into ${templateDir}`);
  rmSync(templateDir, { recursive: true, force: true });
  mkdirSync(templateDir, { recursive: true });
  // The tarball is copied beside the template so the lockfile's `file:` path stays valid.
  writeFileSync(join(templateDir, tarballName), readFileSync(tarball));
  writeFileSync(
    join(templateDir, 'package.json'),
    JSON.stringify(
      { name: 'nx-image-graph-bench', private: true, devDependencies: { nx: ROOT_NX_VERSION, 'nx-image-graph': `file:./${tarballName}` } },
      null,
      2,
    ),
  );
  const started = now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: templateDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  writeFileSync(stampFile, stamp);
  log(`npm install took ${((now() - started) / 1000).toFixed(1)} s`);
  return { tarball, digest };
}

/** A new directory that uses the template's installation: package.json, lockfile and a node_modules symlink. */
export function linkTemplate(dir, templateDir = TEMPLATE_DIR) {
  mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) writeFileSync(join(dir, f), readFileSync(join(templateDir, f)));
  execFileSync('ln', ['-sfn', join(templateDir, 'node_modules'), join(dir, 'node_modules')]);
}

/**
 * The example graph (images/ at HEAD, without linnaeus) in a fresh workspace `dir`, its `acme/` owner
 * renamed to `owner` so that two workspaces never share an image, the plugin registered for images/,
 * committed. It uses the template's installation, or the `node_modules` given.
 */
export function exampleGraphWorkspace(dir, owner, { nodeModules } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C ${JSON.stringify(REPO_ROOT)} archive HEAD images | tar -x -C ${JSON.stringify(dir)}`]);
  rmSync(join(dir, 'images', 'linnaeus'), { recursive: true, force: true });
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(join(dir, 'images'))) {
    const text = readFileSync(f, 'utf8');
    if (/\bacme\b/.test(text)) writeFileSync(f, text.replace(/\bacme\b/g, owner));
  }
  writeFileSync(
    join(dir, 'nx.json'),
    JSON.stringify({ analytics: false, plugins: [{ plugin: 'nx-image-graph', include: ['images/**'] }] }, null, 2),
  );
  writeFileSync(join(dir, '.gitignore'), 'node_modules\ndist\n.nx\n');
  if (nodeModules) {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bench-${basename(dir)}`, private: true }, null, 2));
    execFileSync('ln', ['-sfn', nodeModules, join(dir, 'node_modules')]);
  } else {
    linkTemplate(dir);
  }
  gitInit(dir);
  return dir;
}

/** `git init` + one commit, as in a real repository (Nx reads .gitignore; it would otherwise see tmp/ ignored by the repo above). */
export function gitInit(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'bench workspace');
}

/**
 * Runs the workspace's nx; returns wall time and output. Throws on failure.
 * (No CPU time: nx does not always reap its plugin workers, so the children's rusage misses them at random.)
 */
export function runNx(dir, args, env = {}) {
  const started = now();
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'nx'), args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = now() - started;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} failed in ${dir} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** `Time taken for 'X' Nms` lines of NX_PERF_LOGGING, by name (the last one of a name wins). */
export function perfMarks(text) {
  const marks = {};
  text = text.replace(/\x1b\[[0-9;]*m/g, '');
  for (const m of text.matchAll(/^Time taken for '(.+)' ([\d.]+)ms$/gm)) marks[m[1]] = Number(m[2]);
  return marks;
}

export function dirSizeFiles(dir) {
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else n++;
    }
  };
  walk(dir);
  return n;
}

export function fileExists(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function cpuTimes() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, x) => a + x, 0) };
  } catch {
    return undefined;
  }
}

export function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Share of the machine's CPU busy over `ms` while this process sleeps: other load (Linux /proc/stat; undefined elsewhere). */
export function backgroundBusy(ms = 1000) {
  const a = cpuTimes();
  sleepMs(ms);
  const b = cpuTimes();
  if (!a || !b || b.total === a.total) return undefined;
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}

/**
 * Waits (at most `maxMs`) until other processes use less than `threshold` of the CPU, so a
 * repetition does not start in the middle of someone else's burst. Returns the last busy share seen.
 */
export function waitForQuiet({ threshold = 0.25, maxMs = 30000 } = {}) {
  const until = now() + maxMs;
  let busy = backgroundBusy();
  while (busy !== undefined && busy > threshold && now() < until) busy = backgroundBusy();
  return busy;
}

/**
 * Where Nx (and so the plugin, through @nx/devkit's `cacheDir`) keeps its cache for the workspace at
 * `dir`, as Nx decides it in a fresh process. Nx 24 puts it in ~/.nx/<workspace id>/cache for a git
 * workspace with a commit or remote, outside the workspace: deleting `.nx/` does not clear it.
 * `sharedDir` is that per-workspace directory (cache + databases) when it lies outside the workspace.
 */
export function nxCacheLocation(dir) {
  const cacheDir = execFileSync(
    process.execPath,
    ['-e', 'process.stdout.write(require(require.resolve("@nx/devkit", { paths: [process.cwd()] })).cacheDir)'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...NX_ENV },
    },
  );
  const inside = cacheDir === dir || cacheDir.startsWith(`${dir}/`);
  return { cacheDir, sharedDir: inside ? undefined : dirname(cacheDir) };
}

/** Removes a benchmark workspace and the per-workspace directory Nx keeps for it outside (see nxCacheLocation). */
export function removeWorkspace(dir) {
  if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'node_modules', '@nx', 'devkit'))) {
    try {
      const { sharedDir } = nxCacheLocation(dir);
      if (sharedDir && /\/\.nx\/[0-9a-f]{16}$/.test(sharedDir)) rmSync(sharedDir, { recursive: true, force: true });
    } catch {
      // Not resolvable (broken install): only the workspace goes.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { E2E_TMP, pluginTarball, REPO_ROOT } from './paths';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

const ROOT_NX_VERSION: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies.nx;

/**
 * A fresh Nx workspace in a temporary directory, with the packed plugin installed from its
 * tarball by npm (as a user would), git-initialised so `affected` and git tags work.
 */
export class TestWorkspace {
  private constructor(readonly dir: string) {}

  /**
   * `devDependencies` adds packages from the registry (`@nx/js`, `typescript`), installed as a user
   * would beside nx and the plugin; `packageJson` adds fields to the workspace's package.json (`workspaces`).
   */
  static create(
    name: string,
    files: Record<string, string>,
    opts: { nxVersion?: string; pluginOptions?: object; devDependencies?: Record<string, string>; packageJson?: object } = {},
  ): TestWorkspace {
    mkdirSync(E2E_TMP, { recursive: true });
    const ws = new TestWorkspace(mkdtempSync(join(E2E_TMP, `${name}-`)));
    const nxVersion = opts.nxVersion ?? ROOT_NX_VERSION;
    const deps = { ...devDependencies(nxVersion), ...opts.devDependencies };
    ws.write({
      'package.json': JSON.stringify({ name: `e2e-${name}`, private: true, ...opts.packageJson, devDependencies: deps }, null, 2),
      'nx.json': JSON.stringify(
        { plugins: [{ plugin: 'nx-image-graph', ...(opts.pluginOptions ? { options: opts.pluginOptions } : {}) }] },
        null,
        2,
      ),
      '.gitignore': 'node_modules\ndist\n.nx\n',
      ...files,
    });
    installInto(ws.dir, deps);
    ws.git('init', '-q', '-b', 'main');
    ws.git('add', '-A');
    ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', 'initial');
    return ws;
  }

  /** A second clone of this workspace (another "machine"), with its own install. */
  clone(name: string): TestWorkspace {
    const other = new TestWorkspace(mkdtempSync(join(E2E_TMP, `${name}-`)));
    execFileSync('git', ['clone', '-q', this.dir, other.dir]);
    installInto(other.dir, (JSON.parse(this.read('package.json')) as { devDependencies: Record<string, string> }).devDependencies, false);
    return other;
  }

  write(files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  /** Runs the workspace's own nx binary; never throws, the caller asserts on the result. */
  nx(args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
    const r = spawnSync(join(this.dir, 'node_modules', '.bin', 'nx'), args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: this.nxEnv(env),
      maxBuffer: 64 * 1024 * 1024,
    });
    return result(r.status ?? 1, r.stdout, r.stderr);
  }

  /** The same, without blocking: for several "machines" running at once. */
  nxAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn(join(this.dir, 'node_modules', '.bin', 'nx'), args, { cwd: this.dir, env: this.nxEnv(env) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve(result(code ?? 1, stdout, stderr)));
    });
  }

  /** `nx` started in a process group of its own, for tests that stop it part-way: its output so far, and SIGTERM to the group. */
  nxStarted(args: string[]): { output: () => string; running: () => boolean; stop: () => Promise<void> } {
    const child = spawn(join(this.dir, 'node_modules', '.bin', 'nx'), args, { cwd: this.dir, env: this.nxEnv({}), detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return {
      output: () => output,
      running: () => child.exitCode === null && child.signalCode === null,
      stop: async () => {
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      },
    };
  }

  private nxEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      CI: 'true',
      // Each workspace keeps its own cache: Nx may otherwise share one per user, and two clones would see each other's entries.
      NX_CACHE_DIRECTORY: join(this.dir, '.nx', 'cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(this.dir, '.nx', 'workspace-data'),
      ...env,
    };
  }

  /** `nx show projects` as a sorted list. */
  projects(args: string[] = [], env: NodeJS.ProcessEnv = {}): string[] {
    const r = this.nx(['show', 'projects', '--json', ...args], env);
    if (r.code !== 0) throw new Error(`nx show projects failed:\n${r.output}`);
    return (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as string[]).sort();
  }

  /** Every project-to-project edge of `nx graph --file`, as "source -> target". */
  edges(): string[] {
    const r = this.nx(['graph', '--file=graph.json']);
    if (r.code !== 0) throw new Error(`nx graph failed:\n${r.output}`);
    const graph = JSON.parse(this.read('graph.json')) as { graph: { dependencies: Record<string, { source: string; target: string }[]> } };
    return Object.values(graph.graph.dependencies)
      .flat()
      .map((d) => `${d.source} -> ${d.target}`)
      .sort();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function devDependencies(nxVersion: string): Record<string, string> {
  return { nx: nxVersion, 'nx-image-graph': `file:${pluginTarball()}` };
}

/**
 * node_modules as `npm install` makes it from the workspace's package.json (nx and the packed
 * plugin's tarball, as a user installs them): npm runs once per Nx version and e2e run, and each
 * workspace gets a copy (and the lock, unless it has one from git). npm took ~15 s per workspace,
 * a third of the suite's time.
 */
function installInto(dir: string, deps: Record<string, string>, withLock = true): void {
  // One install per set of packages: the plugin's tarball is the same for the whole run.
  const extra = Object.entries(deps)
    .filter(([n]) => n !== 'nx' && n !== 'nx-image-graph')
    .map(([n, v]) => `${n.replace(/[@/]/g, '')}-${v}`)
    .join('-');
  const template = join(E2E_TMP, `install-nx-${deps.nx}${extra ? `-${extra}` : ''}`);
  if (!existsSync(join(template, 'node_modules', '.bin', 'nx'))) {
    const building = `${template}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    writeFileSync(join(building, 'package.json'), JSON.stringify({ name: 'e2e-install', private: true, devDependencies: deps }, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: building,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Another worker may have finished first: either copy is the same install.
    if (existsSync(template)) rmSync(building, { recursive: true, force: true });
    else renameSync(building, template);
  }
  // cp -a: a third of fs.cpSync's time; symlinks (node_modules/.bin) stay relative.
  execFileSync('cp', ['-a', join(template, 'node_modules'), join(dir, 'node_modules')]);
  if (withLock) {
    const lock = JSON.parse(readFileSync(join(template, 'package-lock.json'), 'utf8')) as {
      name: string;
      packages: Record<string, { name?: string }>;
    };
    const name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name;
    lock.name = name;
    if (lock.packages['']) lock.packages[''].name = name;
    writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  }
}

/** Colour codes would sit between words that tests look for. */
function result(code: number, stdout: string, stderr: string): RunResult {
  const plain = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, '');
  return { code, stdout: plain(stdout), stderr: plain(stderr), output: plain(`${stdout}\n${stderr}`) };
}

/** Fails with the command's own output when it did not succeed, so a red test says why. */
export function expectSuccess(r: RunResult): void {
  if (r.code !== 0) throw new Error(`nx exited with ${r.code}:\n${r.output.slice(-6000)}`);
}

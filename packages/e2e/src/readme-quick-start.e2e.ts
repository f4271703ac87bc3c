import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { pluginTarball, REPO_ROOT } from './support/paths';

/**
 * The README as a new user reads it, from a fresh `npm init -y` workspace: `nx add` with the packed
 * tarball (the README's form), the image generator, a build, a failing base, the CI recipe (a push,
 * the output in a log, the log grouped), and `nx release publish` of a multi-platform image. Every
 * run's output goes to a file, as on a CI runner; the commands are read from the package README and
 * the guide's CI page (docs/ci-and-remote-cache.md) themselves.
 */
const P = `e2eqs${process.pid}`;
const READMES = {
  root: readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'),
  package: readFileSync(join(REPO_ROOT, 'packages', 'nx-image-graph', 'README.md'), 'utf8'),
  // The guide's CI page, where the CI recipe is.
  ci: readFileSync(join(REPO_ROOT, 'docs', 'ci-and-remote-cache.md'), 'utf8'),
};
const NX_VERSION: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies.nx;

/** The command (a line of a ```sh block) that starts with `prefix`, as written there: the package README's quick start, or the guide's CI page. */
function readmeCommand(prefix: string, readme: keyof typeof READMES = 'root'): string {
  const blocks = [...READMES[readme].matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  for (const block of blocks) {
    const lines = block.split('\n');
    const at = lines.findIndex((l) => l.startsWith(prefix));
    // A command with its `set -o pipefail` line before it is run with it.
    if (at >= 0)
      return (at > 0 && lines[at - 1] === 'set -o pipefail' ? ['set -o pipefail', lines[at]] : [lines[at]])
        .map((l) => l.replace(/\s+#.*$/, ''))
        .join('\n');
  }
  throw new Error(`the ${readme} text has no command starting with "${prefix}"`);
}

/** The summary's rows and totals in a log: what the run lists. */
function summaryOf(log: string): { rows: string[]; totals: string } {
  const lines = log.split('\n');
  const totalsAt = lines
    .map((l, i) => [l, i] as const)
    .filter(([l]) => /^\d+ image builds?: /.test(l))
    .pop()?.[1];
  if (totalsAt === undefined) throw new Error(`no run summary in the log:\n${log.slice(-3000)}`);
  const dashes =
    lines
      .slice(0, totalsAt)
      .map((l, i) => [l, i] as const)
      .filter(([l]) => /^-{3,}(\s+-+)+$/.test(l))
      .pop()?.[1] ?? -1;
  return { rows: lines.slice(dashes + 1, totalsAt).filter((l) => /^\S/.test(l)), totals: lines[totalsAt] };
}

/**
 * The summary is whole in a log file: its "Images" title, its header row and its rule, then its
 * rows and totals, none overwritten by what nx printed after it (the text went through the nx
 * process's own stdout, not beside it).
 */
function expectSummaryWhole(log: string): void {
  const lines = log.split('\n');
  const title = lines.lastIndexOf('Images');
  expect(title).toBeGreaterThanOrEqual(0);
  expect(lines[title + 1]).toMatch(/^image\s+reference\s+build\s+steps cached/);
  expect(lines[title + 2]).toMatch(/^-{3,}(\s+-+)+$/);
  expect(summaryOf(log).totals).toMatch(/^\d+ image builds?: /);
}

describe('the README quick start and CI recipe, from a fresh npm init -y workspace', () => {
  const state = engineState();
  const registry = `${state.registry.address}/${P}`;
  let dir: string;
  let platformsBase: string;
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    NX_CACHE_DIRECTORY: join(dir, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(dir, '.nx', 'workspace-data'),
    DOCKER_HOST: state.dockerHost,
    COLUMNS: '120',
  });
  /** A shell command in the workspace, its output redirected to `log` (a file, as on a CI runner). */
  const run = (command: string, log: string): { code: number; log: string } => {
    const r = spawnSync('bash', ['-c', `{ ${command}\n} > ${log} 2>&1`], { cwd: dir, encoding: 'utf8', env: env() });
    // Nx writes colour codes whenever CI is set, as on a CI runner: the log is read without them.
    return { code: r.status ?? 1, log: readFileSync(join(dir, log), 'utf8').replace(/\x1b\[[0-9;]*m/g, '') };
  };
  const ok = (r: { code: number; log: string }) => {
    if (r.code !== 0) throw new Error(`exited with ${r.code}:\n${r.log.slice(-5000)}`);
    return r.log;
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
  const registryJson = async (path: string, accept?: string) => {
    const res = await fetch(`http://${state.registry.address}/v2/${P}/${path}`, accept ? { headers: { Accept: accept } } : {});
    return res.status === 200 ? res.json() : undefined;
  };

  beforeAll(() => {
    const up = execFileSync('bash', [join(REPO_ROOT, 'tools', 'platforms-up.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60 * 1000,
    });
    platformsBase = /^export PLATFORMS_BASE=(.*)$/m.exec(up)![1];
    // Outside the repository: Nx takes the nearest directory above with an nx.json as the workspace, and a
    // fresh workspace has none yet (the repository's own would be used).
    dir = mkdtempSync(join(tmpdir(), `nx-image-graph-quick-start-${process.pid}-`));
    execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    execFileSync('npm', ['install', '-D', `nx@${NX_VERSION}`, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.nx\n*.log\n');
    // The packed plugin beside the workspace's package.json, as a user who got the tarball has it.
    copyFileSync(pluginTarball(), join(dir, basename(pluginTarball())));
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'npm init -y');
    // origin/main: what the CI recipe compares with.
    execFileSync('git', ['clone', '-q', '--bare', dir, `${dir}.origin.git`]);
    git('remote', 'add', 'origin', `${dir}.origin.git`);
    git('fetch', '-q', 'origin');
  });

  afterAll(async () => {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.origin.git`, { recursive: true, force: true });
    }
    await removeImages(`${P}/`);
    await removeImages(`${registry}/`);
  });

  it('nx add with the tarball, as the README writes it, registers the plugin in an nx.json it creates', () => {
    // `nx add nx-image-graph@./nx-image-graph-0.3.0.tgz`, with this build's tarball name.
    const command = readmeCommand('nx add nx-image-graph@./', 'package').replace(
      /\.\/nx-image-graph-[^\s]+\.tgz/,
      `./${basename(pluginTarball())}`,
    );
    const log = ok(run(`npx ${command}`, 'add.log'));
    expect(log).toContain('Package nx-image-graph added successfully');
    expect(JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8')).plugins).toEqual([{ plugin: 'nx-image-graph', include: ['images/**'] }]);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies['nx-image-graph']).toMatch(
      /nx-image-graph-.*\.tgz$/,
    );
  });

  it('nx g nx-image-graph:image writes images/<name>/, and the graph has the edge', () => {
    // The quick start's first image, with a repository of this test's own (the engine is shared).
    ok(run(`npx ${readmeCommand('nx g nx-image-graph:image base', 'package')} --repository=${P}/base`, 'g-base.log'));
    const app = ok(run(`npx nx g nx-image-graph:image app --parent=base`, 'g-app.log'));
    expect(app).toContain("app: written to images/app/, the directory of the plugin's include images/** in nx.json");
    // A multi-platform image, written by hand (the generator has no --platforms), and the README's registry and release settings.
    mkdirSync(join(dir, 'images/plat'));
    writeFileSync(join(dir, 'images/plat/Dockerfile'), `FROM ${platformsBase}\nRUN uname -m > /built-on\n`);
    writeFileSync(
      join(dir, 'images/plat/image.json'),
      JSON.stringify({ repository: `${P}/plat`, tags: ['1.0'], platforms: ['linux/amd64', 'linux/arm64'] }),
    );
    const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
    nxJson.plugins[0].options = { registries: [registry] };
    nxJson.release = {
      projects: ['tag:image'],
      projectsRelationship: 'independent',
      changelog: { workspaceChangelog: false, projectChangelogs: false },
    };
    writeFileSync(join(dir, 'nx.json'), JSON.stringify(nxJson, null, 2));
    const projects = ok(run('npx nx show projects', 'projects.log'));
    expect(
      projects
        .split('\n')
        .filter((l) => /^[a-z]/.test(l))
        .sort(),
    ).toEqual(['app', 'base', 'plat']);
    expect(JSON.parse(readFileSync(join(dir, 'images/app/image.json'), 'utf8')).repository).toBe(`${P}/app`);
    git('add', '-A');
    git('commit', '-qm', 'images');
  });

  it('nx run-many -t docker-build builds every image; the summary in the log lists each build, platforms named', () => {
    const log = ok(run(`npx ${readmeCommand('nx run-many -t docker-build', 'package')}`, 'build.log'));
    expectSummaryWhole(log);
    const { rows, totals } = summaryOf(log);
    expect(rows.map((r) => r.split(/\s{2,}/)[0]).sort()).toEqual(['app', 'base', 'plat (linux/amd64)', 'plat (linux/arm64)']);
    expect(totals).toBe('4 image builds: 4 built');
    // "run it again: all cache hits"
    expect(summaryOf(ok(run(`npx ${readmeCommand('nx run-many -t docker-build', 'package')}`, 'build-again.log'))).totals).toBe(
      '4 image builds: 4 local cache',
    );
  });

  it("a failing base: the summary lists the run's builds only", () => {
    writeFileSync(join(dir, 'images/base/Dockerfile'), `${readFileSync(join(dir, 'images/base/Dockerfile'), 'utf8')}RUN exit 3\n`);
    const one = run('npx nx run base:docker-build', 'fail-base.log');
    expect(one.code).not.toBe(0);
    expectSummaryWhole(one.log);
    expect(summaryOf(one.log)).toEqual({
      rows: [expect.stringMatching(/^base\s+-\s+failed\s.*\(exit code 3\)$/)],
      totals: '1 image build: 1 failed',
    });
    const child = run('npx nx run app:docker-build', 'fail-app.log');
    expect(child.code).not.toBe(0);
    expect(summaryOf(child.log).rows).toEqual([
      expect.stringMatching(/^base\s+-\s+failed/),
      expect.stringMatching(/^app\s+-\s+skipped\s.*because base failed$/),
    ]);
    expect(summaryOf(child.log).totals).toBe('2 image builds: 1 failed, 1 skipped');
    git('checkout', '--', 'images/base/Dockerfile');
  });

  it('an option a target does not have is refused before anything builds', () => {
    const r = run('npx nx run app:docker-push --tag=foo', 'refused.log');
    expect(r.code).not.toBe(0);
    expect(r.log).toContain('app:docker-push: nx-image-graph:push: unknown option --tag');
    expect(r.log).not.toMatch(/Building |nx run base:docker-build/);
  });

  it("the CI recipe builds and pushes what changed; each build's output is in the log, the summary shows the pushes", async () => {
    const log = ok(run(readmeCommand('npx nx affected -t docker-build docker-push --base=origin/main', 'ci'), 'ci.log'));
    expectSummaryWhole(log);
    // Each task's output under its own line (static style), not only a ✔ (after the command line Nx prints, ending in \r\n).
    expect(log).toMatch(/> nx run base:docker-build[^\n]*\n[\s\S]*?✔ base: [0-9a-f]{12}/);
    expect(log).not.toMatch(/successful tasks were not shown/);
    const { rows } = summaryOf(log);
    const header = log.split('\n').find((l) => /^image\s+reference\s+build/.test(l));
    if (header) expect(header.split(/\s{2,}/)).toContain('push');
    for (const image of ['base', 'app', 'plat (linux/amd64)', 'plat (linux/arm64)'])
      expect(rows.find((r) => r.startsWith(`${image} `))).toMatch(/\sdone(\s|$)/);
    expect(((await registryJson(`${P}/base/tags/list`)) as { tags: string[] }).tags).toEqual(
      expect.arrayContaining(['latest', expect.stringMatching(/^nx-\d+$/)]),
    );
  });

  it('the CI recipe with log groups: one group per task, the summary after the last', () => {
    const log = ok(
      run(readmeCommand('npx nx affected -t docker-build docker-push --base=origin/main --output-style=static |', 'ci'), 'ci-groups.log'),
    );
    expect(log).toMatch(/::group::base:docker-build[^\n]*\n(?:(?!::endgroup::)[^\n]*\n)*?✔ base: [0-9a-f]{12}/);
    expect(log).toMatch(/::group::plat:docker-build-linux-arm64/);
    const lastEnd = log.lastIndexOf('::endgroup::');
    expect(log.lastIndexOf('::group::')).toBeLessThan(lastEnd);
    expect(summaryOf(log.slice(lastEnd)).totals).toMatch(/^4 image builds: /);
  });

  it("nx release publish tags the multi-platform image's index with the release version", async () => {
    ok(run('npx nx release version 1.0.0 --projects=plat --git-commit=false --git-tag=false', 'version.log'));
    const log = ok(run('npx nx release publish --projects=plat', 'publish.log'));
    expect(log).toMatch(/plat 1\.0\.0: tagged 1\.0\.0 in /);
    const index = (await registryJson(`${P}/plat/manifests/1.0.0`, 'application/vnd.oci.image.index.v1+json')) as {
      manifests: { platform: { architecture: string } }[];
    };
    expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    // docker-promote takes the same index; --version is Nx's, and the error says what to use.
    expect(ok(run('npx nx run plat:docker-promote --tag=1.0.1', 'promote.log'))).toMatch(/vnd\.oci\.image\.index\.v1\+json\) -> 1\.0\.1/);
    const version = run('npx nx run plat:docker-promote --version=1.0.1', 'promote-version.log');
    expect(version.code).not.toBe(0);
    expect(version.log).toContain("--version is Nx's own option");
  });
});

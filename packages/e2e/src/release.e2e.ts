import { removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * `nx release` on images, which have no package.json: `nx release version` writes the version to
 * each image's manifest (rebuilding nothing), and `nx release publish` runs each image's
 * nx-release-publish, which tags the exact image CI built and pushed, registry-side.
 */
const P = `e2erel${process.pid}`;
const ACCEPT =
  'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
};

describe('nx release for images', () => {
  const state = engineState();
  const registry = `${state.registry.address}/${P}`;
  let ws: TestWorkspace;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): RunResult =>
    ws.nx([...args, '--verbose'], { DOCKER_HOST: state.dockerHost, ...GIT_ENV, ...env });
  const digestOf = async (repo: string, tag: string) => {
    const [host, ...path] = registry.split('/');
    const res = await fetch(`http://${host}/v2/${path.join('/')}/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: ACCEPT },
    });
    return res.status === 200 ? res.headers.get('docker-content-digest') : `HTTP ${res.status}`;
  };
  /** The digest each image's push recorded under its nx-<hash> tag. */
  const pushedDigests = () => {
    const index = JSON.parse(ws.read('dist/images.json')) as Record<string, { pushed: { reference: string; digest: string }[] }>;
    return Object.fromEntries(Object.entries(index).map(([k, v]) => [k, v.pushed.find((p) => /:nx-/.test(p.reference))!.digest]));
  };
  /** Tasks Nx ran rather than read from its cache. */
  const builtTasks = (r: RunResult) => [...r.output.matchAll(/^> nx run (\S+)$/gm)].map((m) => m[1]).filter((t) => /docker-build/.test(t));

  beforeAll(() => {
    ws = TestWorkspace.create(
      'release',
      {
        'nx.json': JSON.stringify(
          {
            plugins: [{ plugin: 'nx-image-graph', options: { registries: [registry] } }],
            release: {
              projects: ['tag:image'],
              projectsRelationship: 'independent',
              changelog: { workspaceChangelog: false, projectChangelogs: false },
            },
          },
          null,
          2,
        ),
        'images/base/Dockerfile': `FROM busybox:1.36\nRUN echo ${P} > /base.txt\n`,
        'images/base/image.json': `{\n  "repository": "${P}/base",\n  "labels": { "team": "ml" }\n}\n`,
        // No manifest: the release writes one holding the version alone.
        'images/app/Dockerfile': `FROM ${P}/base:latest\nRUN echo app > /app.txt\n`,
        'images/tool/Dockerfile': 'ARG FLAVOR=cpu\nFROM busybox:1.36\nARG FLAVOR\nRUN echo $FLAVOR > /flavor\n',
        'images/tool/image.json': JSON.stringify(
          { repository: `${P}/tool`, variants: { cpu: { args: { FLAVOR: 'cpu' } }, gpu: { args: { FLAVOR: 'gpu' } } } },
          null,
          2,
        ),
      },
      {},
    );
  });

  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
    await removeImages(`${registry}/`);
  });

  let digests: Record<string, string>;

  it('CI builds and pushes every image', () => {
    expectSuccess(run(['run-many', '-t', 'docker-build,docker-push']));
    digests = pushedDigests();
    expect(Object.keys(digests).sort()).toEqual(['app', 'base', 'tool:cpu', 'tool:gpu']);
  });

  it("nx release version writes each image's version to its manifest; only a new manifest's image rebuilds, to the same id", () => {
    const r = run(['release', 'version', '1.2.0', '--git-commit=true', '--git-tag=true']);
    expectSuccess(r);
    expect(ws.read('images/base/image.json')).toBe(
      `{\n  "version": "1.2.0",\n  "repository": "${P}/base",\n  "labels": { "team": "ml" }\n}\n`,
    );
    expect(ws.read('images/app/image.json')).toBe('{\n  "version": "1.2.0"\n}\n');
    expect(JSON.parse(ws.read('images/tool/image.json')).version).toBe('1.2.0');
    // The release commit and tags, as for any Nx project.
    expect(ws.git('log', '-1', '--format=%s').trim()).toBe('chore(release): publish');
    expect(ws.git('tag', '--list').trim().split('\n').sort()).toEqual(['app@1.2.0', 'base@1.2.0', 'tool@1.2.0']);
    // No build reads "version": after the release commit every build with a manifest is a cache hit.
    // app's manifest is new, which Nx hashes as a change: one miss, rebuilt from the layer cache to the same image.
    const idBefore = ws.read('dist/image-builds/images/app/docker-build.image-id');
    const builds = run(['run-many', '-t', 'docker-build']);
    expectSuccess(builds);
    expect(builtTasks(builds)).toEqual(['app:docker-build']);
    expect(builds.output).toMatch(/Nx read the output from the cache instead of running the command for 4 out of 5 tasks/);
    expect(ws.read('dist/image-builds/images/app/docker-build.image-id')).toBe(idBefore);
    const again = run(['run-many', '-t', 'docker-build']);
    expect(builtTasks(again)).toEqual([]);
  });

  it("nx release publish tags the exact pushed images with the manifest's version, without rebuilding", async () => {
    const r = run(['release', 'publish']);
    expectSuccess(r);
    expect(builtTasks(r)).toEqual([]);
    expect(await digestOf(`${P}/base`, '1.2.0')).toBe(digests.base);
    expect(await digestOf('app', '1.2.0')).toBe(digests.app);
    // One repository, two variants: each keeps its own tag.
    expect(await digestOf(`${P}/tool`, '1.2.0-cpu')).toBe(digests['tool:cpu']);
    expect(await digestOf(`${P}/tool`, '1.2.0-gpu')).toBe(digests['tool:gpu']);
    expect(await digestOf(`${P}/tool`, '1.2.0')).toBe('HTTP 404');
    expect(r.output).toContain('✔ app 1.2.0: tagged 1.2.0 in');
    const index = JSON.parse(ws.read('dist/images.json'));
    expect(index.app.promoted.map((p: { reference: string }) => p.reference)).toEqual([`${registry}/app:1.2.0`]);
  });

  it('--dry-run says what it would tag and tags nothing', async () => {
    expectSuccess(run(['release', 'version', '1.3.0-rc.1', '--git-commit=false', '--git-tag=false']));
    const r = run(['release', 'publish', '--dry-run']);
    expectSuccess(r);
    expect(r.output).toContain('[dry run] app 1.3.0-rc.1: would tag 1.3.0-rc.1');
    expect(await digestOf('app', '1.3.0-rc.1')).toBe('HTTP 404');
    ws.git('reset', '-q', '--hard');
    expect(JSON.parse(ws.read('images/app/image.json')).version).toBe('1.2.0');
  });

  it('nx release versions and publishes in one go; a project the release leaves out is not tagged', async () => {
    const r = run(['release', '2.0.0', '--projects=base,tool', '--yes']);
    expectSuccess(r);
    expect(await digestOf(`${P}/base`, '2.0.0')).toBe(digests.base);
    expect(await digestOf(`${P}/tool`, '2.0.0-gpu')).toBe(digests['tool:gpu']);
    expect(await digestOf('app', '2.0.0')).toBe('HTTP 404');
    expect(JSON.parse(ws.read('images/app/image.json')).version).toBe('1.2.0');
  });

  it('a publish without a version says how to get one', () => {
    ws.write({ 'images/app/image.json': '{}\n' });
    const r = run(['run', 'app:nx-release-publish']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('✖ app: no release version: images/app/image.json has no "version"; run `nx release version` first');
    ws.git('reset', '-q', '--hard');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildFailure } from './build-failure';
import type { BuildTask } from './build-plan';
import { HASH_STANDIN, prepareBuild, withWholeContext } from './prepare-build';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('prepareBuild: a build read from the workspace, once', () => {
  let root: string;
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };
  const task = (options: Partial<BuildTask['options']> = {}, more: Partial<BuildTask> = {}): BuildTask => ({
    root,
    project: 'app',
    target: 'docker-build',
    nxHash: '123',
    options: {
      dockerfile: 'images/app/Dockerfile',
      context: 'images/app',
      repository: 'acme/app',
      tags: ['latest', '{hash}'],
      parents: [],
      metadataFile: 'dist/images/app/docker-build.json',
      ociLabels: false,
      ...options,
    },
    overrides: [],
    ...more,
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'prepare-build-'));
    write({
      'images/app/Dockerfile':
        'ARG BASE=acme/base:latest\nFROM ${BASE}\nFROM busybox:1.36 AS tools\nCOPY app.sh /app.sh\nCOPY --from=tools /bin/true /true\n',
      'images/app/app.sh': 'echo hi\n',
      'images/app/unused.txt': 'not read\n',
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives args, tags, parents, external bases and exactly the context files the Dockerfile reads', async () => {
    const plan = await prepareBuild(
      task({
        args: { GREETING: 'hi' },
        buildArg: ['GREETING=bonjour'],
        parents: [{ reference: 'acme/base:latest', project: 'base', metadataFile: 'dist/images/base/docker-build.json' }],
      }),
    );
    expect(plan.givenArgs).toEqual({ GREETING: 'bonjour' });
    expect(plan.settings.references).toEqual(['acme/app:latest', 'acme/app:123']);
    expect(plan.bases).toEqual(['busybox:1.36']);
    expect(plan.parents.map((p) => p.project)).toEqual(['base']);
    expect(plan.context.files.files).toEqual(['app.sh']);
    expect(plan.dockerfileInContext).toBe('Dockerfile');
    expect(plan.label).toBe('app');
  });

  it('sends the Dockerfile rewritten, and outside the context, when the lock pins a base by digest', async () => {
    write({
      'images.lock.json': JSON.stringify({
        lockfileVersion: 1,
        bases: { 'busybox:1~36': { reference: 'busybox:1.36', digest: DIGEST, source: 'registry' } },
      }),
    });
    const plan = await prepareBuild(task());
    expect(plan.sentDockerfile).toContain(`FROM busybox@${DIGEST} AS tools`);
    expect(plan.dockerfileInContext).toBeUndefined();
    expect(plan.lockedDigests.get('busybox:1.36')).toBe(DIGEST);
  });

  it('leaves a lock it cannot read for the build to fail on (a dry run names it)', async () => {
    write({ 'images.lock.json': '{' });
    expect((await prepareBuild(task())).lockProblem).toMatch(/images\.lock\.json is not valid JSON/);
  });

  it('a command-line build arg is another image: its own hash tag, the configured tags untouched', async () => {
    const plan = await prepareBuild(task({ buildArg: 'X=1' }, { overrides: ['buildArg'] }));
    expect(plan.settings.tags).toEqual(['nx-123']);
    expect(plan.tagNote).toMatch(/--build-arg given on the command line/);
  });

  it('one platform of a multi-platform build gets its own tags and keeps the plain ones for the index', async () => {
    const plan = await prepareBuild(task({ tags: ['latest'], platform: 'linux/arm64', platformTags: true, variant: 'cpu' }));
    expect(plan.settings.tags).toEqual(['latest-linux-arm64']);
    expect(plan.indexTags).toEqual(['latest']);
    expect(plan.label).toBe('app (cpu, linux/arm64)');
  });

  it('fills {hash} with a stand-in where the hash is not known (dry run, plan)', async () => {
    const plan = await prepareBuild(task({}, { nxHash: undefined }), { hash: HASH_STANDIN });
    expect(plan.settings.references).toContain(`acme/app:${HASH_STANDIN}`);
  });

  it('names a missing Dockerfile, context or bad build arg as a BuildFailure', async () => {
    await expect(prepareBuild(task({ dockerfile: 'images/none/Dockerfile' }))).rejects.toThrow(
      new BuildFailure('Dockerfile images/none/Dockerfile does not exist'),
    );
    await expect(prepareBuild(task({ context: 'images/none' }))).rejects.toThrow('build context images/none does not exist');
    await expect(prepareBuild(task({ buildArg: 'NOEQUALS' }))).rejects.toThrow('--build-arg "NOEQUALS" is not NAME=value');
  });

  it('reads the whole context once a base turns out to have ONBUILD triggers', async () => {
    const plan = await withWholeContext(await prepareBuild(task()));
    expect(plan.context.files.files).toEqual(['Dockerfile', 'app.sh', 'unused.txt']);
    expect(plan.context.onBuild).toBe(true);
    expect(plan.context.sources).toBeUndefined();
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { docker, imageIdOf, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * External bases pinned by digest in images.lock.json: the lock command pins a base pushed to the
 * local registry by its manifest digest (busybox:1.36, whose registry is not reachable here, by the
 * engine's image id); a new image pushed under the base's tag is named by --check, and the builds
 * stay on the locked digest until the lock is updated; then exactly the images on that base rebuild.
 */
const P = `e2elock${process.pid}`;

type Row = { image: string; outcome: string };
type LockFile = { lockfileVersion: number; bases: Record<string, { reference: string; digest: string; source: string }> };

async function push(reference: string): Promise<void> {
  // The open local registry: no credentials, but the Engine API wants the header.
  const stream = (await docker
    .getImage(reference)
    .push({ authconfig: { serveraddress: reference.split('/')[0] } } as never)) as unknown as NodeJS.ReadableStream;
  const text = await new Promise<string>((resolve, reject) => {
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString()));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
  const error = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { error?: string })
    .find((m) => m.error);
  if (error) throw new Error(`push of ${reference} failed: ${error.error}`);
}

describe('external bases pinned by digest (images.lock.json)', () => {
  const state = engineState();
  const base = `${state.registry.address}/${P}/base:1`;
  const baseKey = base.split('.').join('~');
  let ws: TestWorkspace;
  let lockedDigest: string;
  let firstIds: Record<string, string | undefined>;
  const env = { DOCKER_HOST: state.dockerHost };
  const nx = (args: string[]): RunResult => ws.nx([...args, '--outputStyle=stream'], env);
  /** The lock command as a user runs it (npx), in the workspace. */
  const lockCommand = (args: string[] = []): RunResult => {
    const r = spawnSync(join(ws.dir, 'node_modules', '.bin', 'nx-image-graph-lock'), args, {
      cwd: ws.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_CACHE_DIRECTORY: join(ws.dir, '.nx', 'cache'),
        NX_WORKSPACE_DATA_DIRECTORY: join(ws.dir, '.nx', 'workspace-data'),
        ...env,
      },
    });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
  };
  const lockFile = (): LockFile => JSON.parse(ws.read('images.lock.json'));
  const registryDigest = async () => {
    const [host, ...path] = base.split('/');
    const [repo, tag] = path.join('/').split(':');
    const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        Accept:
          'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    return res.headers.get('docker-content-digest');
  };
  const outcomes = (): Record<string, string> =>
    Object.fromEntries((JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: Row[] }).rows.map((r) => [r.image, r.outcome]));
  const ids = async () => ({
    a: await imageIdOf(`${P}/a:latest`),
    b: await imageIdOf(`${P}/b:latest`),
    c: await imageIdOf(`${P}/c:latest`),
  });

  beforeAll(async () => {
    if (!(await imageIdOf('busybox:1.36')))
      throw new Error('busybox:1.36 is not in the engine at ' + state.dockerHost + '; tools/engine-up.sh loads it');
    const [repo, tag] = [base.slice(0, base.lastIndexOf(':')), base.slice(base.lastIndexOf(':') + 1)];
    await docker.getImage('busybox:1.36').tag({ repo, tag });
    await push(base);
    ws = TestWorkspace.create('base-lock', {
      'images/a/Dockerfile': `FROM ${base}\nRUN echo a > /a.txt\n`,
      'images/a/image.json': JSON.stringify({ repository: `${P}/a` }),
      'images/b/Dockerfile': `ARG BASE=${base}\nFROM \${BASE}\nRUN echo b > /b.txt\n`,
      'images/b/image.json': JSON.stringify({ repository: `${P}/b` }),
      'images/c/Dockerfile': 'FROM busybox:1.36\nRUN echo c > /c.txt\n',
      'images/c/image.json': JSON.stringify({ repository: `${P}/c` }),
    });
  });

  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
    // Only the tag: the first base image is busybox:1.36's own image, which other tests use.
    await docker
      .getImage(base)
      .remove()
      .catch(() => undefined);
  });

  it('locks the pushed base by its registry digest and busybox:1.36 by where it can be resolved, saying which', async () => {
    const r = lockCommand();
    expect(r.code).toBe(0);
    lockedDigest = (await registryDigest())!;
    const lock = lockFile();
    expect(lock.bases[baseKey]).toEqual({ reference: base, digest: lockedDigest, source: 'registry' });
    expect(r.stdout).toContain(`${base} -> ${lockedDigest} (registry) locked; used by a:docker-build, b:docker-build`);
    const busybox = lock.bases['busybox:1~36'];
    // Docker Hub is out of reach on a machine without internet: then the engine's image id, said so.
    if (busybox.source === 'engine') {
      expect(busybox.digest).toBe(await imageIdOf('busybox:1.36'));
      expect(r.stdout).toMatch(
        /busybox:1\.36 -> sha256:\S+ \(engine\) locked; used by c:docker-build\n\s+NOTE: registry-1\.docker\.io not reachable/,
      );
    } else
      expect(busybox).toEqual({ reference: 'busybox:1.36', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), source: 'registry' });
    expect(lockCommand(['--check']).code).toBe(0);
    // Committed, as a workspace keeps it: `nx affected` then sees an update as a change.
    ws.git('add', 'images.lock.json');
    ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', 'lock the external bases');
  });

  it('builds on the locked digest, recorded in each build', async () => {
    expectSuccess(nx(['run-many', '-t', 'docker-build']));
    firstIds = await ids();
    const meta = JSON.parse(ws.read('dist/image-builds/images/a/docker-build.json')) as { bases: { reference: string; digest?: string }[] };
    expect(meta.bases).toEqual([{ reference: base, imageId: await imageIdOf('busybox:1.36'), digest: lockedDigest }]);
  });

  it('--check names a base that moved upstream, with the locked and the current digest', async () => {
    // A different image under the same tag: busybox with one more layer, pushed as .../base:1.
    const container = await docker.createContainer({ Image: 'busybox:1.36', Cmd: ['sh', '-c', 'echo moved > /moved.txt'] });
    try {
      await container.start();
      await container.wait();
      const [repo, tag] = [base.slice(0, base.lastIndexOf(':')), base.slice(base.lastIndexOf(':') + 1)];
      await container.commit({ repo, tag });
    } finally {
      await container.remove({ force: true });
    }
    await push(base);
    const moved = (await registryDigest())!;
    expect(moved).not.toBe(lockedDigest);
    const r = lockCommand(['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `✖ ${base} moved: locked ${lockedDigest}, the registry has ${moved} now (used by a:docker-build, b:docker-build)`,
    );
  });

  it('keeps building on the locked digest while the lock is not updated: cache hits, and the same images when built again', async () => {
    expectSuccess(nx(['run-many', '-t', 'docker-build']));
    expect(outcomes()).toMatchObject({ a: 'local cache', b: 'local cache', c: 'local cache' });
    const r = nx(['run-many', '-t', 'docker-build', '--skip-nx-cache']);
    expectSuccess(r);
    expect(await ids()).toEqual(firstIds);
  });

  it('after the update, nx affected builds exactly the two images on the moved base, on the new digest; the third stays a cache hit', async () => {
    const r = lockCommand();
    expect(r.code).toBe(0);
    const moved = (await registryDigest())!;
    expect(r.stdout).toContain(`${base} -> ${moved} (registry) moved from ${lockedDigest.slice(0, 19)}`);
    expect(lockFile().bases[baseKey].digest).toBe(moved);
    expect(lockCommand(['--check']).code).toBe(0);
    // Nx 24 reads a JSON field input's change per field: the edited entry reaches only the builds on it.
    expectSuccess(nx(['affected', '-t', 'docker-build', '--base=HEAD']));
    expect(outcomes()).toEqual({ a: 'built', b: 'built' });
    expectSuccess(nx(['run-many', '-t', 'docker-build']));
    expect(outcomes()).toEqual({ a: 'local cache', b: 'local cache', c: 'local cache' });
    const now = await ids();
    expect(now.a).not.toBe(firstIds.a);
    expect(now.b).not.toBe(firstIds.b);
    expect(now.c).toBe(firstIds.c);
    const meta = JSON.parse(ws.read('dist/image-builds/images/b/docker-build.json')) as { bases: { digest?: string }[] };
    expect(meta.bases[0].digest).toBe(moved);
  });

  it('refuses to build on an engine-locked base whose image id is not the locked one', async () => {
    const lock = lockFile();
    lock.bases['busybox:1~36'] = { reference: 'busybox:1.36', digest: `sha256:${'0'.repeat(64)}`, source: 'engine' };
    ws.write({ 'images.lock.json': JSON.stringify(lock, null, 2) + '\n' });
    const r = nx(['run', 'c:docker-build']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`busybox:1.36 is locked to sha256:${'0'.repeat(64)} in images.lock.json`);
    expect(r.output).toContain(`but the engine has ${await imageIdOf('busybox:1.36')}`);
  });
});

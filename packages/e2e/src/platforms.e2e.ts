import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImages } from './support/engine';
import { REPO_ROOT } from './support/paths';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * Multi-platform images on the real engine: arm64 through qemu-user-static registered with
 * binfmt_misc (tools/platforms-up.sh, which also puts an amd64+arm64 busybox index in the local
 * registry), a two-platform base and a child built per platform on it, pushed with an OCI index
 * to the local registry, read back through the registry's HTTP API and pulled per platform by digest.
 */
const OWNER = `e2eplat${process.pid}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const ARCH: Record<string, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' };
const INDEX = 'application/vnd.oci.image.index.v1+json';

/** A platform this machine has no emulator for: the build must refuse it before it starts. */
function platformWithoutEmulator(): string {
  const candidates: Record<string, string> = {
    'linux/riscv64': 'riscv64',
    'linux/s390x': 's390x',
    'linux/ppc64le': 'ppc64le',
    'linux/mips64le': 'mips64el',
  };
  const found = Object.entries(candidates).find(([, qemu]) => !existsSync(`/proc/sys/fs/binfmt_misc/qemu-${qemu}`));
  if (!found)
    throw new Error('every candidate platform has a binfmt_misc handler here; the "no emulator" case cannot be shown on this machine');
  return found[0];
}

function dockerCli(...args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

describe('multi-platform images', () => {
  let ws: TestWorkspace;
  let registry: string;
  let base: string;
  let exotic: string;
  let firstRun: ReturnType<TestWorkspace['nx']>;
  const meta = (root: string, target: string) => JSON.parse(ws.read(`dist/image-builds/images/${root}/${target}.json`));

  beforeAll(() => {
    const up = execFileSync('bash', [join(REPO_ROOT, 'tools', 'platforms-up.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60 * 1000,
    });
    const env = Object.fromEntries([...up.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    registry = env.IMAGE_REGISTRY;
    base = env.PLATFORMS_BASE;
    exotic = platformWithoutEmulator();
    ws = TestWorkspace.create('platforms', {
      'images/base/Dockerfile': `FROM ${base}\nRUN uname -m > /built-on\n`,
      'images/base/image.json': JSON.stringify({
        repository: `${OWNER}/base`,
        tags: ['1.0'],
        platforms: PLATFORMS,
        registries: [registry],
      }),
      'images/child/Dockerfile': `FROM ${OWNER}/base:1.0\nRUN cp /built-on /parent-built-on && uname -m > /child-built-on\n`,
      'images/child/image.json': JSON.stringify({ repository: `${OWNER}/child`, platforms: PLATFORMS, registries: [registry] }),
      'images/exotic/Dockerfile': `FROM ${base}\nRUN uname -m > /built-on\n`,
      'images/exotic/image.json': JSON.stringify({ repository: `${OWNER}/exotic`, platforms: ['linux/amd64', exotic] }),
      'images/single/Dockerfile': `FROM busybox:1.36-linux-arm64\nRUN uname -m > /built-on\n`,
      'images/single/image.json': JSON.stringify({ repository: `${OWNER}/single`, platform: 'linux/arm64' }),
    });
    firstRun = ws.nx(['run-many', '-t', 'docker-build', '--outputStyle=stream']);
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
    await removeImages(`${registry}/${OWNER}/`);
  });

  it('gives each platform its own build target, and the plain target builds them all', () => {
    const project = JSON.parse(ws.nx(['show', 'project', 'child', '--json']).stdout) as {
      targets: Record<string, { executor: string; options?: { command?: string }; dependsOn?: unknown[] }>;
    };
    expect(project.targets['docker-build'].dependsOn).toEqual(['docker-build-linux-amd64', 'docker-build-linux-arm64']);
    // A build of its own: the build command, as every build target.
    expect(project.targets['docker-build-linux-arm64']).toMatchObject({
      executor: 'nx:run-commands',
      options: { command: 'nx-image-graph-build' },
    });
    // Each platform of the child depends on the parent's build of that platform only.
    expect(project.targets['docker-build-linux-arm64'].dependsOn).toEqual([{ projects: ['base'], target: 'docker-build-linux-arm64' }]);
  });

  it('builds one image per platform, each of its own architecture, under tags of its own', async () => {
    for (const root of ['base', 'child']) {
      const hashes = new Set<string>();
      for (const platform of PLATFORMS) {
        const m = meta(root, `docker-build-${platform.replace('/', '-')}`);
        expect(m).toMatchObject({
          platform,
          tags: [`${root === 'base' ? '1.0' : 'latest'}-${platform.replace('/', '-')}`],
          indexTags: [root === 'base' ? '1.0' : 'latest'],
        });
        const image = await docker.getImage(m.imageId).inspect();
        expect(`${image.Os}/${image.Architecture}`).toBe(platform);
        expect((await docker.getImage(m.references[0]).inspect()).Id).toBe(m.imageId);
        hashes.add(m.nxHash);
      }
      expect(hashes.size).toBe(2);
    }
  });

  it('builds each platform of the child on the parent image of that platform, RUN steps running on that architecture', () => {
    for (const platform of PLATFORMS) {
      const slug = platform.replace('/', '-');
      const child = meta('child', `docker-build-${slug}`);
      expect(child.parents).toEqual([
        {
          project: 'base',
          target: `docker-build-${slug}`,
          reference: `${OWNER}/base:1.0`,
          imageId: meta('base', `docker-build-${slug}`).imageId,
        },
      ]);
      const out = dockerCli('run', '--rm', '--platform', platform, child.imageId, 'cat', '/parent-built-on', '/child-built-on');
      expect(out.split('\n')).toEqual([ARCH[platform], ARCH[platform]]);
    }
  });

  it('keeps the single "platform" field: one image of that platform under the plain tags', async () => {
    const m = meta('single', 'docker-build');
    expect(m).toMatchObject({ platform: 'linux/arm64', tags: ['latest'] });
    expect((await docker.getImage(`${OWNER}/single:latest`).inspect()).Architecture).toBe('arm64');
    expect(dockerCli('run', '--rm', '--platform', 'linux/arm64', m.imageId, 'cat', '/built-on')).toBe('aarch64');
  });

  it('refuses, before building, a platform the engine has no emulator for, and builds the other platform', () => {
    expect(firstRun.code).not.toBe(0);
    expect(firstRun.output).toContain(
      `cannot run ${exotic} RUN steps: no binfmt_misc handler on its host runs ${exotic.split('/')[1]} binaries`,
    );
    expect(firstRun.output).toContain('update-binfmts --enable qemu-');
    expect(firstRun.output).not.toContain(`Building exotic (${exotic})`);
    expect(existsSync(join(ws.dir, `dist/image-builds/images/exotic/docker-build-${exotic.replace('/', '-')}.json`))).toBe(false);
    expect(meta('exotic', 'docker-build-linux-amd64').platform).toBe('linux/amd64');
  });

  it('caches each platform: a second run builds nothing', () => {
    const again = ws.nx(['run-many', '-t', 'docker-build', '--projects=base,child', '--outputStyle=stream']);
    expectSuccess(again);
    const rows = (JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { task: string; outcome: string }[] }).rows;
    const builds = rows.filter((r) => /:docker-build-linux-/.test(r.task));
    expect(builds).toHaveLength(4);
    for (const r of builds) expect(r.outcome).toBe('local cache');
  });

  it('a dry run of the push names each platform reference and the index, and pushes nothing', async () => {
    const r = ws.nx(['run', 'child:docker-push', '--dry-run', '--outputStyle=stream']);
    expectSuccess(r);
    for (const p of PLATFORMS) expect(r.output).toContain(`${registry}/${OWNER}/child:latest-${p.replace('/', '-')}`);
    expect(r.output).toContain(`index ${registry}/${OWNER}/child:latest`);
    expect((await fetch(`http://${registry}/v2/${OWNER}/child/manifests/latest`, { headers: { accept: INDEX } })).status).toBe(404);
  });

  it('pushes each platform image and an OCI index listing both, recording every digest', async () => {
    expectSuccess(ws.nx(['run-many', '-t', 'docker-push', '--projects=base,child', '--outputStyle=stream']));
    const record = JSON.parse(ws.read('dist/image-builds/images/child/docker-build.push.json'));
    expect(record.platforms.map((p: { platform: string }) => p.platform)).toEqual(PLATFORMS);
    const hashTag = `nx-${record.nxHash}`;
    expect(record.index.map((r: { reference: string }) => r.reference)).toEqual([
      `${registry}/${OWNER}/child:latest`,
      `${registry}/${OWNER}/child:${hashTag}`,
    ]);
    const published = JSON.parse(ws.read('dist/images.json'));
    expect(published.child).toMatchObject({
      repository: `${OWNER}/child`,
      tags: ['latest'],
      pushed: record.index,
      platforms: record.platforms,
    });

    // The registry's own answer, over its HTTP API.
    for (const tag of ['latest', hashTag]) {
      const res = await fetch(`http://${registry}/v2/${OWNER}/child/manifests/${tag}`, { headers: { accept: INDEX } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(INDEX);
      expect(res.headers.get('docker-content-digest')).toBe(record.index[0].digest);
      const index = (await res.json()) as { manifests: { digest: string; platform: { os: string; architecture: string } }[] };
      expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual(PLATFORMS);
      expect(index.manifests.map((m) => m.digest)).toEqual(
        record.platforms.map((p: { pushed: { digest: string }[] }) => p.pushed[0].digest),
      );
    }
  });

  it('a pull of each platform by digest gives an image of that architecture whose RUN output was made on it', async () => {
    const record = JSON.parse(ws.read('dist/image-builds/images/child/docker-build.push.json'));
    for (const p of record.platforms as { platform: string; imageId: string; pushed: { digest: string }[] }[]) {
      // Out of the engine first, so the pull is what puts it there.
      await docker.getImage(p.imageId).remove({ force: true });
      const ref = `${registry}/${OWNER}/child@${p.pushed[0].digest}`;
      dockerCli('pull', '-q', ref);
      const image = await docker.getImage(ref).inspect();
      expect(image.Id).toBe(p.imageId);
      expect(`${image.Os}/${image.Architecture}`).toBe(p.platform);
      expect(dockerCli('run', '--rm', '--platform', p.platform, ref, 'cat', '/child-built-on')).toBe(ARCH[p.platform]);
    }
  });

  it("materializes the engine's own platform under the image's plain tags", async () => {
    const native = meta('child', 'docker-build-linux-amd64');
    await docker.getImage(native.imageId).remove({ force: true });
    const r = ws.nx(['run', 'child:docker-materialize', '--outputStyle=stream']);
    expectSuccess(r);
    expect(r.output).toContain('linux/amd64 image');
    for (const ref of [`${OWNER}/child:latest`, `${OWNER}/child:latest-linux-amd64`]) {
      const image = await docker.getImage(ref).inspect();
      expect(image.Id).toBe(native.imageId);
      expect(image.Architecture).toBe('amd64');
    }
  });
});

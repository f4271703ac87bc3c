import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './support/paths';
import { RunResult, TestWorkspace } from './support/test-workspace';

/**
 * docker-build against Podman's Docker-compatible API (classic builder, no BuildKit), brought up by
 * tools/podman-up.sh: the same graph as on Docker builds parents first, pins children to the parent
 * ids it recorded, reports failures by step and exit code, and a second run does no engine work.
 */
const OWNER = `podman${process.pid}`;
const PODMAN_UP = join(REPO_ROOT, 'tools', 'podman-up.sh');

const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt && test -s /base.txt\n',
  'images/base/image.json': JSON.stringify({ repository: `${OWNER}/base`, tags: ['cpu'] }),
  // A child by ARG default, and one by a plain FROM that also uses a cache mount (Podman's builder has RUN --mount).
  'images/app/Dockerfile': `ARG BASE=${OWNER}/base:cpu\nFROM \${BASE}\nCOPY app.sh /app.sh\nRUN sh /app.sh > /out.txt && test -f /base.txt\n`,
  'images/app/app.sh': 'echo "hello from app"\n',
  'images/app/image.json': JSON.stringify({ repository: `${OWNER}/app`, tags: ['latest'] }),
  'images/cached/Dockerfile': `FROM ${OWNER}/base:cpu\nRUN --mount=type=cache,target=/cache sh -c 'test -f /cache/seen || date > /cache/seen; cp /cache/seen /seen'\n`,
  'images/cached/image.json': JSON.stringify({ repository: `${OWNER}/cached` }),
  'images/broken/Dockerfile': `FROM ${OWNER}/base:cpu\nRUN echo about to fail && echo detail-line-1 && exit 3\n`,
  'images/broken/image.json': JSON.stringify({ repository: `${OWNER}/broken` }),
  'images/heredoc/Dockerfile': 'FROM busybox:1.36\nRUN <<EOF\necho from a heredoc > /h\nEOF\n',
  'images/heredoc/image.json': JSON.stringify({ repository: `${OWNER}/heredoc` }),
};

describe('docker-build against Podman (Docker-compatible API)', () => {
  let podmanHost: string;
  let startedHere = false;
  let podman: Docker;
  let ws: TestWorkspace | undefined;
  let firstRun: RunResult;
  const nx = (args: string[]) => ws!.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: podmanHost });
  const meta = (root: string) => JSON.parse(ws!.read(`dist/image-builds/${root}/docker-build.json`));
  const idOf = (reference: string) =>
    podman
      .getImage(reference)
      .inspect()
      .then(
        (i) => i.Id,
        () => undefined,
      );

  beforeAll(async () => {
    let exports: string;
    try {
      exports = execFileSync('bash', [PODMAN_UP], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60 * 1000 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`tools/podman-up.sh could not bring Podman up:\n${err.stderr || err.message}`);
    }
    const value = (name: string) => new RegExp(`^export ${name}=(.*)$`, 'm').exec(exports)?.[1];
    podmanHost = value('PODMAN_HOST') ?? '';
    startedHere = value('PODMAN_SERVICE_STARTED') === '1';
    if (!podmanHost.startsWith('unix://')) throw new Error(`tools/podman-up.sh printed no PODMAN_HOST:\n${exports}`);
    podman = new Docker({ socketPath: podmanHost.slice('unix://'.length) });
    // What `podman tag busybox acme/base:cpu` makes: a short name under localhost/. It must not be what the children get.
    await podman.getImage('busybox:1.36').tag({ repo: `localhost/${OWNER}/base`, tag: 'cpu' });

    ws = TestWorkspace.create('podman', files);
    const started = Date.now();
    firstRun = nx(['run-many', '-t', 'docker-build']);
    process.stdout.write(`podman e2e: first run (5 images, 3 built) ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  afterAll(async () => {
    ws?.remove();
    if (podman) {
      for (const image of await podman.listImages().catch(() => [])) {
        if ((image.RepoTags ?? []).some((t) => t.includes(`${OWNER}/`)))
          await podman
            .getImage(image.Id)
            .remove({ force: true })
            .catch(() => undefined);
      }
    }
    // Tests stop what they start: a service that was already running stays.
    if (startedHere) execFileSync('bash', [PODMAN_UP, '--stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });

  it('builds parents first with the classic builder, and goes on when one image fails', () => {
    expect(firstRun.code).not.toBe(0);
    for (const p of ['base', 'app', 'cached']) expect(firstRun.output).toMatch(new RegExp(`✔ ${p}: [0-9a-f]{12} ${OWNER}/${p}`));
    expect(firstRun.output).toContain('with the classic builder on podman');
    expect(firstRun.output.indexOf('✔ base:')).toBeLessThan(firstRun.output.indexOf('✔ app:'));
    expect(firstRun.output.indexOf('✔ base:')).toBeLessThan(firstRun.output.indexOf('✔ cached:'));
  });

  it('records podman and the classic builder, and pins each child to the id its parent recorded', async () => {
    const base = meta('images/base');
    expect(base).toMatchObject({
      repository: `${OWNER}/base`,
      tags: ['cpu'],
      engine: { name: 'podman', builder: 'classic' },
      steps: { total: 1 },
    });
    expect(base.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const child of ['images/app', 'images/cached']) {
      const m = meta(child);
      expect(m.engine).toMatchObject({ name: 'podman', builder: 'classic' });
      expect(m.parents).toEqual([{ project: 'base', target: 'docker-build', reference: `${OWNER}/base:cpu`, imageId: base.imageId }]);
      // Built on that very image (its layers first), not on the localhost/ name or anything pulled.
      const layers = (await podman.getImage(m.imageId).inspect()).RootFS.Layers ?? [];
      const baseLayers = (await podman.getImage(base.imageId).inspect()).RootFS.Layers ?? [];
      expect(layers.slice(0, baseLayers.length)).toEqual(baseLayers);
    }
    expect(meta('images/app').steps.total).toBe(2);
  });

  it('tags the images in Podman, not in Docker', async () => {
    expect(await idOf(`${OWNER}/base:cpu`)).toBe(meta('images/base').imageId);
    expect(await idOf(`${OWNER}/app:latest`)).toBe(meta('images/app').imageId);
    expect(await idOf(`${OWNER}/cached:latest`)).toBe(meta('images/cached').imageId);
    const labels = (await podman.getImage(meta('images/app').imageId).inspect()).Config.Labels;
    expect(labels['org.opencontainers.image.title']).toBe('app');
    expect(
      await new Docker()
        .getImage(`${OWNER}/base:cpu`)
        .inspect()
        .then(
          () => 'in docker',
          () => 'absent',
        ),
    ).toBe('absent');
  });

  it('reports the failing RUN step with its exit code and log, and writes no metadata', () => {
    expect(firstRun.output).toMatch(/✖ broken: build failed at step \[2\/2\] RUN echo about to fail.*\(exit code 3\)/);
    expect(firstRun.output).toContain('exit status 3');
    expect(firstRun.output).toContain('detail-line-1');
    expect(() => meta('images/broken')).toThrow();
  });

  it('refuses a heredoc before building: Podman 4.3 would read its lines as instructions', () => {
    expect(firstRun.output).toMatch(
      /✖ heredoc: images\/heredoc\/Dockerfile uses heredocs \(line 2\), which the builder of Podman [\d.]+ does not support/,
    );
  });

  it('a second run does no engine work: every image is a cache hit', () => {
    const started = Date.now();
    const r = nx(['run-many', '-t', 'docker-build', '--exclude=broken,heredoc']);
    process.stdout.write(`podman e2e: second run ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    expect(r.code).toBe(0);
    expect(r.output).toContain('Nx read the output from the cache instead of running the command for 3 out of 3 tasks');
  });

  it("a rebuild past Nx's cache is all Podman layer-cache hits", () => {
    // Not the parent: a rebuilt parent is a new image (its created label), and its children rebuild too.
    const r = nx(['run', 'app:docker-build', '--skip-nx-cache', '--excludeTaskDependencies']);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/✔ app: [0-9a-f]{12} .* 2\/2 steps cached/);
    expect(meta('images/app').steps).toEqual({ total: 2, cached: 2 });
  });

  it('the stale-tag trap: a child is built on the recorded parent id, whatever the tag points to', async () => {
    const baseId = meta('images/base').imageId;
    const busyboxId = await idOf('busybox:1.36');
    await podman.getImage('busybox:1.36').tag({ repo: `${OWNER}/base`, tag: 'cpu' });
    expect(await idOf(`${OWNER}/base:cpu`)).toBe(busyboxId);
    ws!.write({ 'images/app/app.sh': 'echo "changed app"\n' });
    const r = nx(['run', 'app:docker-build']);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/base:docker-build.*\[local cache\]|existing outputs match the cache/);
    expect(meta('images/base').imageId).toBe(baseId);
    expect(meta('images/app').parents[0].imageId).toBe(baseId);
    expect(await idOf(`${OWNER}/base:cpu`)).toBe(baseId);
    const layers = (await podman.getImage(meta('images/app').imageId).inspect()).RootFS.Layers ?? [];
    expect(layers).toContain(((await podman.getImage(baseId).inspect()).RootFS.Layers ?? []).at(-1));
  });
});

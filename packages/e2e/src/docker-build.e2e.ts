import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, imageIdOf, removeImages } from './support/engine';
import { TestWorkspace } from './support/test-workspace';

const OWNER = `e2e${process.pid}`;
const meta = (ws: TestWorkspace, root: string, target = 'docker-build') => JSON.parse(ws.read(`dist/image-builds/${root}/${target}.json`));

const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt && test -s /base.txt\n',
  'images/base/image.json': JSON.stringify({ repository: `${OWNER}/base`, tags: ['cpu'] }),
  'images/cached/Dockerfile': `FROM ${OWNER}/base:cpu\nRUN --mount=type=cache,target=/cache sh -c 'test -f /cache/seen || date > /cache/seen; cp /cache/seen /seen'\n`,
  'images/cached/image.json': JSON.stringify({ repository: `${OWNER}/cached` }),
  'images/app/Dockerfile': `ARG BASE=${OWNER}/base:cpu\nFROM \${BASE}\nARG GREETING=hello\nCOPY app.sh /app.sh\nRUN sh /app.sh > /out.txt && grep -q "$GREETING" /out.txt\n`,
  'images/app/app.sh': 'echo "${GREETING:-hello} from app"\n',
  'images/app/.dockerignore': '.env\n',
  'images/app/.env': 'SECRET=not-a-real-secret\n',
  'images/app/image.json': JSON.stringify({ repository: `${OWNER}/app`, tags: ['latest', '{git.shortSha}'] }),
  'images/leaf/Dockerfile': `FROM ${OWNER}/app:latest\nRUN test -f /out.txt\n`,
  'images/leaf/image.json': JSON.stringify({ repository: `${OWNER}/leaf` }),
  'images/broken/Dockerfile': `FROM ${OWNER}/base:cpu\nRUN echo about to fail && echo detail-line-1 && exit 3\n`,
  'images/broken/image.json': JSON.stringify({ repository: `${OWNER}/broken` }),
  'images/after-broken/Dockerfile': `FROM ${OWNER}/broken:latest\nRUN true\n`,
  'images/after-broken/image.json': JSON.stringify({ repository: `${OWNER}/after-broken` }),
  'images/multi/Dockerfile': 'FROM busybox:1.36 AS first\nRUN echo one > /one\nFROM busybox:1.36 AS second\nRUN exit 9\n',
  'images/multi/image.json': JSON.stringify({ repository: `${OWNER}/multi`, target: 'first' }),
};

describe('docker-build against a real engine', () => {
  let ws: TestWorkspace;
  let firstRun: ReturnType<TestWorkspace['nx']>;
  beforeAll(() => {
    ws = TestWorkspace.create('build', files);
    firstRun = ws.nx(['run-many', '-t', 'docker-build', '--outputStyle=stream']);
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it('builds parents first and goes on with independent images when one fails', () => {
    expect(firstRun.code).not.toBe(0);
    for (const p of ['base', 'cached', 'app', 'leaf', 'multi'])
      expect(firstRun.output).toMatch(new RegExp(`✔ ${p}: [0-9a-f]{12} ${OWNER}/${p}`));
    expect(firstRun.output.indexOf(`✔ base:`)).toBeLessThan(firstRun.output.indexOf(`✔ app:`));
    expect(firstRun.output.indexOf(`✔ app:`)).toBeLessThan(firstRun.output.indexOf(`✔ leaf:`));
  });

  it('shows the failing step, its exit code and its log tail, and skips what is built on it', () => {
    expect(firstRun.output).toMatch(/✖ broken: build failed at step \[2\/2\] RUN echo about to fail.*\(exit code 3\)/);
    expect(firstRun.output).toContain('detail-line-1');
    expect(firstRun.output).toContain('No tag was moved and no metadata written');
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/broken/docker-build.json'))).toBe(false);
    expect(firstRun.output).not.toContain('nx run after-broken:docker-build\n');
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/after-broken/docker-build.json'))).toBe(false);
  });

  it('ends with a summary whose rows are right for built, failed and skipped images, and the JSON matches it', () => {
    const summary = JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { image: string; outcome: string; note?: string }[] };
    const rows = Object.fromEntries(summary.rows.map((r) => [r.image, r]));
    expect(Object.keys(rows).sort()).toEqual(['after-broken', 'app', 'base', 'broken', 'cached', 'leaf', 'multi']);
    for (const built of ['app', 'base', 'cached', 'leaf', 'multi']) expect(rows[built].outcome).toBe('built');
    expect(rows.broken).toMatchObject({
      outcome: 'failed',
      note: expect.stringMatching(/^at \[2\/2\] RUN echo about to fail.* \(exit code 3\)$/),
    });
    expect(rows['after-broken']).toMatchObject({ outcome: 'skipped', note: 'because broken failed' });
    expect(firstRun.output).toMatch(/broken\s+-\s+failed\s+-\s+-\s+-\s+at \[2\/2\] RUN echo about to fail/);
    expect(firstRun.output).toMatch(/after-broken\s+-\s+skipped\s+-\s+-\s+-\s+because broken failed/);
    expect(firstRun.output).toContain('7 image builds: 1 failed, 1 skipped, 5 built');
  });

  it('records exact metadata and tags the image it recorded', async () => {
    const m = meta(ws, 'images/app');
    const sha = ws.git('rev-parse', 'HEAD').trim().slice(0, 12);
    expect(m).toMatchObject({
      project: 'app',
      repository: `${OWNER}/app`,
      tags: ['latest', sha],
      args: {},
      engine: { builder: 'buildkit' },
    });
    expect(m.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The parent by project and its own build target (an image may be built on two builds of one project).
    expect(m.parents).toEqual([
      { project: 'base', target: 'docker-build', reference: `${OWNER}/base:cpu`, imageId: meta(ws, 'images/base').imageId },
    ]);
    expect(m.steps.total).toBe(2);
    expect(await imageIdOf(`${OWNER}/app:latest`)).toBe(m.imageId);
    expect(await imageIdOf(`${OWNER}/app:${sha}`)).toBe(m.imageId);
    const labels = (await docker.getImage(m.imageId).inspect()).Config.Labels;
    expect(labels['org.opencontainers.image.revision']).toBe(ws.git('rev-parse', 'HEAD').trim());
    expect(labels['org.opencontainers.image.title']).toBe('app');
  });

  it('never sends what .dockerignore excludes', async () => {
    const m = meta(ws, 'images/app');
    const container = await docker.createContainer({ Image: m.imageId, Cmd: ['ls', '-a', '/'] });
    await container.remove();
    // The build context is the proof: the app image would fail a COPY of .env; check the engine never had it.
    const r = ws.nx(['run', 'app:docker-build', '--skip-nx-cache', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain('not-a-real-secret');
  });

  it('builds a multi-stage target without the stages it does not need', () => {
    expect(meta(ws, 'images/multi').steps.total).toBe(1);
  });

  it('a second run does no Docker work: every built image is a cache hit', () => {
    const r = ws.nx(['run-many', '-t', 'docker-build', '--exclude=broken,after-broken', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    expect(r.output).toContain('Nx read the output from the cache instead of running the command for 5 out of 5 tasks');
  });

  it('a build arg from the command line changes the image and its hash', () => {
    const before = meta(ws, 'images/app');
    const r = ws.nx(['run', 'app:docker-build', '--build-arg=GREETING=bonjour', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    const after = meta(ws, 'images/app');
    expect(after.args).toEqual({ GREETING: 'bonjour' });
    expect(after.imageId).not.toBe(before.imageId);
    expect(after.nxHash).not.toBe(before.nxHash);
    ws.nx(['run', 'app:docker-build', '--outputStyle=stream']);
  });

  it('the stale-tag trap: a child is built on the parent id recorded in its metadata, not on what the tag points to', async () => {
    ws.nx(['run', 'leaf:docker-build', '--outputStyle=stream']);
    const appId = meta(ws, 'images/app').imageId;
    await docker.getImage('busybox:1.36').tag({ repo: `${OWNER}/app`, tag: 'latest' });
    expect(await imageIdOf(`${OWNER}/app:latest`)).not.toBe(appId);
    ws.write({ 'images/leaf/Dockerfile': `FROM ${OWNER}/app:latest\nRUN test -f /out.txt && echo changed\n` });
    const r = ws.nx(['run', 'leaf:docker-build', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/app:docker-build.*\[local cache\]|existing outputs match the cache/);
    expect(meta(ws, 'images/leaf').parents[0].imageId).toBe(appId);
    expect(await imageIdOf(`${OWNER}/app:latest`)).toBe(appId);
    const leafLayers = (await docker.getImage(meta(ws, 'images/leaf').imageId).inspect()).RootFS.Layers ?? [];
    const appLayers = (await docker.getImage(appId).inspect()).RootFS.Layers ?? [];
    expect(leafLayers.slice(0, appLayers.length)).toEqual(appLayers);
  });

  it("in batch mode (one process for the run's builds): the same order, failure, skips and summary", () => {
    // Nx batches executors: the builds are the executor's with "buildTargets": "executor".
    const r = withExecutorTargets(ws, () =>
      ws.nx(['run-many', '-t', 'docker-build', '--batch', '--skip-nx-cache', '--outputStyle=stream']),
    );
    expect(r.code).not.toBe(0);
    for (const p of ['base', 'cached', 'app', 'leaf', 'multi']) expect(r.output).toMatch(new RegExp(`✔ ${p}: [0-9a-f]{12} ${OWNER}/${p}`));
    expect(r.output.indexOf('✔ base:')).toBeLessThan(r.output.indexOf('✔ app:'));
    expect(r.output.indexOf('✔ app:')).toBeLessThan(r.output.indexOf('✔ leaf:'));
    expect(r.output).toMatch(/✖ broken: build failed at step \[2\/2\] RUN echo about to fail.*\(exit code 3\)/);
    expect(r.output).toContain('detail-line-1');
    const rows = Object.fromEntries(
      (JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { image: string; outcome: string; note?: string }[] }).rows.map(
        (x) => [x.image, x],
      ),
    );
    for (const built of ['app', 'base', 'cached', 'leaf', 'multi']) expect(rows[built].outcome).toBe('built');
    expect(rows.broken.outcome).toBe('failed');
    expect(rows['after-broken']).toMatchObject({ outcome: 'skipped', note: 'because broken failed' });
    expect(r.output).toContain('7 image builds: 1 failed, 1 skipped, 5 built');
  });

  it('killing a build mid-way leaves the old tag and writes no metadata for the new one', async () => {
    const oldId = meta(ws, 'images/base').imageId;
    // A step of this run's own (OWNER): a build of an earlier run, let finish, would be in BuildKit's cache.
    ws.write({ 'images/base/Dockerfile': `FROM busybox:1.36\nRUN echo ${OWNER} > /base.txt && sleep 60\n` });
    const run = ws.nxStarted(['run', 'base:docker-build', '--outputStyle=stream']);
    await waitFor(() => run.output().includes('sleep 60'), 60_000, run.output);
    expect(run.running()).toBe(true);
    await run.stop();
    expect(await imageIdOf(`${OWNER}/base:cpu`)).toBe(oldId);
    expect(meta(ws, 'images/base').imageId).toBe(oldId);
    expect(readFileSync(join(ws.dir, 'dist/image-builds/images/base/docker-build.image-id'), 'utf8').trim()).toBe(oldId);
  });

  it('in batch mode a build shows its lines as they come, prefixed with its project, and killing it leaves the old tag', async () => {
    const oldId = meta(ws, 'images/base').imageId;
    // The Dockerfile of the test above: its RUN sleeps for a minute.
    await withExecutorTargets(ws, async () => {
      const run = ws.nxStarted(['run-many', '-t', 'docker-build', '--projects=base', '--batch']);
      await waitFor(() => /^base: .*sleep 60/m.test(run.output()), 60_000, run.output);
      await run.stop();
    });
    expect(await imageIdOf(`${OWNER}/base:cpu`)).toBe(oldId);
    expect(meta(ws, 'images/base').imageId).toBe(oldId);
  });
});

async function waitFor(check: () => boolean, timeoutMs: number, seen: () => string = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting; output so far:\n${seen()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs `fn` with the builds inferred as executor targets (the plugin option "buildTargets": "executor"), then as commands again. */
function withExecutorTargets<T>(ws: TestWorkspace, fn: () => T): T {
  const nxJson = ws.read('nx.json');
  const json = JSON.parse(nxJson) as { plugins: { plugin: string; options?: object }[] };
  json.plugins = json.plugins.map((p) =>
    p.plugin === 'nx-image-graph' ? { ...p, options: { ...p.options, buildTargets: 'executor' } } : p,
  );
  ws.write({ 'nx.json': JSON.stringify(json, null, 2) });
  const restore = () => ws.write({ 'nx.json': nxJson });
  try {
    const out = fn();
    if (out instanceof Promise) return out.finally(restore) as T;
    restore();
    return out;
  } catch (e) {
    restore();
    throw e;
  }
}

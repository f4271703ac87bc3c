import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { docker as engineA, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { E2E_TMP, REPO_ROOT } from './support/paths';
import { RemoteCacheServer } from './support/remote-cache-server';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * Two machines on one host: two separate Docker engines, two clones of one workspace, one real
 * registry with htpasswd auth, and a remote Nx cache. A cached docker-build must be usable on
 * the machine that never built it.
 */
const P = `e2etm${process.pid}`;
const files = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt\n',
  'images/base/image.json': JSON.stringify({ repository: `${P}/base` }),
  'images/mid/Dockerfile': `FROM ${P}/base\nRUN echo mid > /mid.txt && cat /base.txt\n`,
  'images/mid/image.json': JSON.stringify({ repository: `${P}/mid` }),
  'images/leaf1/Dockerfile': `FROM ${P}/mid\nRUN cat /mid.txt > /leaf1.txt\n`,
  'images/leaf1/image.json': JSON.stringify({ repository: `${P}/leaf1` }),
  'images/leaf2/Dockerfile': `FROM ${P}/mid\nRUN cat /mid.txt > /leaf2.txt\n`,
  'images/leaf2/image.json': JSON.stringify({ repository: `${P}/leaf2` }),
  // Layer reuse across machines: the build cache image pushed beside the image (inline cache), cache-from on a rebuild elsewhere.
  'images/leafc/Dockerfile': `FROM ${P}/mid\nRUN head -c 300000 /dev/urandom > /big && echo step-one\nRUN echo two > /two\n`,
  'images/leafc/image.json': JSON.stringify({
    repository: `${P}/leafc`,
    inlineCache: true,
    cacheFrom: ['REGISTRY/' + `${P}/leafc:buildcache`],
  }),
  // Content-addressed reuse: the registry's nx-<hash> image stands in for a build.
  'images/leafr/Dockerfile': `FROM ${P}/mid\nRUN echo reusable > /r\n`,
  'images/leafr/image.json': JSON.stringify({ repository: `${P}/leafr`, reuseFromRegistry: true }),
};

describe('a cached image is usable on a machine that never built it', () => {
  const state = engineState();
  const registry = state.registryAuth.address;
  const password = state.registryAuth.password;
  let cache: RemoteCacheServer;
  let engineB: Docker;
  let secondHost: string;
  let secondTls: { host: string; certPath: string };
  let a: TestWorkspace;
  let b: TestWorkspace;
  let dockerConfig: string;
  const outputs: RunResult[] = [];
  const run = (ws: TestWorkspace, args: string[], env: NodeJS.ProcessEnv) => {
    const r = ws.nx([...args, '--outputStyle=stream'], env);
    outputs.push(r);
    return r;
  };
  const envA = () => ({ DOCKER_HOST: state.dockerHost, DOCKER_CONFIG: dockerConfig, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
  const envB = () => ({ ...envA(), DOCKER_HOST: secondHost });
  const blobUploads = () =>
    (readFileSync(state.registryAuth.log, 'utf8').match(/"(POST|PUT|PATCH) \/v2\/[^"]*\/blobs\/uploads/g) ?? []).length;

  beforeAll(async () => {
    cache = await RemoteCacheServer.start();
    const out = execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    secondHost = /SECOND_DOCKER_HOST=(\S+)/.exec(out)![1];
    secondTls = { host: /SECOND_DOCKER_TLS_HOST=(\S+)/.exec(out)![1], certPath: /SECOND_DOCKER_CERT_PATH=(\S+)/.exec(out)![1] };
    engineB = new Docker({ socketPath: secondHost.replace('unix://', '') });
    dockerConfig = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${state.registryAuth.user}:${password}`).toString('base64') } } }),
    );
    const withRegistry = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.split('REGISTRY/').join(`${registry}/`)]));
    a = TestWorkspace.create('machine-a', withRegistry, { pluginOptions: { registries: [registry] } });
    b = a.clone('machine-b');
  });

  afterAll(async () => {
    await cache?.stop();
    for (const ws of [a, b]) ws?.remove();
    await removeImages(`${P}/`);
    await removeImages(`${registry}/${P}/`);
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh'), '--stop'], { stdio: 'ignore' });
  });

  it('machine A builds and pushes the graph; the remote cache and the registry get it', () => {
    const started = Date.now();
    const r = run(a, ['run-many', '-t', 'docker-build', 'docker-push'], envA());
    expectSuccess(r);
    console.log(`first build+push on A: ${Date.now() - started} ms`);
    expect(cache.entries.size).toBeGreaterThanOrEqual(4);
    const index = JSON.parse(a.read('dist/images.json'));
    expect(Object.keys(index).sort()).toEqual(['base', 'leaf1', 'leaf2', 'leafc', 'leafr', 'mid']);
    expect(index.mid.pushed.map((p: { reference: string }) => p.reference)).toEqual([
      `${registry}/${P}/mid:latest`,
      expect.stringMatching(new RegExp(`^${registry}/${P}/mid:nx-\\d+$`)),
    ]);
    expect(index.mid.pushed[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The inline cache is in a build cache image beside leafc, never in leafc's own config (its id).
    expect(r.output).toMatch(new RegExp(`build cache image ${registry}/${P}/leafc:buildcache@sha256:[0-9a-f]{64}`));
    const leafc = JSON.parse(a.read('dist/image-builds/images/leafc/docker-build.json'));
    expect(leafc.cacheImage).toEqual({ reference: `${P}/leafc:buildcache`, imageId: expect.stringMatching(/^sha256:/) });
    expect(leafc.cacheImage.imageId).not.toBe(leafc.imageId);
  });

  it('pushing again uploads no layer (counted in the registry log) and is cheap', () => {
    const before = blobUploads();
    const started = Date.now();
    const r = run(a, ['run-many', '-t', 'docker-push'], envA());
    const took = Date.now() - started;
    expectSuccess(r);
    expect(blobUploads()).toBe(before);
    expect(r.output).toMatch(/pushed 2 references to [^:]+:\d+: 0 layers uploaded/);
    console.log(`second push on A (nothing new): ${took} ms`);
  });

  it('machine B, with an empty engine, rebuilds only the changed leaf, on the parent pulled from the registry', async () => {
    // B has pulled the same upstream base as A (pull by digest gives the same id); here by save/load.
    const tar = await engineA.getImage('busybox:1.36').get();
    await new Promise<void>((resolve, reject) =>
      engineB.loadImage(tar as unknown as NodeJS.ReadableStream, (err: unknown, s: NodeJS.ReadableStream) =>
        err ? reject(err) : (s.on('data', () => undefined), s.on('end', () => resolve())),
      ),
    );
    b.write({ 'images/leaf1/Dockerfile': `FROM ${P}/mid\nRUN cat /mid.txt > /leaf1.txt && echo changed-on-b\n` });
    b.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qam', 'change leaf1');
    const r = run(b, ['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD'], envB());
    expectSuccess(r);
    expect(r.output).toMatch(/nx run base:docker-build\s+\[remote cache\]/);
    expect(r.output).toMatch(/nx run mid:docker-build\s+\[remote cache\]/);
    expect(r.output).toMatch(new RegExp(`mid: pulled ${registry}/${P}/mid:nx-\\d+`));
    expect(r.output).toMatch(/✔ leaf1: [0-9a-f]{12}/);
    expect(r.output).not.toMatch(/nx run leaf(2|c|r):docker-build/);
    const midOnA = JSON.parse(a.read('dist/image-builds/images/mid/docker-build.json')).imageId;
    expect((await engineB.getImage(`${P}/mid:latest`).inspect()).Id).toBe(midOnA);
    expect(JSON.parse(b.read('dist/image-builds/images/leaf1/docker-build.json')).parents[0].imageId).toBe(midOnA);
  });

  it('with "inlineCache": true, B builds the same image id as A for the same inputs (the cache metadata is not in the image)', async () => {
    await wipe(engineB, P);
    // B's own build cache is emptied: every step can only come from A's build cache image in the registry.
    await engineB.pruneBuilder();
    const onA = JSON.parse(a.read('dist/image-builds/images/leafc/docker-build.json'));
    // The remote cache lost leafc's entry: B must build it, on the parents it restores from the cache.
    rmSync(join(cache.dir, `${onA.nxHash}.artifact`));
    const r = run(b, ['run', 'leafc:docker-build'], envB());
    expectSuccess(r);
    expect(r.output).toMatch(/CACHED \[2\/3\] RUN head -c 300000/);
    expect(r.output).toMatch(/CACHED \[3\/3\] RUN echo two/);
    const onB = JSON.parse(b.read('dist/image-builds/images/leafc/docker-build.json'));
    expect(onB.nxHash).toBe(onA.nxHash);
    expect(onB.imageId).toBe(onA.imageId);
    // B's own cache image differs from A's (its records' times), and stays out of the image.
    expect(onB.cacheImage.imageId).not.toBe(onB.imageId);
  });

  it('after B’s engine is wiped, a cached image is fetched on demand, exactly', async () => {
    await wipe(engineB, P);
    expect(
      await engineB
        .getImage(`${P}/mid:latest`)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ).toBe(false);
    const r = run(b, ['run', 'mid:docker-materialize'], envB());
    expectSuccess(r);
    const midOnA = JSON.parse(a.read('dist/image-builds/images/mid/docker-build.json')).imageId;
    expect((await engineB.getImage(`${P}/mid:latest`).inspect()).Id).toBe(midOnA);
    expect(r.output).toMatch(/from the registry/);
  });

  it('a child of a removed parent still builds on the exact parent (materialized)', async () => {
    await wipe(engineB, P);
    b.write({ 'images/leaf2/Dockerfile': `FROM ${P}/mid\nRUN cat /mid.txt > /leaf2.txt && echo changed-too\n` });
    const r = run(b, ['run', 'leaf2:docker-build'], envB());
    expectSuccess(r);
    const midOnA = JSON.parse(a.read('dist/image-builds/images/mid/docker-build.json')).imageId;
    expect(JSON.parse(b.read('dist/image-builds/images/leaf2/docker-build.json')).parents[0].imageId).toBe(midOnA);
  });

  it('a rebuild on B reuses the unchanged layers it can pull (inline cache + cache-from)', async () => {
    await wipe(engineB, P);
    // B's own build cache is emptied too: a CACHED step can only come from the registry.
    await engineB.pruneBuilder();
    b.write({
      'images/leafc/Dockerfile': `FROM ${P}/mid\nRUN head -c 300000 /dev/urandom > /big && echo step-one\nRUN echo changed-two-${process.pid} > /two\n`,
    });
    const r = run(b, ['run', 'leafc:docker-build'], envB());
    expectSuccess(r);
    expect(r.output).toMatch(/CACHED \[2\/3\] RUN head -c 300000/);
    expect(r.output).toMatch(/DONE [\d.]+s \[3\/3\] RUN echo changed-two/);
    expect(r.output).toMatch(/leafc: [0-9a-f]{12} .* 1\/2 steps cached/);
  });

  it('with reuseFromRegistry, B takes the registry image for the same inputs instead of building', async () => {
    await wipe(engineB, P);
    const leafr = JSON.parse(a.read('dist/image-builds/images/leafr/docker-build.json'));
    // The remote cache lost this entry (eviction): the registry still has the image under nx-<hash>.
    rmSync(join(cache.dir, `${leafr.nxHash}.artifact`));
    const r = run(b, ['run', 'leafr:docker-build'], envB());
    expectSuccess(r);
    expect(r.output).toContain(`Reusing ${registry}/${P}/leafr:nx-${leafr.nxHash}`);
    expect(r.output).not.toMatch(/RUN echo reusable/);
    expect(JSON.parse(b.read('dist/image-builds/images/leafr/docker-build.json')).imageId).toBe(leafr.imageId);
  });

  it('when the registry no longer has it and there is no archive, the error names the image, the hash and the fixes', async () => {
    await wipe(engineB, P);
    // The registry loses the image (a retention policy, a wiped registry): delete its manifest.
    const digest = JSON.parse(a.read('dist/images.json')).mid.pushed[0].digest;
    const auth = Buffer.from(`${state.registryAuth.user}:${password}`).toString('base64');
    const del = await fetch(`http://${registry}/v2/${P}/mid/manifests/${digest}`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${auth}` },
    });
    expect(del.status).toBe(202);
    b.write({ 'images/leaf2/Dockerfile': `FROM ${P}/mid\nRUN echo third > /x\n` });
    const r = run(b, ['run', 'leaf2:docker-build'], envB());
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(
      new RegExp(
        `parent mid \\("${P}/mid"\\): image ${P}/mid:latest \\(sha256:[0-9a-f]{64}\\) of mid:docker-build, Nx hash \\d+, is not in this engine`,
      ),
    );
    expect(r.output).toContain(`${registry}/${P}/mid:nx-`);
    expect(r.output).toContain('--skip-nx-cache');
    expect(r.output).toContain('"archive": true');
  });

  it('a wrong password fails at once, naming the registry', () => {
    const wrong = mkdtempSync(join(E2E_TMP, 'docker-config-wrong-'));
    writeFileSync(
      join(wrong, 'config.json'),
      JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${state.registryAuth.user}:not-the-password`).toString('base64') } } }),
    );
    const started = Date.now();
    const r = run(a, ['run', 'base:docker-push'], { ...envA(), DOCKER_CONFIG: wrong });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`registry ${registry} refused`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('the engine can be remote: DOCKER_HOST=tcp:// with TLS', async () => {
    const r = run(a, ['run', 'base:docker-build', '--skip-nx-cache'], {
      ...envA(),
      DOCKER_HOST: secondTls.host,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: secondTls.certPath,
    });
    expectSuccess(r);
    expect(r.output).toContain('with BuildKit on docker');
    const id = JSON.parse(a.read('dist/image-builds/images/base/docker-build.json')).imageId;
    expect((await engineB.getImage(id).inspect()).Id).toBe(id);
  });

  it('an engine that does not answer is named within seconds, with how to start one', () => {
    const started = Date.now();
    const r = run(a, ['run', 'base:docker-build', '--skip-nx-cache'], { ...envA(), DOCKER_HOST: 'tcp://127.0.0.1:9' });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('No container engine answers at tcp://127.0.0.1:9');
    expect(r.output).toContain('point DOCKER_HOST at a running engine');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('the registry password appears in no output, metadata or cache artifact', () => {
    for (const r of outputs) expect(r.output).not.toContain(password);
    for (const ws of [a, b])
      for (const f of filesUnder(join(ws.dir, 'dist')).concat(filesUnder(join(ws.dir, '.nx'))))
        expect(readFileSync(f).includes(password)).toBe(false);
    for (const [, body] of cache.entries) {
      const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
      expect(text.includes(password)).toBe(false);
    }
    expect(cache.entries.size).toBeGreaterThan(0);
  });
});

/** Removes the test's images from an engine, children before parents. */
async function wipe(engine: Docker, prefix: string): Promise<void> {
  for (let pass = 0; pass < 5; pass++) {
    const images = (await engine.listImages()).filter((i) => (i.RepoTags ?? []).some((t) => t.includes(`${prefix}/`)));
    if (images.length === 0) return;
    for (const i of images)
      await engine
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat([p]);
  }
  return out;
}

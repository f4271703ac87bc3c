import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { E2E_TMP } from './support/paths';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * docker-promote puts version tags on a pushed image in every registry, registry-side: the new tag
 * has the pushed digest, the engine neither pulls nor builds (the image is not even in it), with
 * and without registry auth, a multi-platform index included.
 */
const P = `e2eprom${process.pid}`;
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

describe('promotion without rebuilding', () => {
  const state = engineState();
  const open = `${state.registry.address}/${P}`;
  const authed = `${state.registryAuth.address}/${P}`;
  const basic = `Basic ${Buffer.from(`${state.registryAuth.user}:${state.registryAuth.password}`).toString('base64')}`;
  let ws: TestWorkspace;
  let dockerConfig: string;
  let pushed: { reference: string; digest: string }[];
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost, DOCKER_CONFIG: dockerConfig, ...env });
  /** Digest and media type of `repo:tag` straight from the registry's API. */
  const manifestOf = async (registry: string, tag: string) => {
    const [host, ...path] = registry.split('/');
    const res = await fetch(`http://${host}/v2/${path.join('/')}/${P}/app/manifests/${tag}`, {
      headers: { Accept: ACCEPT, ...(host === state.registryAuth.address ? { Authorization: basic } : {}) },
    });
    return res.status === 200
      ? { digest: res.headers.get('docker-content-digest'), mediaType: res.headers.get('content-type') }
      : { status: res.status };
  };
  const engineEvents = async (since: number) => {
    const stream = (await docker.getEvents({
      since: Math.floor(since / 1000),
      until: Math.ceil(Date.now() / 1000) + 1,
    })) as unknown as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    // The API's `since` is in whole seconds: drop what happened earlier in that second.
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { Type: string; Action: string; id?: string; timeNano: number })
      .filter((e) => e.timeNano >= since * 1e6);
  };

  beforeAll(() => {
    dockerConfig = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: {
          [state.registryAuth.address]: {
            auth: Buffer.from(`${state.registryAuth.user}:${state.registryAuth.password}`).toString('base64'),
          },
        },
      }),
    );
    ws = TestWorkspace.create(
      'promote',
      {
        'images/app/Dockerfile': `FROM busybox:1.36\nRUN echo ${P} > /app.txt\n`,
        'images/app/image.json': JSON.stringify({ repository: `${P}/app` }),
      },
      { pluginOptions: { registries: [open, authed] } },
    );
  });

  afterAll(async () => {
    ws?.remove();
    rmSync(dockerConfig, { recursive: true, force: true });
    await removeImages(`${P}/`);
    await removeImages(`${open}/`);
    await removeImages(`${authed}/`);
  });

  it('builds and pushes to both registries', async () => {
    expectSuccess(run(['run', 'app:docker-push']));
    pushed = JSON.parse(ws.read('dist/image-builds/images/app/docker-build.push.json')).pushed;
    expect(pushed.map((p) => p.reference.replace(/nx-\d+/, 'nx-HASH'))).toEqual([
      `${open}/${P}/app:latest`,
      `${open}/${P}/app:nx-HASH`,
      `${authed}/${P}/app:latest`,
      `${authed}/${P}/app:nx-HASH`,
    ]);
    // Promotion must not need the engine's copy.
    await removeImages(`${P}/`);
    await removeImages(`${open}/`);
    await removeImages(`${authed}/`);
  });

  it('puts --tag values on the pushed manifest in every registry, with the same digest, no pull, no build', async () => {
    const since = Date.now();
    const r = run(['run', 'app:docker-promote', '--tag=1.2.0', '--tag=1.2', '--tag=1.10']);
    expectSuccess(r);
    expect(r.output).toMatch(/✔ app: tagged 1\.2\.0, 1\.2, 1\.10 in .*registry-side \(no pull, no build\)/);
    expect(r.output).not.toContain(state.registryAuth.password);
    for (const registry of [open, authed]) {
      const digest = pushed.find((p) => p.reference.startsWith(registry))!.digest;
      expect(await manifestOf(registry, '1.2.0')).toMatchObject({ digest });
      expect(await manifestOf(registry, '1.2')).toMatchObject({ digest });
      expect(await manifestOf(registry, '1.10')).toMatchObject({ digest });
    }
    // The engine is shared with other tests: only events about this test's images count.
    const events = (await engineEvents(since)).filter(
      (e) => (e.Type === 'image' || e.Type === 'container') && JSON.stringify(e).includes(P),
    );
    expect(events.map((e) => `${e.Type} ${e.Action}`)).toEqual([]);
    const images = await docker.listImages();
    expect(images.filter((i) => (i.RepoTags ?? []).some((t) => t.includes(P)))).toEqual([]);
    const index = JSON.parse(ws.read('dist/images.json')).app;
    expect(index.promoted.map((p: { reference: string }) => p.reference).sort()).toEqual(
      [
        `${authed}/${P}/app:1.10`,
        `${authed}/${P}/app:1.2`,
        `${authed}/${P}/app:1.2.0`,
        `${open}/${P}/app:1.10`,
        `${open}/${P}/app:1.2`,
        `${open}/${P}/app:1.2.0`,
      ].sort(),
    );
    expect(index.tags).toEqual(expect.arrayContaining(['latest', '1.2.0', '1.2']));
  });

  it('versions from a scheme: semver from --version and the git sha', async () => {
    const sha = ws.git('rev-parse', 'HEAD').trim().slice(0, 12);
    const r = run(['run', 'app:docker-promote', '--release-version=2.0.0-rc.1', '--scheme={version}', `--scheme=sha-{git.shortSha}`]);
    expectSuccess(r);
    expect(await manifestOf(open, '2.0.0-rc.1')).toMatchObject({ digest: pushed[0].digest });
    expect(await manifestOf(authed, `sha-${sha}`)).toMatchObject({ digest: pushed[2].digest });
  });

  it('a multi-platform index found by its nx-<hash> tag is copied as an index', async () => {
    const contentRef = pushed.find((p) => p.reference.startsWith(open) && /:nx-/.test(p.reference))!;
    const tag = contentRef.reference.slice(contentRef.reference.lastIndexOf(':') + 1);
    const [host, ...path] = open.split('/');
    const base = `http://${host}/v2/${path.join('/')}/${P}/app/manifests`;
    const plain = await fetch(`${base}/${contentRef.digest}`, { headers: { Accept: ACCEPT } });
    const plainBody = Buffer.from(await plain.arrayBuffer());
    const indexBody = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: plain.headers.get('content-type'),
          digest: contentRef.digest,
          size: plainBody.length,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    });
    const put = await fetch(`${base}/${tag}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
      body: indexBody,
    });
    expect(put.status).toBe(201);
    const indexDigest = put.headers.get('docker-content-digest');
    // Without the push record, promotion finds the image by its content tag.
    rmSync(join(ws.dir, 'dist/image-builds/images/app/docker-build.push.json'));
    expectSuccess(run(['run', 'app:docker-promote', '--tag=multi']));
    expect(await manifestOf(open, 'multi')).toEqual({ digest: indexDigest, mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(await manifestOf(authed, 'multi')).toMatchObject({ digest: pushed[2].digest });
  });

  it('says what is wrong: no credentials, no version, a dry run does nothing', async () => {
    const empty = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    const denied = run(['run', 'app:docker-promote', '--tag=3.0.0'], { DOCKER_CONFIG: empty });
    expect(denied.code).not.toBe(0);
    expect(denied.output).toMatch(
      new RegExp(`registry ${state.registryAuth.address.replace(/\./g, '\\.')} refused .*401.*No credentials found for it \\(docker login`),
    );
    rmSync(empty, { recursive: true, force: true });
    const none = run(['run', 'app:docker-promote']);
    expect(none.code).not.toBe(0);
    expect(none.output).toMatch(/no version to promote to: pass --tag=1\.2\.0/);
    const dry = run(['run', 'app:docker-promote', '--tag=9.9.9', '--dry-run']);
    expectSuccess(dry);
    expect(dry.output).toMatch(/\[dry run\] app: would tag 9\.9\.9/);
    expect(await manifestOf(open, '9.9.9')).toEqual({ status: 404 });
  });
});

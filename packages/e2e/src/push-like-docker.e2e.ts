import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, imageIdOf, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { E2E_TMP } from './support/paths';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * docker-push as `docker push` does it: a repository that names a registry host is pushed there
 * with no `registries` option, exactly as repository:tag; `registries` add more; a push to a
 * registry without credentials says `docker login <host>`; tags made only for the push do not stay
 * in the engine; `"contentTag": false` pushes no nx-<hash> tag.
 */
const P = `e2epush${process.pid}`;
const ACCEPT = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
/** A stack trace line as Node prints them. */
const STACK_LINE = /^\s{4}at .+\(?.*:\d+:\d+\)?$/m;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('push like docker push', () => {
  const state = engineState();
  const open = state.registry.address;
  const authed = state.registryAuth.address;
  const basic = `Basic ${Buffer.from(`${state.registryAuth.user}:${state.registryAuth.password}`).toString('base64')}`;
  let ws: TestWorkspace;
  let dockerConfig: string;
  let noCredentials: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost, DOCKER_CONFIG: dockerConfig, ...env });
  const image = (name: string, manifest: object) => ({
    [`images/${name}/Dockerfile`]: `FROM busybox:1.36\nRUN echo ${P} ${name} > /${name}.txt\n`,
    [`images/${name}/image.json`]: JSON.stringify(manifest),
  });
  /** The registry's own answer for `<host>/<name>:<tag>`: its digest, or the HTTP status. */
  const manifestOf = async (reference: string) => {
    const [host, ...rest] = reference.split('/');
    const [name, tag] = rest.join('/').split(':');
    const res = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
      headers: { Accept: ACCEPT, ...(host === authed ? { Authorization: basic } : {}) },
    });
    return res.status === 200 ? { digest: res.headers.get('docker-content-digest') } : { status: res.status };
  };
  const tagsOf = async (host: string, name: string) => {
    const res = await fetch(`http://${host}/v2/${name}/tags/list`, { headers: host === authed ? { Authorization: basic } : {} });
    return res.status === 200 ? (((await res.json()) as { tags: string[] | null }).tags ?? []).sort() : [];
  };
  const pushRecord = (name: string) =>
    JSON.parse(ws.read(`dist/image-builds/images/${name}/docker-build.push.json`)) as {
      imageId: string;
      pushed: { reference: string; digest: string }[];
    };
  /** Every tag the engine has on the image, sorted. */
  const engineTags = async (imageId: string) => (((await docker.getImage(imageId).inspect()).RepoTags ?? []) as string[]).sort();
  const nxTag = (r: string) => r.replace(/:nx-\d+$/, ':nx-HASH');

  beforeAll(() => {
    dockerConfig = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: { [authed]: { auth: Buffer.from(`${state.registryAuth.user}:${state.registryAuth.password}`).toString('base64') } },
      }),
    );
    noCredentials = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    ws = TestWorkspace.create('push-like-docker', {
      ...image('x', { repository: `${open}/${P}/x` }),
      ...image('both', { repository: `${open}/${P}/both`, registries: [authed] }),
      ...image('denied', { repository: `${authed}/${P}/denied` }),
      ...image('plain', { repository: `${open}/${P}/plain`, contentTag: false }),
    });
  });

  afterAll(async () => {
    ws?.remove();
    for (const dir of [dockerConfig, noCredentials]) if (dir) rmSync(dir, { recursive: true, force: true });
    await removeImages(`${open}/${P}/`);
    await removeImages(`${authed}/${P}/`);
  });

  it('a dry run shows the repository host as the push target, exactly repository:tag, and pushes nothing', async () => {
    const build = run(['run', 'x:docker-build']);
    expectSuccess(build);
    // BuildKit's export after the last step has its line, as docker build --progress=plain prints it.
    expect(build.output).toMatch(/ {2}#\d+ DONE [\d.]+s exporting to image\n/);
    const dry = run(['run', 'x:docker-push', '--dry-run']);
    expectSuccess(dry);
    expect(dry.output).toContain(`[dry run] x: would push to ${open}\n`);
    expect(dry.output).toContain(`  ${open}/${P}/x:latest\n`);
    expect(dry.output).toMatch(new RegExp(`  ${open.replace(/\./g, '\\.')}/${P}/x:nx-\\d+\\n`));
    expect(dry.output).not.toContain(`${open}/${open}`);
    expect(await manifestOf(`${open}/${P}/x:latest`)).toEqual({ status: 404 });
  });

  it('pushes an image whose repository names a registry there, with no registries option', async () => {
    const r = run(['run', 'x:docker-push']);
    expectSuccess(r);
    const record = pushRecord('x');
    // Each reference's push says how it went (a longer push also prints its progress every few seconds).
    for (const p of record.pushed)
      expect(r.output).toMatch(new RegExp(`  push ${esc(p.reference)}: done, 2 layers, [\\d.]+ [kMG]B uploaded, [\\d.]+s\\n`));
    // The image's 2 layers are counted once, not once per tag (it said "1 layers uploaded, 3 already there").
    const counts = new RegExp(`  ${esc(`${open}/${P}/x`)}: 2 layers: (\\d) uploaded, (\\d) already there\\n`).exec(r.output);
    expect(counts && Number(counts[1]) + Number(counts[2])).toBe(2);
    expect(r.output).toContain(`pushed 2 references to ${open}: ${counts![1]} layers uploaded, ${counts![2]} already there, `);
    expect(record.pushed.map((p) => nxTag(p.reference))).toEqual([`${open}/${P}/x:latest`, `${open}/${P}/x:nx-HASH`]);
    for (const p of record.pushed) expect(await manifestOf(p.reference)).toEqual({ digest: p.digest });
    expect(JSON.parse(ws.read('dist/images.json')).x.pushed).toEqual(record.pushed);
    // The build's own tag was the push reference; the nx-<hash> tag made for the push is gone again.
    expect(await engineTags(record.imageId)).toEqual([`${open}/${P}/x:latest`]);
  });

  it('with registries as well, pushes to the repository host and to them, and leaves no extra tags in the engine', async () => {
    const r = run(['run', 'both:docker-push']);
    expectSuccess(r);
    // Counted once per registry: 2 layers in each, whatever the number of tags.
    for (const host of [open, authed])
      expect(r.output).toMatch(new RegExp(`  ${esc(`${host}/${P}/both`)}: 2 layers: \\d uploaded, \\d already there\\n`));
    const record = pushRecord('both');
    expect(record.pushed.map((p) => nxTag(p.reference))).toEqual([
      `${open}/${P}/both:latest`,
      `${open}/${P}/both:nx-HASH`,
      `${authed}/${P}/both:latest`,
      `${authed}/${P}/both:nx-HASH`,
    ]);
    for (const p of record.pushed) expect(await manifestOf(p.reference)).toEqual({ digest: p.digest });
    expect(await engineTags(record.imageId)).toEqual([`${open}/${P}/both:latest`]);
    expect(await imageIdOf(`${authed}/${P}/both:latest`)).toBeUndefined();
  });

  it('a push to a registry without credentials fails with the docker login hint, no stack trace, no tag left behind', async () => {
    expectSuccess(run(['run', 'denied:docker-build']));
    const r = run(['run', 'denied:docker-push'], { DOCKER_CONFIG: noCredentials });
    expect(r.code).not.toBe(0);
    // The engine's words when it has no credentials to send (a wrong password gives "unauthorized").
    expect(r.output).toContain(`registry ${authed} refused ${authed}/${P}/denied:latest: no basic auth credentials`);
    expect(r.output).toContain(`No credentials found for it (docker login ${authed}, DOCKER_CONFIG, or DOCKER_AUTH_CONFIG)`);
    expect(r.output).not.toMatch(STACK_LINE);
    expect(r.output).not.toContain(state.registryAuth.password);
    expect(await tagsOf(authed, `${P}/denied`)).toEqual([]);
    const id = await imageIdOf(`${authed}/${P}/denied:latest`);
    expect(id).toBeDefined();
    expect(await engineTags(id!)).toEqual([`${authed}/${P}/denied:latest`]);
  });

  it('"contentTag": false pushes no nx-<hash> tag', async () => {
    expectSuccess(run(['run', 'plain:docker-push']));
    const record = pushRecord('plain');
    expect(record.pushed.map((p) => p.reference)).toEqual([`${open}/${P}/plain:latest`]);
    expect(await manifestOf(record.pushed[0].reference)).toEqual({ digest: record.pushed[0].digest });
    expect(await tagsOf(open, `${P}/plain`)).toEqual(['latest']);
  });
});

describe('pushes of images on one base, run side by side', () => {
  const state = engineState();
  const open = state.registry.address;
  const S = `e2epushstack${process.pid}`;
  let ws: TestWorkspace;

  beforeAll(() => {
    // A base with a layer of its own (random, so no registry has it yet) and two images on it.
    ws = TestWorkspace.create('push-stack', {
      'images/base/Dockerfile': `FROM busybox:1.36\nRUN head -c 60000000 /dev/urandom > /blob && echo ${S}\n`,
      'images/base/image.json': JSON.stringify({ repository: `${open}/${S}/base` }),
      'images/a/Dockerfile': `FROM ${open}/${S}/base:latest\nRUN echo a > /a\n`,
      'images/a/image.json': JSON.stringify({ repository: `${open}/${S}/a` }),
      'images/b/Dockerfile': `FROM ${open}/${S}/base:latest\nRUN echo b > /b\n`,
      'images/b/image.json': JSON.stringify({ repository: `${open}/${S}/b` }),
    });
  });

  afterAll(async () => {
    ws?.remove();
    await removeImages(`${open}/${S}/`);
  });

  it("upload the base's layer once: the other pushes wait and mount it, as a docker push loop does", () => {
    // Built first, so the three pushes are ready at once, as in a CI job's push step.
    expectSuccess(ws.nx(['run-many', '-t', 'docker-build'], { DOCKER_HOST: state.dockerHost }));
    const r = ws.nx(['run-many', '-t', 'docker-push', '--parallel=3', '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost });
    expectSuccess(r);
    const uploaded = [...r.output.matchAll(/✔ \S+: pushed \d+ references to .*?: (\d+) layers uploaded/g)].map((m) => Number(m[1]));
    expect(uploaded).toHaveLength(3);
    // base: its own layer and busybox's (unless the registry has it from another test); a and b: one
    // layer each. Pushed side by side without taking turns, the engine uploaded the base's layer
    // once per image (5 or 6).
    expect(uploaded.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
  });
});

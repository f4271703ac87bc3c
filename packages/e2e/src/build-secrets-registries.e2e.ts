import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { docker, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { E2E_TMP } from './support/paths';
import { TestWorkspace } from './support/test-workspace';

/**
 * Registry credentials per host through the plugin's BuildKit session: one build whose FROM is in
 * the htpasswd registry of the bring-up (127.0.0.1:5001) and whose cache-from is in a second
 * htpasswd registry this test starts with other credentials. Both answer only with their own.
 */
const OWNER = `e2ereg${process.pid}`;
const USER2 = 'second';
const PASSWORD2 = `pw-${process.pid}-${Date.now()}`;

const secondLogPath = (dir: string): string => join(dir, 'registry.log');
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function push(reference: string, auth: { username: string; password: string; serveraddress: string }): Promise<void> {
  const [repo, tag] = [reference.slice(0, reference.lastIndexOf(':')), reference.slice(reference.lastIndexOf(':') + 1)];
  await docker.getImage('busybox:1.36').tag({ repo, tag });
  const stream = (await docker.getImage(reference).push({ authconfig: auth } as never)) as unknown as NodeJS.ReadableStream;
  const out = await new Promise<{ error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (e: Error | null, o: { error?: string }[]) => (e ? reject(e) : resolve(o))),
  );
  const failed = out.find((o) => o.error);
  if (failed) throw new Error(`push ${reference}: ${failed.error}`);
  // Not in the engine afterwards: BuildKit has to fetch it from the registry, with credentials.
  await docker.getImage(reference).remove();
}

describe('registry credentials for every registry a build touches', () => {
  const state = engineState();
  const dir = mkdtempSync(join((mkdirSync(E2E_TMP, { recursive: true }), E2E_TMP), 'registry2-'));
  let registry: ChildProcess;
  let address2: string;
  let ws: TestWorkspace;
  const secondLog = () => readFileSync(secondLogPath(dir), 'utf8');

  beforeAll(async () => {
    // A second htpasswd registry (Debian's docker-registry, as the bring-up uses), on 127.0.0.1 only.
    const port = await freePort();
    address2 = `127.0.0.1:${port}`;
    writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-nbB', USER2, PASSWORD2], { encoding: 'utf8' }));
    writeFileSync(
      join(dir, 'config.yml'),
      [
        'version: 0.1',
        'log: { level: info }',
        `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
        `http: { addr: "${address2}" }`,
        `auth: { htpasswd: { realm: second-test-registry, path: ${join(dir, 'htpasswd')} } }`,
        '',
      ].join('\n'),
    );
    // Its log goes to a file: nx runs through spawnSync, during which no pipe of ours would be read.
    const logFd = openSync(secondLogPath(dir), 'a');
    registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    for (let i = 0; i < 100; i++) {
      const code = await fetch(`http://${address2}/v2/`).then(
        (r) => r.status,
        () => 0,
      );
      if (code === 401) break;
      if (i === 99) throw new Error(`the second registry did not answer on ${address2}: ${secondLog().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await push(`${state.registryAuth.address}/${OWNER}/base:1`, {
      username: state.registryAuth.user,
      password: state.registryAuth.password,
      serveraddress: state.registryAuth.address,
    });
    await push(`${address2}/${OWNER}/cache:latest`, { username: USER2, password: PASSWORD2, serveraddress: address2 });

    const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          [state.registryAuth.address]: auth(state.registryAuth.user, state.registryAuth.password),
          [address2]: auth(USER2, PASSWORD2),
        },
      }),
    );
    ws = TestWorkspace.create('registries', {
      'images/app/Dockerfile': `FROM ${state.registryAuth.address}/${OWNER}/base:1\nRUN echo two-registries > /r\n`,
      'images/app/image.json': JSON.stringify({ repository: `${OWNER}/app`, cacheFrom: [`${address2}/${OWNER}/cache:latest`] }),
    });
  });
  afterAll(async () => {
    registry?.kill();
    ws?.remove();
    rmSync(dir, { recursive: true, force: true });
    await removeImages(`${OWNER}/`);
    await removeImages(`${state.registryAuth.address}/${OWNER}/`);
  });

  it('pulls FROM one registry and reads cache-from in another, each with its own credentials from the Docker config', () => {
    const since = readFileSync(state.registryAuth.log, 'utf8').length;
    const secondSince = secondLog().length;
    const r = ws.nx(['run', 'app:docker-build', '--outputStyle=stream'], { DOCKER_CONFIG: dir });
    if (r.code !== 0) throw new Error(r.output.slice(-4000));
    expect(r.output).toMatch(new RegExp(`✔ app: [0-9a-f]{12} ${OWNER}/app:latest`));
    // Each registry answered the build's requests for its image with 200: it accepted the credentials sent.
    const first = readFileSync(state.registryAuth.log, 'utf8').slice(since);
    expect(first).toMatch(new RegExp(`response completed.*uri=/v2/${OWNER}/base/manifests/1 .*status=200`));
    expect(secondLog().slice(secondSince)).toMatch(new RegExp(`response completed.*uri=/v2/${OWNER}/cache/manifests/latest .*status=200`));
    // No credential appears in what the plugin printed.
    expect(r.output).not.toContain(PASSWORD2);
    expect(r.output).not.toContain(state.registryAuth.password);
  });

  it('fails with the registry named when the Docker config has no credentials for the FROM registry', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: {} }));
    ws.write({ 'images/app/Dockerfile': `FROM ${state.registryAuth.address}/${OWNER}/base:1\nRUN echo no-credentials > /r\n` });
    const r = ws.nx(['run', 'app:docker-build', '--outputStyle=stream'], { DOCKER_CONFIG: dir });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`${state.registryAuth.address}/${OWNER}/base:1`);
    expect(r.output).toMatch(/401 Unauthorized|unauthorized|authorization/i);
  });
});

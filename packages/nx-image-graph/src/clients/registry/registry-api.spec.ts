import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryApi } from './registry-api';

/** A registry on 127.0.0.1 that wants a bearer token from its own token service, as Docker Hub, GHCR and GAR do. */
describe('the registry token flow', () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  const stored = new Map<string, Buffer>();
  const tokenRequests: string[] = [];
  let server: Server;
  let host: string;
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((r) => {
      const parts: Buffer[] = [];
      req.on('data', (c) => parts.push(c));
      req.on('end', () => r(Buffer.concat(parts)));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const url = new URL(req.url!, `http://${host}`);
      if (url.pathname === '/token') {
        tokenRequests.push(
          `${url.searchParams.get('service')} ${url.searchParams.get('scope')} ${req.headers.authorization ?? 'anonymous'}`,
        );
        const ok = req.headers.authorization === `Basic ${Buffer.from('ci:pw').toString('base64')}`;
        res
          .writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' })
          .end(ok ? JSON.stringify({ token: `tok ${url.searchParams.get('scope')}` }) : '{}');
        return;
      }
      // A token is good for the actions of its scope: a pull token cannot push.
      const need = req.method === 'PUT' ? 'pull,push' : 'pull';
      if (!(req.headers.authorization ?? '').startsWith(`Bearer tok repository:team/app:${need}`)) {
        res
          .writeHead(401, {
            'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:team/app:${need}"`,
          })
          .end();
        return;
      }
      const m = /^\/v2\/team\/app\/manifests\/(.+)$/.exec(url.pathname);
      if (m && req.method === 'GET') {
        const b = m[1] === digest ? manifest : stored.get(m[1]);
        if (!b) return void res.writeHead(404).end();
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': digest }).end(b);
        return;
      }
      if (m && req.method === 'PUT') {
        const b = await body(req);
        stored.set(m[1], b);
        res.writeHead(201, { 'Docker-Content-Digest': `sha256:${createHash('sha256').update(b).digest('hex')}` }).end();
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const config = (auths: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
    return { DOCKER_CONFIG: dir };
  };

  it('gets a token with the Docker config credentials, reads the index by digest and puts it under a tag', async () => {
    const api = new RegistryApi(host, config({ [host]: { auth: Buffer.from('ci:pw').toString('base64') } }));
    const got = await api.getManifest('team/app', digest);
    expect(got).toMatchObject({ digest, mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(await api.putManifest('team/app', '1.2.0', got!)).toBe(digest);
    expect(stored.get('1.2.0')).toEqual(manifest);
    expect(tokenRequests[0]).toMatch(/^test-registry repository:team\/app:pull Basic /);
    expect(tokenRequests.some((t) => t.includes('repository:team/app:pull,push'))).toBe(true);
  });

  it('names the registry and docker login when the token service refuses, without the password', async () => {
    const api = new RegistryApi(host, config({ [host]: { auth: Buffer.from('ci:wrong-secret').toString('base64') } }));
    const error = await api.getManifest('team/app', digest).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toMatch(new RegExp(`registry ${host} refused token from .*401.*Check the credentials for it \\(docker login ${host}`));
    expect(error).not.toContain('wrong-secret');
  });
});

import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEngine, engineFromPing } from './engine-client';

describe('engineFromPing', () => {
  it('names Docker and Podman from the Server header, with the API version and OS', () => {
    expect(engineFromPing({ server: 'Docker/20.10.24+dfsg1 (linux)', 'api-version': '1.41', ostype: 'linux' })).toEqual({
      name: 'docker',
      version: '20.10.24+dfsg1',
      apiVersion: '1.41',
      os: 'linux',
    });
    expect(engineFromPing({ server: 'Libpod/4.3.1 (linux)', 'api-version': '1.41', 'libpod-api-version': '4.3.1' })).toEqual({
      name: 'podman',
      version: '4.3.1',
      apiVersion: '1.41',
    });
  });

  it('leaves an engine the headers do not name to GET /version', () => {
    expect(engineFromPing({ server: 'nginx', 'api-version': '1.41' })).toBeUndefined();
    expect(engineFromPing({ server: 'Docker/24.0.7 (linux)' })).toBeUndefined();
  });
});

/** A stand-in engine on a unix socket in a temporary directory: what it answers, and the paths asked. */
describe('connectEngine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-client-'));
  const socket = join(dir, 'engine.sock');
  let server: Server | undefined;
  const asked: string[] = [];
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function serve(answer: (path: string, res: ServerResponse) => void): Promise<void> {
    asked.length = 0;
    server = createServer((req, res) => {
      asked.push(req.url!.replace(/^\/v[\d.]+/, ''));
      answer(req.url!, res);
    });
    return new Promise((resolve) => server!.listen(socket, resolve));
  }
  const env = { DOCKER_HOST: `unix://${socket}` };

  it('knows a Docker engine from one GET /_ping, without GET /version', async () => {
    await serve((_path, res) =>
      res.writeHead(200, { Server: 'Docker/20.10.24+dfsg1 (linux)', 'Api-Version': '1.41', Ostype: 'linux' }).end('OK'),
    );
    const { info } = await connectEngine(env);
    expect(info).toEqual({
      name: 'docker',
      version: '20.10.24+dfsg1',
      apiVersion: '1.41',
      os: 'linux',
      buildkit: true,
      address: `unix://${socket}`,
    });
    expect(asked).toEqual(['/_ping']);
  });

  it('asks GET /version when the ping does not name the engine', async () => {
    await serve((path, res) => {
      if (path.endsWith('/_ping')) return res.writeHead(200).end('OK');
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ Version: '4.3.1', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64', Components: [{ Name: 'Podman Engine' }] }));
    });
    const { info } = await connectEngine(env);
    expect(info).toEqual({
      name: 'podman',
      version: '4.3.1',
      apiVersion: '1.41',
      os: 'linux',
      arch: 'amd64',
      buildkit: false,
      address: `unix://${socket}`,
    });
    expect(asked).toEqual(['/_ping', '/version']);
  });

  it('says where it looked and how to start an engine when nothing answers', async () => {
    await expect(connectEngine({ DOCKER_HOST: `unix://${join(dir, 'absent.sock')}` })).rejects.toThrow(
      /No container engine answers at unix:\/\/.*absent\.sock \(connect ENOENT .*\)\.\nStart one/,
    );
  });
});

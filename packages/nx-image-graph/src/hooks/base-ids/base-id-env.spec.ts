import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectGraph } from '@nx/devkit';
import { baseIdEnv } from './base-id-env';
import { baseIdEnvName, baseIdInputs, platformEnvName } from '../../core/nx/base-id-names';

const graphOf = (metadata: object[]): ProjectGraph =>
  ({
    nodes: Object.fromEntries(
      metadata.map((m, i) => [`p${i}`, { name: `p${i}`, type: 'app', data: { root: `images/p${i}`, metadata: { 'nx-image-graph': m } } }]),
    ),
    dependencies: {},
  }) as never;

describe('base-id variables', () => {
  let engine: Server;
  let host: string;
  // A stand-in engine on loopback: GET /images/{ref}/json as Docker answers it.
  const images: Record<string, { Id: string; Os: string; Architecture: string }> = {
    'busybox:1.36': { Id: 'sha256:bbb', Os: 'linux', Architecture: 'amd64' },
    'debian:bookworm-slim': { Id: 'sha256:ddd', Os: 'linux', Architecture: 'amd64' },
  };
  beforeAll(async () => {
    engine = createServer((req, res) => {
      const ref = decodeURIComponent(/^\/images\/(.*)\/json$/.exec(req.url ?? '')?.[1] ?? '');
      if (!images[ref]) return void res.writeHead(404).end('{"message":"No such image"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(images[ref]));
    });
    await new Promise<void>((r) => engine.listen(0, '127.0.0.1', r));
    host = `tcp://127.0.0.1:${(engine.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => engine.close(r)));

  it('names each base by its id in the engine, an absent one as absent, and a platform build by its platform', async () => {
    const root = mkdtempSync(join(tmpdir(), 'base-ids-'));
    const graph = graphOf([
      { baseIds: baseIdInputs([{ reference: 'busybox:1.36' }, { reference: 'scratch' }], undefined, true) },
      { baseIds: baseIdInputs([{ reference: 'busybox:1.36' }, { reference: 'nope:1' }], 'linux/arm64', true), platforms: ['linux/arm64'] },
      { baseIds: baseIdInputs([{ reference: 'debian:bookworm-slim' }], undefined, false) },
    ]);
    expect(await baseIdEnv(graph, root, { DOCKER_HOST: host })).toEqual({
      [baseIdEnvName('busybox:1.36')]: 'busybox:1.36=sha256:bbb',
      // The engine holds one image per tag, here amd64's: the arm64 build pulls its own.
      [baseIdEnvName('busybox:1.36', 'linux/arm64')]: 'platform=linux/arm64\nbusybox:1.36=not-local-for-linux/arm64',
      [baseIdEnvName('nope:1', 'linux/arm64')]: 'platform=linux/arm64\nnope:1=absent',
      [platformEnvName('linux/arm64')]: 'linux/arm64',
    });
  });

  it('a base pinned in images.lock.json is a constant (its lock entry is hashed instead), and no engine says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'base-ids-'));
    writeFileSync(
      join(root, 'images.lock.json'),
      JSON.stringify({
        lockfileVersion: 1,
        bases: { 'busybox:1~36': { reference: 'busybox:1.36', digest: `sha256:${'a'.repeat(64)}`, source: 'registry' } },
      }),
    );
    const graph = graphOf([
      { baseIds: baseIdInputs([{ reference: 'busybox:1.36' }, { reference: 'debian:bookworm-slim' }], undefined, true) },
    ]);
    expect(await baseIdEnv(graph, root, { DOCKER_HOST: host })).toEqual({
      [baseIdEnvName('busybox:1.36')]: 'busybox:1.36=locked',
      [baseIdEnvName('debian:bookworm-slim')]: 'debian:bookworm-slim=sha256:ddd',
    });
    expect(await baseIdEnv(graph, root, { DOCKER_HOST: 'tcp://127.0.0.1:9' })).toEqual({
      [baseIdEnvName('busybox:1.36')]: 'busybox:1.36=locked',
      [baseIdEnvName('debian:bookworm-slim')]: 'debian:bookworm-slim=engine-unavailable',
    });
  });

  it('variable names are valid, readable, and differ per reference and platform', () => {
    const names = [
      baseIdEnvName('busybox:1.36'),
      baseIdEnvName('busybox:1.36', 'linux/arm64'),
      baseIdEnvName('busybox-1.36'),
      baseIdEnvName('registry.example.com:5000/acme/base@sha256:abc'),
    ];
    for (const n of names) expect(n).toMatch(/^NX_IMAGE_GRAPH_BASE_[A-Za-z0-9_]+_[0-9a-f]{10}$/);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toMatch(/^NX_IMAGE_GRAPH_BASE_busybox_1_36_/);
  });
});

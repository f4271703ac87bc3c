import type { ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { settingsMetadata } from '../../inference/targets/target-settings';
import type { CacheLookup, CacheStatus } from './cache-status';
import { buildRecord } from '../../build/input-records/build-record';
import { planImages, type PlanContext } from './plan-images';

const ID = (c: string) => `sha256:${c.repeat(64)}`;

/** A workspace of two images (app FROM base), each built once and recorded. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'plan-images-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('images/base/Dockerfile', 'FROM scratch\nCOPY base.txt /\n');
  write('images/base/base.txt', 'base\n');
  write('images/app/Dockerfile', 'FROM acme/base:latest\nCOPY app.txt /\n');
  write('images/app/app.txt', 'app\n');
  const options = (name: string, parents: object[]) => ({
    dockerfile: `images/${name}/Dockerfile`,
    context: `images/${name}`,
    repository: `acme/${name}`,
    tags: ['latest'],
    parents,
    metadataFile: `dist/images/${name}/docker-build.json`,
  });
  const base = options('base', []);
  const app = options('app', [{ reference: 'acme/base:latest', project: 'base', metadataFile: base.metadataFile }]);
  const record = (
    name: string,
    o: { context: string; dockerfile: string },
    nxHash: string,
    imageId: string,
    parents: { project: string; imageId: string }[],
  ) => {
    write(`dist/images/${name}/docker-build.image-id`, `${imageId}\n`);
    const r = buildRecord(
      root,
      {
        context: o.context,
        dockerfile: o.dockerfile,
        contextFiles: ['Dockerfile', `${name}.txt`],
        onBuildContext: false,
        parents,
        bases: [],
        args: {},
        options: o,
        nxHash,
      },
      undefined,
    );
    write(`dist/images/${name}/docker-build.inputs.json`, JSON.stringify(r));
  };
  record('base', base, 'hb1', ID('1'), []);
  record('app', app, 'ha1', ID('2'), [{ project: 'base', imageId: ID('1') }]);
  const target = (o: object) => ({ executor: 'nx-image-graph:build', metadata: settingsMetadata(o) });
  const graph = {
    nodes: {
      base: { name: 'base', type: 'app', data: { root: 'images/base', targets: { 'docker-build': target(base) } } },
      app: { name: 'app', type: 'app', data: { root: 'images/app', targets: { 'docker-build': target(app) } } },
    },
    dependencies: {},
  } as unknown as ProjectGraph;
  const task = (project: string) =>
    ({ id: `${project}:docker-build`, target: { project, target: 'docker-build' }, overrides: {}, outputs: [] }) as unknown as Task;
  const taskGraph = {
    roots: ['base:docker-build'],
    tasks: { 'app:docker-build': task('app'), 'base:docker-build': task('base') },
    dependencies: { 'app:docker-build': [{ id: 'base:docker-build' }], 'base:docker-build': [] },
  } as unknown as TaskGraph;
  return { root, graph, taskGraph, write };
}

function context(
  ws: ReturnType<typeof workspace>,
  hashes: Record<string, string>,
  statuses: Record<string, CacheStatus>,
  cached: Record<string, string> = {},
): PlanContext {
  const cache = {
    cacheDir: join(ws.root, '.nx/cache'),
    remote: 'not configured',
    status: async (h: string) => statuses[h] ?? 'miss',
    cachedOutput: (h: string) => cached[h],
  } as unknown as CacheLookup;
  return {
    root: ws.root,
    graph: ws.graph,
    nxJson: {},
    taskGraph: ws.taskGraph,
    hasher: { hashTask: async (t: Task) => ({ value: hashes[t.id] }) },
    cache,
    taskEnv: () => ({}),
  };
}

describe('planImages', () => {
  it('parents first; local hits carry the image the builds on them get', async () => {
    const ws = workspace();
    const rows = await planImages(
      context(
        ws,
        { 'base:docker-build': 'hb1', 'app:docker-build': 'ha1' },
        { hb1: 'local hit', ha1: 'local hit' },
        { hb1: ID('1'), ha1: ID('2') },
      ),
    );
    expect(rows.map((r) => [r.task, r.hash, r.status, r.reasons])).toEqual([
      ['base:docker-build', 'hb1', 'local hit', []],
      ['app:docker-build', 'ha1', 'local hit', []],
    ]);
  });

  it('a parent that rebuilds: the child has no hash yet and misses because of it', async () => {
    const ws = workspace();
    ws.write('images/base/base.txt', 'base 2\n');
    const rows = await planImages(context(ws, { 'base:docker-build': 'hb2', 'app:docker-build': 'never asked' }, {}));
    expect(rows.map((r) => [r.task, r.hash, r.status, r.reasons])).toEqual([
      ['base:docker-build', 'hb2', 'miss', ['images/base/base.txt changed']],
      ['app:docker-build', undefined, 'miss', ['parent base rebuilds']],
    ]);
  });

  it("a parent restored from the cache with another image than the workspace's: unknown until restored, the new parent id named", async () => {
    const ws = workspace();
    const rows = await planImages(context(ws, { 'base:docker-build': 'hb0' }, { hb0: 'local hit' }, { hb0: ID('0') }));
    expect(rows[1]).toEqual({
      task: 'app:docker-build',
      status: 'unknown',
      reasons: ['parent base 111111111111→000000000000', 'its hash is known once its parents are restored'],
    });
  });

  it('a miss under the recorded hash: its cache entry is gone', async () => {
    const ws = workspace();
    const rows = await planImages(
      context(ws, { 'base:docker-build': 'hb1', 'app:docker-build': 'ha1' }, { ha1: 'local hit' }, { ha1: ID('2') }),
    );
    expect(rows[0].reasons).toEqual(['its cache entry is gone (the recorded build has this hash)']);
  });
});

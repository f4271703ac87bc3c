import { docker, imageIdOf, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { RemoteCacheServer } from './support/remote-cache-server';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * After every run, the engine matches what the summary says (trust issue, item 5): a local cache
 * hit whose tag was moved gets it back, without a pull; a remote cache hit on a machine whose
 * engine lacks the image says so in its row, with the command that fixes it; with the plugin
 * option "materialize": "on-hit" that image is put in the engine instead. Two builder/clone pairs,
 * since the option is in nx.json, which Nx hashes into every task.
 */
const P = `e2ehon${process.pid}`;
const files = (owner: string) => ({
  'images/lone/Dockerfile': 'FROM busybox:1.36\nRUN echo lone > /lone.txt\n',
  'images/lone/image.json': JSON.stringify({ repository: `${owner}/lone` }),
});
interface SummaryFile {
  rows: { image: string; outcome: string; note?: string }[];
}

/** A tag this test put on busybox goes by itself: removing the image by id would take busybox:1.36 from the shared engine. */
async function untagBusybox(reference: string): Promise<void> {
  const busybox = await imageIdOf('busybox:1.36');
  if (busybox && (await imageIdOf(reference)) === busybox) await docker.getImage(reference).remove({ noprune: true });
}

describe('the engine matches the summary after every run', () => {
  const state = engineState();
  const registry = state.registry.address;
  let cache: RemoteCacheServer;
  const workspaces: TestWorkspace[] = [];
  const run = (ws: TestWorkspace, args: string[]): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], {
      DOCKER_HOST: state.dockerHost,
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url,
      COLUMNS: '300',
    });
  const row = (ws: TestWorkspace) =>
    (JSON.parse(ws.read('dist/image-run-summary.json')) as SummaryFile).rows.find((r) => r.image === 'lone')!;
  const recordedId = (ws: TestWorkspace) =>
    (JSON.parse(ws.read('dist/image-builds/images/lone/docker-build.json')) as { imageId: string }).imageId;
  /** The machine that never built it: no tag and no image left in the engine (the registry keeps its copy). */
  const forget = async (owner: string, id: string) => {
    await untagBusybox(`${owner}/lone:latest`);
    await removeImages(`${owner}/`);
    await removeImages(`${registry}/${owner}/`);
    await docker
      .getImage(id)
      .remove({ force: true })
      .catch(() => undefined);
    expect(
      await docker
        .getImage(id)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ).toBe(false);
  };

  /** The build on another machine: a clone whose engine never had the image, where the build is a remote cache hit. */
  const remoteHitElsewhere = async (builder: TestWorkspace, owner: string, id: string, name: string) => {
    await forget(owner, id);
    const clone = builder.clone(name);
    workspaces.push(clone);
    const r = run(clone, ['run', 'lone:docker-build']);
    expectSuccess(r);
    expect(r.output).toMatch(/> nx run lone:docker-build\s+\[remote cache\]/);
    return { clone, r };
  };

  beforeAll(async () => {
    cache = await RemoteCacheServer.start();
  });
  afterAll(async () => {
    await cache?.stop();
    for (const ws of workspaces) ws.remove();
    await untagBusybox(`${P}a/lone:latest`);
    for (const owner of [`${P}a`, `${P}b`]) {
      await removeImages(`${owner}/`);
      await removeImages(`${registry}/${owner}/`);
    }
  });

  describe('"materialize": "check" (the default)', () => {
    const owner = `${P}a`;
    let builder: TestWorkspace;
    beforeAll(() => {
      builder = TestWorkspace.create('honest-check', files(owner), { pluginOptions: { registries: [`${registry}/${owner}`] } });
      workspaces.push(builder);
      expectSuccess(run(builder, ['run', 'lone:docker-push']));
    });

    it('a local hit re-points a tag moved since, without a pull, and says so in its row', async () => {
      const id = recordedId(builder);
      // The tag moved to another image (busybox: removed by tag only, never by id, see untagBusybox).
      await docker.getImage('busybox:1.36').tag({ repo: `${owner}/lone`, tag: 'latest' });
      expect(await imageIdOf(`${owner}/lone:latest`)).not.toBe(id);
      const r = run(builder, ['run', 'lone:docker-build']);
      expectSuccess(r);
      expect(r.output).toMatch(/> nx run lone:docker-build\s+\[local cache\]/);
      expect(await imageIdOf(`${owner}/lone:latest`)).toBe(id);
      expect(row(builder)).toMatchObject({ outcome: 'local cache', note: `tags re-pointed to ${id.slice(7, 19)}: ${owner}/lone:latest` });
      expect(r.output).toContain(`tags re-pointed to ${id.slice(7, 19)}: ${owner}/lone:latest`);
    });

    it('a remote hit on an engine without the image names what is missing and the command, and claims nothing', async () => {
      const id = recordedId(builder);
      const { clone, r } = await remoteHitElsewhere(builder, owner, id, 'honest-check-b');
      expect(row(clone)).toMatchObject({ outcome: 'remote cache', note: 'not in this engine; run nx run lone:docker-materialize' });
      expect(r.output).toMatch(/lone\s+\S+\s+remote cache\s.*not in this engine; run nx run lone:docker-materialize/);
      expect(await imageIdOf(`${owner}/lone:latest`)).toBeUndefined();
      // The command the row names gives back the exact image.
      expectSuccess(run(clone, ['run', 'lone:docker-materialize']));
      expect(await imageIdOf(`${owner}/lone:latest`)).toBe(id);
    });
  });

  describe('"materialize": "on-hit"', () => {
    const owner = `${P}b`;
    it('a remote hit puts the exact image in the engine, from the registry by nx-<hash>, with its tags', async () => {
      const builder = TestWorkspace.create('honest-onhit', files(owner), {
        pluginOptions: { registries: [`${registry}/${owner}`], materialize: 'on-hit' },
      });
      workspaces.push(builder);
      expectSuccess(run(builder, ['run', 'lone:docker-push']));
      const id = recordedId(builder);
      const { clone } = await remoteHitElsewhere(builder, owner, id, 'honest-onhit-b');
      expect(row(clone)).toMatchObject({ outcome: 'remote cache', note: 'put in the engine from the registry' });
      expect(await imageIdOf(`${owner}/lone:latest`)).toBe(id);
    });
  });
});

import { docker, imageIdOf, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * An external base is hashed by its id in the engine: pulling a new image under the same tag
 * rebuilds exactly the images on it, with the Nx daemon off and on. The ids are set by the
 * plugin's preTasksExecution hook, which with the daemon on runs in the daemon's plugin worker.
 */
const P = `e2eext${process.pid}`;
const BASE = `${P}up/base:1`;

describe('a re-pulled external base', () => {
  const state = engineState();
  let ws: TestWorkspace;
  const run = (args: string[], daemon: boolean): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost, NX_DAEMON: String(daemon), COLUMNS: '300' });
  /** Builds Nx ran rather than took from its cache. */
  const built = (r: RunResult) => [...r.output.matchAll(/^> nx run (\S+:docker-build)$/gm)].map((m) => m[1]).sort();
  /** What `docker pull` of a new upstream image does to the local tag. */
  const pull = async (from: string) => {
    const [repo, tag] = BASE.split(':');
    await docker.getImage(from).tag({ repo, tag });
    expect(await imageIdOf(BASE)).toBe(await imageIdOf(from));
  };

  beforeAll(async () => {
    await pull('busybox:1.36');
    ws = TestWorkspace.create('external-bases', {
      'images/app/Dockerfile': `FROM ${BASE}\nRUN echo app > /app.txt\n`,
      'images/app/image.json': JSON.stringify({ repository: `${P}/app` }),
      'images/other/Dockerfile': 'FROM busybox:1.36\nRUN echo other > /other.txt\n',
      'images/other/image.json': JSON.stringify({ repository: `${P}/other` }),
    });
  });

  afterAll(async () => {
    ws?.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    ws?.remove();
    // Untag only: the tag shares its image with another.
    await docker
      .getImage(BASE)
      .remove({ noprune: true })
      .catch(() => undefined);
    await removeImages(`${P}/`);
  });

  for (const daemon of [false, true]) {
    it(`rebuilds exactly the image on it, and nothing after that (daemon ${daemon ? 'on' : 'off'})`, async () => {
      expectSuccess(run(['run-many', '-t', 'docker-build'], daemon));
      const warm = run(['run-many', '-t', 'docker-build'], daemon);
      expectSuccess(warm);
      expect(built(warm)).toEqual([]);

      // Each round a base id the workspace has never built on, or Nx would rightly restore that build.
      await pull(daemon ? `${P}/other:latest` : 'debian:bookworm-slim');
      const after = run(['run-many', '-t', 'docker-build'], daemon);
      expectSuccess(after);
      expect(built(after)).toEqual(['app:docker-build']);
      // Built on the new base: the image's first layer is the new base's.
      const baseLayers = (await docker.getImage(BASE).inspect()).RootFS.Layers!;
      expect((await docker.getImage(`${P}/app:latest`).inspect()).RootFS.Layers!.slice(0, baseLayers.length)).toEqual(baseLayers);
      // The summary file (with the daemon, Node's socket pipes keep the printed table in the daemon log).
      const rows = (JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { image: string; why?: string }[] }).rows;
      expect(rows.find((r) => r.image === 'app')?.why).toContain(`base ${BASE}`);

      const again = run(['run-many', '-t', 'docker-build'], daemon);
      expect(built(again)).toEqual([]);
    });
  }
});

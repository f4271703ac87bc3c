import { join } from 'node:path';
import * as tarFs from 'tar-fs';
import { docker, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * The same image ids after an edit that reaches every task's hash but no build (nx.json), whatever
 * else the engine built. BuildKit takes each cached step from the newest layers it holds for it: a
 * plain `docker build --no-cache` of the same Dockerfile in between gave the plugin's rebuild other
 * layers (other file times), new ids, and every image built on them rebuilt.
 */
const P = `e2erepro${process.pid}`;

describe('reproducible image ids', () => {
  const state = engineState();
  let ws: TestWorkspace;
  const plainBuilds: string[] = [];
  const run = (args: string[]): RunResult => ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost });
  const ids = () =>
    Object.fromEntries(
      ['base', 'app'].map((p) => [p, JSON.parse(ws.read(`dist/image-builds/images/${p}/docker-build.json`)).imageId as string]),
    );

  beforeAll(() => {
    ws = TestWorkspace.create('reproducible-ids', {
      'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt\n',
      'images/base/image.json': JSON.stringify({ repository: `${P}/base` }),
      'images/app/Dockerfile': `FROM ${P}/base\nRUN echo app > /app.txt\n`,
      'images/app/image.json': JSON.stringify({ repository: `${P}/app` }),
    });
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
    for (const id of plainBuilds)
      await docker
        .getImage(id)
        .remove({ force: true })
        .catch(() => undefined);
  });

  /** `docker build --no-cache` of a Dockerfile of the workspace, through the Engine API with BuildKit, as a user's script would. */
  const plainBuild = async (dir: string): Promise<string> => {
    const stream = (await docker.buildImage(
      tarFs.pack(join(ws.dir, dir)) as unknown as NodeJS.ReadableStream,
      { version: '2', nocache: true } as never,
    )) as unknown as NodeJS.ReadableStream;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const id = /"aux":\{"ID":"(sha256:[0-9a-f]{64})"\}/.exec(out)?.[1];
    if (!id) throw new Error(`the plain build gave no image:\n${out.slice(-2000)}`);
    plainBuilds.push(id);
    return id;
  };

  it('an nx.json edit after a plain docker build --no-cache of the same Dockerfiles gives the same ids', async () => {
    expectSuccess(run(['run-many', '-t', 'docker-build']));
    const before = ids();
    // Another build of the same steps on this engine: BuildKit now holds newer layers for them.
    for (const dir of ['images/base', 'images/app']) await plainBuild(dir);
    ws.write({
      'nx.json': JSON.stringify(
        { plugins: [{ plugin: 'nx-image-graph' }], namedInputs: { unrelated: ['{projectRoot}/README.md'] } },
        null,
        2,
      ),
    });
    const r = run(['run-many', '-t', 'docker-build']);
    expectSuccess(r);
    // Both missed Nx's cache (nx.json is in every task's hash), and neither was solved again.
    expect(r.output).not.toMatch(/\[local cache\]/);
    expect(ids()).toEqual(before);
    // Each build's closing line says so (the summary repeats it).
    expect(r.output.match(/✔ (base|app): [0-9a-f]{12} .*engine: same inputs as [0-9a-f]{12}/g)).toHaveLength(2);
    expect(r.output).toMatch(/why: nx\.json changed \(an Nx input\)/);
  });

  it('a changed input is built anew: its image and the images on it get new ids (what is not promised is said in the README)', () => {
    const before = ids();
    ws.write({ 'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt && echo changed\n' });
    const r = run(['run-many', '-t', 'docker-build']);
    expectSuccess(r);
    expect(r.output).not.toMatch(/engine: same inputs as/);
    const after = ids();
    expect(after.base).not.toBe(before.base);
    expect(after.app).not.toBe(before.app);
  });
});

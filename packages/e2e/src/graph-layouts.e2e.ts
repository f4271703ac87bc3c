import { docker } from './support/engine';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * Layouts real repositories use (issue 11, items 3, 9, 10), on the current and the previous Nx
 * major: build args as templates (a Makefile's BASE_IMG=.../base:sha-$(GIT_COMMIT)), a variant
 * with its own Dockerfile and context in a subdirectory, and two images from one Dockerfile
 * (seed 001's base and runtime stages), the runtime built on the base image's exact id.
 */
const P = `e2eglay${process.pid}`;
const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt\n',
  'images/base/image.json': JSON.stringify({ repository: `${P}/base`, tags: ['sha-{git.sha}'] }),
  'images/app/Dockerfile': 'ARG BASE_IMG\nFROM ${BASE_IMG}\nRUN cat /base.txt\n',
  'images/app/image.json': JSON.stringify({ repository: `${P}/app`, args: { BASE_IMG: `${P}/base:sha-{git.sha}` } }),
  'images/asr/Dockerfile': 'FROM busybox:1.36\nCOPY cpu.txt /flavour\n',
  'images/asr/cpu.txt': 'cpu\n',
  'images/asr/cuda/Dockerfile': 'FROM busybox:1.36\nCOPY cuda.txt /flavour\n',
  'images/asr/cuda/cuda.txt': 'cuda\n',
  'images/asr/image.json': JSON.stringify({
    repository: `${P}/asr`,
    variants: { cpu: {}, cuda: { dockerfile: 'cuda/Dockerfile', context: 'cuda' } },
  }),
  'images/linnaeus/Dockerfile': 'FROM busybox:1.36 AS base\nRUN echo base-stage > /stage.txt\nFROM base AS runtime\nCOPY run.sh /run.sh\n',
  'images/linnaeus/run.sh': 'echo run\n',
  'images/linnaeus-base/image.json': JSON.stringify({
    repository: `${P}/linnaeus-base`,
    dockerfile: '../linnaeus/Dockerfile',
    context: '.',
    target: 'base',
    tags: ['ampere'],
  }),
  'images/linnaeus-runtime/image.json': JSON.stringify({
    repository: `${P}/linnaeus-dev`,
    dockerfile: '../linnaeus/Dockerfile',
    context: '../linnaeus',
    target: 'runtime',
  }),
};

describe.each([
  ['the current Nx major', undefined],
  ['the previous Nx major', '23.3.2'],
])('graph layouts with %s', (_label, nxVersion) => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.create(`layouts${nxVersion ? '-nx23' : ''}`, files, { nxVersion });
  });
  afterAll(() => ws?.remove());

  it('infers one project per image, with the edges these layouts make', () => {
    expect(ws.projects()).toEqual(['app', 'asr', 'base', 'linnaeus-base', 'linnaeus-runtime']);
    expect(ws.edges()).toEqual(['app -> base', 'linnaeus-runtime -> linnaeus-base']);
  });

  it('builds them: the templated parent pinned under its expanded tag, the runtime on the base image', async () => {
    expectSuccess(ws.nx(['run-many', '-t', 'docker-build', '--outputStyle=stream']));
    const meta = (root: string, target = 'docker-build') => JSON.parse(ws.read(`dist/image-builds/${root}/${target}.json`));
    const sha = ws.git('rev-parse', 'HEAD').trim();
    expect(meta('images/base').tags).toEqual([`sha-${sha}`]);
    expect(meta('images/app').parents).toEqual([
      { project: 'base', target: 'docker-build', reference: `${P}/base:sha-${sha}`, imageId: meta('images/base').imageId },
    ]);
    expect(meta('images/asr', 'docker-build-cuda').imageId).not.toBe(meta('images/asr', 'docker-build-cpu').imageId);
    const base = meta('images/linnaeus-base');
    const runtime = meta('images/linnaeus-runtime');
    expect(runtime.parents.map((p: { project: string; imageId: string }) => [p.project, p.imageId])).toEqual([
      ['linnaeus-base', base.imageId],
    ]);
    const layers = async (id: string) => (await docker.getImage(id).inspect()).RootFS.Layers ?? [];
    const baseLayers = await layers(base.imageId);
    expect((await layers(runtime.imageId)).slice(0, baseLayers.length)).toEqual(baseLayers);
  });
});

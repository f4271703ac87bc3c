import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkspace } from './support/test-workspace';

/** A small image stack with the reference styles real repos use (see images/ for the full example). */
const files: Record<string, string> = {
  'images/base/cpu/Dockerfile': 'FROM busybox:1.36\nRUN echo cpu > /flavour\n',
  'images/base/cpu/image.json': JSON.stringify({ name: 'base-cpu', repository: 'e2e/base', tags: ['cpu'] }),
  'images/base/cuda/Dockerfile': 'FROM busybox:1.36\nRUN echo cuda > /flavour\n',
  'images/base/cuda/image.json': JSON.stringify({ name: 'base-cuda', repository: 'e2e/base', tags: ['cuda'] }),
  // Nested ARG defaults and a registry host that does not count when matching.
  'images/ml/Dockerfile':
    'ARG REGISTRY=registry.example.com\nARG FLAVOUR=cuda\nARG BASE=${REGISTRY}/e2e/base:${FLAVOUR}\nFROM $BASE\nRUN echo ml\n',
  'images/ml/image.json': JSON.stringify({ repository: 'e2e/ml', variants: { cuda: {}, cpu: { args: { FLAVOUR: 'cpu' } } } }),
  // Two directories named python: the default names are the paths below images/.
  'images/stages/cpu/python/Dockerfile':
    'FROM e2e/base:cpu AS build\nRUN echo built > /out\nFROM build\nCOPY --from=build /out /out\nCOPY app/ /app/\n',
  'images/stages/cpu/python/app/main.sh': 'echo main\n',
  'images/stages/cpu/python/image.json': JSON.stringify({ repository: 'e2e/cpu-python' }),
  'images/stages/gpu/python/Dockerfile': 'ARG BASE_IMAGE=e2e/ml:cuda\nFROM ${BASE_IMAGE}\nCOPY run.sh /run.sh\n',
  'images/stages/gpu/python/run.sh': 'echo gpu\n',
  'images/stages/gpu/python/image.json': JSON.stringify({ repository: 'e2e/gpu-python' }),
  // COPY --from an image, and a digest-pinned reference that is no edge.
  'images/tools/Dockerfile': 'FROM busybox:1.36\nCOPY --from=e2e/base:cpu /flavour /flavour\n',
  'images/pinned/Dockerfile': `FROM e2e/base:cpu@sha256:${'a'.repeat(64)}\n`,
  'docs/notes.md': 'not in any image\n',
};

const EXPECTED_EDGES = [
  'ml -> base-cpu',
  'ml -> base-cuda',
  'stages-cpu-python -> base-cpu',
  'stages-gpu-python -> ml',
  'tools -> base-cpu',
];

describe.each([
  ['the current Nx major', undefined],
  ['the previous Nx major', '23.3.2'],
])('image graph with %s', (_label, nxVersion) => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.create(`graph${nxVersion ? '-nx23' : ''}`, files, { nxVersion });
  });
  afterAll(() => ws?.remove());

  it('makes one project per image directory, with unique names', () => {
    expect(ws.projects()).toEqual(['base-cpu', 'base-cuda', 'ml', 'pinned', 'stages-cpu-python', 'stages-gpu-python', 'tools']);
  });

  it('infers exactly the intended edges from the Dockerfiles', () => {
    expect(ws.edges()).toEqual(EXPECTED_EDGES);
  });

  it('affected from a base Dockerfile: the base and all its descendants, nothing else', () => {
    expect(ws.projects(['--affected', '--files=images/base/cpu/Dockerfile'])).toEqual([
      'base-cpu',
      'ml',
      'stages-cpu-python',
      'stages-gpu-python',
      'tools',
    ]);
  });

  it('affected from a leaf: only the leaf', () => {
    expect(ws.projects(['--affected', '--files=images/stages/gpu/python/run.sh'])).toEqual(['stages-gpu-python']);
  });

  it('affected from a file in no image: nothing', () => {
    expect(ws.projects(['--affected', '--files=docs/notes.md'])).toEqual([]);
  });

  it.each([
    ['off', 'false'],
    ['on', 'true'],
  ])('follows a manifest-only change of the parent, with the daemon %s', (_label, daemon) => {
    const env = { NX_DAEMON: daemon };
    const edgesOfApp = () => {
      const r = ws.nx(['graph', '--file=graph.json'], env);
      if (r.code !== 0) throw new Error(r.output);
      const graph = JSON.parse(ws.read('graph.json')) as { graph: { dependencies: Record<string, { target: string }[]> } };
      return (graph.graph.dependencies['app'] ?? []).map((d) => d.target).sort();
    };
    try {
      ws.write({
        'images/app/Dockerfile': 'ARG BASE_IMAGE=e2e/base:cpu\nFROM ${BASE_IMAGE}\n',
        'images/app/image.json': JSON.stringify({ repository: 'e2e/app' }),
      });
      expect(edgesOfApp()).toEqual(['base-cpu']);
      // Only the manifest changes: the Dockerfile, where Nx would keep a file's edges, does not.
      ws.write({ 'images/app/image.json': JSON.stringify({ repository: 'e2e/app', args: { BASE_IMAGE: 'e2e/base:cuda' } }) });
      expect(edgesOfApp()).toEqual(['base-cuda']);
      expect(ws.projects(['--affected', '--files=images/base/cuda/Dockerfile'])).toContain('app');
      const affected = ws.nx(['affected', '-t', 'docker-build', '--files=images/base/cuda/Dockerfile', '--graph=tasks.json'], env);
      expect(affected.code).toBe(0);
      expect(Object.keys((JSON.parse(ws.read('tasks.json')) as { tasks: { tasks: Record<string, unknown> } }).tasks.tasks)).toContain(
        'app:docker-build',
      );
    } finally {
      if (daemon === 'true') ws.nx(['daemon', '--stop']);
      rmSync(join(ws.dir, 'images/app'), { recursive: true, force: true });
    }
  });

  it('explains the build target in nx show project', () => {
    const r = ws.nx(['show', 'project', 'stages-gpu-python', '--json']);
    const project = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    const build = project.targets['docker-build'];
    expect(build.metadata.description).toBe('Build e2e/gpu-python from images/stages/gpu/python/Dockerfile on ml (cuda)');
    expect(build.dependsOn).toEqual([{ projects: ['ml'], target: 'docker-build-cuda' }]);
    expect(build.cache).toBe(true);
    expect(build.inputs).toEqual(
      expect.arrayContaining(['{workspaceRoot}/images/stages/gpu/python/Dockerfile', '{workspaceRoot}/images/stages/gpu/python/run.sh']),
    );
  });
});

describe('broken images do not hide the others', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.create('broken', {
      ...files,
      'images/bad-manifest/Dockerfile': 'FROM busybox:1.36\n',
      'images/bad-manifest/image.json': JSON.stringify({ variants: { cpu: { args: { BASE: 3 } } } }),
      'images/bad-dockerfile/Dockerfile': 'RUN echo no FROM before me\n',
      'images/cycle-a/Dockerfile': 'FROM e2e/cycle-b\n',
      'images/cycle-a/image.json': JSON.stringify({ repository: 'e2e/cycle-a' }),
      'images/cycle-b/Dockerfile': 'FROM e2e/cycle-a\n',
      'images/cycle-b/image.json': JSON.stringify({ repository: 'e2e/cycle-b' }),
      'images/missing-dockerfile/image.json': JSON.stringify({ dockerfile: 'Dockerfile.gone' }),
      'images/missing-copy/Dockerfile': 'FROM busybox:1.36\nRUN true\nCOPY nothing-here.txt /x\n',
    });
  });
  afterAll(() => ws?.remove());

  it('loads every image and keeps the good edges', () => {
    expect(ws.projects()).toEqual(
      expect.arrayContaining([
        'base-cpu',
        'ml',
        'tools',
        'bad-manifest',
        'bad-dockerfile',
        'cycle-a',
        'cycle-b',
        'missing-dockerfile',
        'missing-copy',
      ]),
    );
    expect(ws.edges()).toEqual(EXPECTED_EDGES);
  });

  it('says once what is wrong, naming the file and the field or line', () => {
    const r = ws.nx(['show', 'projects']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('images/bad-manifest/image.json: invalid image manifest');
    expect(r.stderr).toContain('variants.cpu.args.BASE: must be a string; got 3');
    expect(r.stderr).toMatch(/images\/bad-dockerfile\/Dockerfile:1: .*FROM/);
    expect(r.stderr).toContain('image cycle: cycle-a -> cycle-b -> cycle-a');
    expect(r.stderr).toContain(
      'images/missing-dockerfile/image.json: Dockerfile "images/missing-dockerfile/Dockerfile.gone" does not exist',
    );
    expect(r.stderr).toContain(
      'images/missing-copy/Dockerfile:3: COPY source "nothing-here.txt" is not in the build context images/missing-copy',
    );
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('fails the broken image’s build with that message', () => {
    const r = ws.nx(['run', 'cycle-a:docker-build']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('images/cycle-a/Dockerfile:1: cycle-a is built on cycle-b ("e2e/cycle-b")');
  });
});

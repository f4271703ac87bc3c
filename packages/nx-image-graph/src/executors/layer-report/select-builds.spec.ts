import type { ProjectGraph } from '@nx/devkit';
import { buildTargetsOf, labelOf, selectBuilds } from './select-builds';

const build = (
  variant: string | undefined,
  metadataFile: string,
  parents: { project: string; reference: string; metadataFile: string }[] = [],
) => ({
  executor: 'nx-image-graph:build',
  options: { ...(variant ? { variant } : {}), metadataFile, parents },
});
const materialize = (metadataFile: string) => ({ executor: 'nx-image-graph:materialize', options: { metadataFile } });

const graph = {
  nodes: {
    'base-cpu': {
      name: 'base-cpu',
      type: 'app',
      data: {
        root: 'images/base',
        targets: {
          'docker-build': build(undefined, 'dist/images/base/docker-build.json'),
          'docker-materialize': materialize('dist/images/base/docker-build.json'),
        },
      },
    },
    'ml-base': {
      name: 'ml-base',
      type: 'app',
      data: {
        root: 'images/ml-base',
        targets: {
          'docker-build': { executor: 'nx:noop' },
          'docker-build-cpu': build('cpu', 'dist/images/ml-base/docker-build-cpu.json', [
            { project: 'base-cpu', reference: 'acme/base:cpu', metadataFile: 'dist/images/base/docker-build.json' },
          ]),
          'docker-build-cuda': build('cuda', 'dist/images/ml-base/docker-build-cuda.json'),
        },
      },
    },
    asr: {
      name: 'asr',
      type: 'app',
      data: {
        root: 'images/asr',
        targets: {
          'docker-build-cpu': build('cpu', 'dist/images/asr/docker-build-cpu.json', [
            { project: 'ml-base', reference: 'acme/ml-base:cpu', metadataFile: 'dist/images/ml-base/docker-build-cpu.json' },
          ]),
        },
      },
    },
    tools: { name: 'tools', type: 'lib', data: { root: 'tools', targets: { lint: { executor: 'nx:run-commands' } } } },
  },
  dependencies: {},
} as unknown as ProjectGraph;

describe('select-builds', () => {
  const all = buildTargetsOf(graph);
  const ids = (bs: { project: string; target: string }[]) => bs.map((b) => `${b.project}:${b.target}`);

  it('finds every nx-image-graph:build target with its metadata, parents and materialize target', () => {
    expect(ids(all)).toEqual(['base-cpu:docker-build', 'ml-base:docker-build-cpu', 'ml-base:docker-build-cuda', 'asr:docker-build-cpu']);
    expect(all[0]).toMatchObject({
      metadataFile: 'dist/images/base/docker-build.json',
      materializeTarget: 'docker-materialize',
      parents: [],
    });
    expect(all[3].parents).toEqual([
      { project: 'ml-base', reference: 'acme/ml-base:cpu', metadataFile: 'dist/images/ml-base/docker-build-cpu.json' },
    ]);
    expect(labelOf(all[3])).toBe('asr (cpu)');
    expect(labelOf(all[0])).toBe('base-cpu');
  });

  it('selects by project, by project:target, and by the plain build target of an image with variants', () => {
    expect(ids(selectBuilds(all, undefined).selected)).toEqual(ids(all));
    expect(ids(selectBuilds(all, ['ml-base']).selected)).toEqual(['ml-base:docker-build-cpu', 'ml-base:docker-build-cuda']);
    expect(ids(selectBuilds(all, ['ml-base:docker-build-cuda', 'base-cpu']).selected)).toEqual([
      'base-cpu:docker-build',
      'ml-base:docker-build-cuda',
    ]);
    expect(ids(selectBuilds(all, ['ml-base:docker-build']).selected)).toEqual(['ml-base:docker-build-cpu', 'ml-base:docker-build-cuda']);
  });

  it('adds the ancestors of the selected builds when asked, and names what matches nothing', () => {
    expect(ids(selectBuilds(all, ['asr:docker-build-cpu'], true).selected)).toEqual([
      'base-cpu:docker-build',
      'ml-base:docker-build-cpu',
      'asr:docker-build-cpu',
    ]);
    expect(selectBuilds(all, ['asr', 'nope', 'tools', 'asr:docker-build-cuda'])).toMatchObject({
      unknown: ['nope', 'tools', 'asr:docker-build-cuda'],
    });
  });
});

import type { ProjectGraph } from '@nx/devkit';
import { parseRunSelection, runTaskIds } from './run-tasks';

const nx = (...words: string[]) => ['/usr/bin/node', '/ws/node_modules/.bin/nx', ...words];

describe('the tasks of a run, from its command line', () => {
  it('reads nx run, the short form, run-many and affected', () => {
    expect(parseRunSelection(nx('run', 'app:docker-build', '--outputStyle=stream'))).toEqual({
      command: 'run',
      targets: ['docker-build'],
      projects: ['app'],
      exclude: [],
    });
    expect(parseRunSelection(nx('app:docker-build-cpu:ci'))).toEqual({
      command: 'run',
      targets: ['docker-build-cpu'],
      projects: ['app'],
      exclude: [],
      configuration: 'ci',
    });
    expect(parseRunSelection(nx('run-many', '-t', 'docker-build', 'docker-push', '--projects=a,b', '--exclude', 'c'))).toEqual({
      command: 'run-many',
      targets: ['docker-build', 'docker-push'],
      projects: ['a', 'b'],
      exclude: ['c'],
    });
    expect(parseRunSelection(nx('affected', '--targets=docker-build', '--base=origin/main'))).toEqual({
      command: 'affected',
      targets: ['docker-build'],
      projects: [],
      exclude: [],
    });
    expect(parseRunSelection(nx('graph'))).toBeUndefined();
    expect(parseRunSelection(nx('run-many'))).toBeUndefined();
  });

  const build = (dependsOn: object[] = []) => ({ executor: 'nx-image-graph:build', dependsOn });
  const graph = {
    nodes: {
      base: { name: 'base', type: 'app', data: { root: 'images/base', targets: { 'docker-build': build() } } },
      app: {
        name: 'app',
        type: 'app',
        data: { root: 'images/app', targets: { 'docker-build': build([{ projects: ['base'], target: 'docker-build' }]) } },
      },
      tool: {
        name: 'tool',
        type: 'app',
        data: { root: 'images/tool', targets: { 'docker-build': build([{ projects: ['app'], target: 'docker-build' }]) } },
      },
    },
    dependencies: {
      base: [],
      app: [{ source: 'app', target: 'base', type: 'static' }],
      tool: [{ source: 'tool', target: 'app', type: 'static' }],
    },
  } as unknown as ProjectGraph;

  it('is the task graph Nx builds for it: the task asked for and what it depends on, nothing built on it', () => {
    expect([...runTaskIds(nx('run', 'base:docker-build'), graph)!]).toEqual(['base:docker-build']);
    expect([...runTaskIds(nx('run', 'app:docker-build'), graph)!].sort()).toEqual(['app:docker-build', 'base:docker-build']);
    expect([...runTaskIds(nx('run-many', '-t', 'docker-build', '--exclude=tool'), graph)!].sort()).toEqual([
      'app:docker-build',
      'base:docker-build',
    ]);
    expect(runTaskIds(nx('show', 'projects'), graph)).toBeUndefined();
  });
});

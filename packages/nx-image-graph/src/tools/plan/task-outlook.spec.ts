import type { Task, TaskGraph } from '@nx/devkit';
import { ancestorsOf, withoutDryRun } from './task-outlook';

const task = (id: string, overrides: object = {}) =>
  ({ id, target: { project: id.split(':')[0], target: id.split(':')[1] }, overrides, outputs: [], parallelism: true }) as unknown as Task;

describe('what a real run would hash, from inside a dry run', () => {
  const graph: TaskGraph = {
    roots: ['base:docker-build', 'other:docker-build'],
    tasks: {
      'base:docker-build': task('base:docker-build'),
      'app:docker-build': task('app:docker-build', {
        'dry-run': true,
        'build-arg': 'X=1',
        __overrides_unparsed__: ['--dry-run', '--build-arg=X=1'],
      }),
      'app:docker-push': task('app:docker-push', { dryRun: true }),
      'other:docker-build': task('other:docker-build'),
    },
    // Nx 23's edges are task ids (Nx 24's are objects): the string form is the one both read.
    dependencies: {
      'base:docker-build': [],
      'app:docker-build': ['base:docker-build'],
      'app:docker-push': ['app:docker-build'],
      'other:docker-build': [],
    } as unknown as TaskGraph['dependencies'],
    continuousDependencies: {},
  };

  it('keeps the task and what it depends on, nothing else', () => {
    const sub = ancestorsOf(graph, 'app:docker-build');
    expect(Object.keys(sub.tasks).sort()).toEqual(['app:docker-build', 'base:docker-build']);
    expect(sub.roots).toEqual(['base:docker-build']);
  });

  it('hashes without --dry-run (Nx hashes every override), keeping the others', () => {
    const t = withoutDryRun(graph).tasks;
    expect(t['app:docker-build'].overrides).toEqual({ 'build-arg': 'X=1', __overrides_unparsed__: ['--build-arg=X=1'] });
    expect(t['app:docker-push'].overrides).toEqual({});
  });
});

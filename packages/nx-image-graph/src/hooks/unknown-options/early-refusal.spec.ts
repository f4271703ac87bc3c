import type { ProjectGraph } from '@nx/devkit';
import { earlyOptionsRefusal, taskOptions } from './early-refusal';

const nx = (...words: string[]) => ['/usr/bin/node', '/ws/node_modules/.bin/nx', ...words];

const graph = {
  nodes: {
    app: {
      name: 'app',
      type: 'app',
      data: {
        root: 'images/app',
        targets: {
          'docker-build': { executor: 'nx-image-graph:build' },
          'docker-push': { executor: 'nx-image-graph:push', dependsOn: ['docker-build'] },
          lint: { executor: 'nx:run-commands' },
        },
      },
    },
  },
  dependencies: {},
} as unknown as ProjectGraph;

describe('options refused before a run starts', () => {
  it('takes the options Nx passes to the tasks: not its own (read from Nx), with their values', () => {
    const own = new Set(['targets', 't', 'outputStyle', 'projects', 'p', 'skipNxCache', 'verbose']);
    expect(
      taskOptions(
        nx('run-many', '-t', 'docker-build', 'docker-push', '--tag=foo', '--outputStyle=stream', '--skip-nx-cache', '--build-arg', 'X=1'),
        own,
      ),
    ).toEqual({ names: ['tag', 'build-arg'], positional: [] });
    expect(taskOptions(nx('run', 'app:docker-build', 'now', '--verbose'), own)).toEqual({ names: [], positional: ['now'] });
  });

  it("refuses `docker-push --tag=foo` with the executor's own message, before its builds run", () => {
    expect(earlyOptionsRefusal(nx('run', 'app:docker-push', '--tag=foo'), graph)).toMatch(
      /^app:docker-push: nx-image-graph:push: unknown option --tag\. Its options: .*--retries.*Nothing was run\.$/,
    );
    expect(earlyOptionsRefusal(nx('run-many', '-t', 'docker-push', '--tag=foo', '--outputStyle=stream'), graph)).toMatch(
      /unknown option --tag/,
    );
    expect(earlyOptionsRefusal(nx('run', 'app:docker-build', '--build-args=X=1'), graph)).toMatch(
      /unknown option --build-args: did you mean --build-arg\?/,
    );
  });

  it("lets through what the targets take, Nx's own options, and other plugins' targets", () => {
    expect(
      earlyOptionsRefusal(
        nx('run', 'app:docker-build', '--build-arg=X=1', '--secret=id=a,env=A', '--dry-run', '--verbose', '--skip-nx-cache'),
        graph,
      ),
    ).toBeUndefined();
    expect(earlyOptionsRefusal(nx('run-many', '-t', 'docker-push', '--parallel=1', '--nx-bail', '--projects=app'), graph)).toBeUndefined();
    expect(earlyOptionsRefusal(nx('run', 'app:lint', '--fix'), graph)).toBeUndefined();
  });
});

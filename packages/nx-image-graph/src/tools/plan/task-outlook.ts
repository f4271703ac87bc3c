import type { ExecutorContext, NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import { CacheLookup } from './cache-status';
import { planImages } from './plan-images';
import type { PlanRow } from '../../build/input-records/plan-row';
import { nxCreateTaskGraph } from '../../core/nx/nx-helpers';

/** What an outlook is computed from: an executor's context, or what a command task builds of it (commandOutlookSource). */
export type OutlookSource = Pick<ExecutorContext, 'root' | 'projectGraph' | 'taskGraph'> &
  Partial<Pick<ExecutorContext, 'nxJsonConfiguration'>>;

/**
 * For a build run as a command (no executor context): the project graph Nx cached for this run and
 * the task graph of this one task, its overrides parsed from its command line as Nx parses them.
 * Loads Nx, which a dry run may: it is the one kind of build run that asks what Nx would do.
 */
export function commandOutlookSource(root: string, project: string, target: string, argv: string[]): OutlookSource {
  const { readCachedProjectGraph } = require('nx/src/project-graph/project-graph') as { readCachedProjectGraph: () => ProjectGraph };
  const { createOverrides } = require('nx/src/utils/command-line-utils') as {
    createOverrides: (argv: string[]) => Record<string, unknown>;
  };
  const projectGraph = readCachedProjectGraph();
  return { root, projectGraph, taskGraph: nxCreateTaskGraph(projectGraph, [project], [target], undefined, createOverrides(argv)) };
}

/** The option a dry run is given by; Nx hashes every override, so it makes the dry run's hash another one. */
const DRY_RUN_KEYS = ['dryRun', 'dry-run'];

/**
 * What a real run of this build task would do, from inside its dry run: its Nx hash without
 * `--dry-run`, whether Nx would restore that from its local or remote cache, and for a miss why
 * (planImages, as `nx-image-graph-plan` computes it). A dry run itself runs with Nx's cache off, so
 * without this it could only say "would build", cache hit or not. `error` when it cannot be told
 * (no task graph in a hand-made context, Nx internals that moved); the caller then says so.
 */
export async function taskOutlook(context: OutlookSource, taskId: string): Promise<PlanRow | { error: string }> {
  const taskGraph = context.taskGraph;
  const graph = context.projectGraph;
  if (!taskGraph?.tasks[taskId] || !graph) return { error: `Nx gave the task no ${graph ? 'task graph' : 'project graph'}` };
  try {
    const nxJson =
      context.nxJsonConfiguration ??
      (require('nx/src/config/nx-json') as { readNxJson: (root: string) => NxJsonConfiguration }).readNxJson(context.root);
    // Nx's in-process hasher reads the workspace's file map, which only building (or reading the cached) project graph loads.
    const { createProjectGraphAsync } = require('nx/src/project-graph/project-graph') as {
      createProjectGraphAsync: (o: { exitOnError: boolean }) => Promise<ProjectGraph>;
    };
    await createProjectGraphAsync({ exitOnError: false });
    const { createTaskHasher } = require('nx/src/hasher/create-task-hasher') as {
      createTaskHasher: (g: ProjectGraph, nxJson: NxJsonConfiguration) => Parameters<typeof planImages>[0]['hasher'];
    };
    const { getTaskSpecificEnv } = require('nx/src/tasks-runner/task-env') as {
      getTaskSpecificEnv: (t: Task, g: ProjectGraph) => NodeJS.ProcessEnv;
    };
    const rows = await planImages({
      root: context.root,
      graph,
      nxJson,
      taskGraph: withoutDryRun(ancestorsOf(taskGraph, taskId)),
      hasher: createTaskHasher(graph, nxJson),
      cache: new CacheLookup(context.root, nxJson),
      taskEnv: (t) => getTaskSpecificEnv(t, graph),
    });
    return rows.find((r) => r.task === taskId) ?? { error: `${taskId} is not an image build` };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** The task and every task it depends on: what its hash and its parents' images come from. */
export function ancestorsOf(taskGraph: TaskGraph, taskId: string): TaskGraph {
  const keep = new Set<string>();
  const visit = (id: string) => {
    if (keep.has(id) || !taskGraph.tasks[id]) return;
    keep.add(id);
    for (const d of taskGraph.dependencies[id] ?? []) visit(typeof d === 'string' ? d : (d as { id: string }).id);
  };
  visit(taskId);
  const only = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([id]) => keep.has(id)));
  return {
    ...taskGraph,
    roots: taskGraph.roots.filter((r) => keep.has(r)),
    tasks: only(taskGraph.tasks),
    dependencies: only(taskGraph.dependencies),
    continuousDependencies: only(taskGraph.continuousDependencies ?? {}),
  };
}

/** The same tasks as a run without `--dry-run` would hash them. */
export function withoutDryRun(taskGraph: TaskGraph): TaskGraph {
  const tasks = Object.fromEntries(
    Object.entries(taskGraph.tasks).map(([id, t]) => {
      const overrides = { ...t.overrides } as Record<string, unknown>;
      for (const k of DRY_RUN_KEYS) delete overrides[k];
      if (Array.isArray(overrides.__overrides_unparsed__))
        overrides.__overrides_unparsed__ = (overrides.__overrides_unparsed__ as string[]).filter(
          (a) => !/^--(dry-run|dryRun)(=.*)?$/.test(a),
        );
      return [id, { ...t, overrides }];
    }),
  );
  return { ...taskGraph, tasks };
}

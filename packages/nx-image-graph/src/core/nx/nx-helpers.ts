import type { logger as DevkitLogger, ProjectGraph, TaskGraph } from '@nx/devkit';

/**
 * The few Nx helpers the graph needs, from the Nx modules that define them. `@nx/devkit`'s index
 * loads most of Nx (0.3–0.5 s), which every plugin worker would pay on every graph computation;
 * these modules are a fraction of that. Should a future Nx move them, the index still has them.
 */
function fromNx<T>(path: string, name: string, fallback = '@nx/devkit'): T {
  try {
    const value = require(path)[name];
    if (value !== undefined) return value as T;
  } catch {
    // fall through to the module that re-exports it
  }
  return require(fallback)[name] as T;
}

export const nxCacheDir = (): string => fromNx<string>('nx/src/utils/cache-directory', 'cacheDir');
export const nxHashArray = (content: string[]): string =>
  fromNx<(c: string[]) => string>('nx/src/hasher/file-hasher', 'hashArray')(content);
export const nxWorkspaceRoot = (): string => fromNx<string>('nx/src/utils/workspace-root', 'workspaceRoot');
export const nxLogger = (): typeof DevkitLogger => fromNx<typeof DevkitLogger>('nx/src/utils/logger', 'logger');

type HashMultiGlob = (workspaceRoot: string, globGroups: string[][]) => Promise<string[]>;

/**
 * Nx's hash of the workspace files each glob group matches, in one native call (the daemon's, when
 * it runs), as `calculateHashesForCreateNodes` computes it: that one is in `@nx/devkit/internal`,
 * whose load took 0.3 s of every graph computation in the plugin worker.
 */
export const nxHashMultiGlob = (workspaceRoot: string, globGroups: string[][]): Promise<string[]> =>
  fromNx<HashMultiGlob>(
    'nx/src/utils/workspace-context',
    'hashMultiGlobWithWorkspaceContext',
    'nx/src/devkit-internals',
  )(workspaceRoot, globGroups);

type Glob = (workspaceRoot: string, globs: string[], exclude?: string[]) => Promise<string[]>;

/** The workspace files Nx tracks (its ignore files apply) that match the globs, in one native call. */
export const nxGlob = (workspaceRoot: string, globs: string[], exclude?: string[]): Promise<string[]> =>
  fromNx<Glob>('nx/src/utils/workspace-context', 'globWithWorkspaceContext', 'nx/src/devkit-internals')(workspaceRoot, globs, exclude);

/** The hash Nx gives a set of no files: a glob group hashing to it matches nothing Nx tracks. */
export const nxEmptyHash = (): string => nxHashArray([]);

type ReadTargetDefaults = (
  target: string,
  targetDefaults: unknown,
  executor: string | undefined,
  opts?: object,
) => { outputs?: string[]; options?: Record<string, unknown> } | null;

/** Nx's resolution of nx.json `targetDefaults` for one target (key precedence and `filter`s as Nx applies them). */
export const nxTargetDefaultsReader = (): ReadTargetDefaults =>
  fromNx<ReadTargetDefaults>(
    'nx/src/project-graph/utils/project-configuration/target-defaults',
    'readTargetDefaultsForTarget',
    'nx/src/devkit-internals',
  );

type EmitLog = (level: 'log' | 'warn' | 'error', message: string) => void;

/** Nx's channel from a plugin worker to its host process (the nx process, with the daemon off); undefined in an Nx without it. */
export function nxEmitPluginWorkerLog(): EmitLog | undefined {
  try {
    return require('nx/src/project-graph/plugins/isolation/worker-streaming').emitPluginWorkerLog as EmitLog | undefined;
  } catch {
    return undefined;
  }
}

/** The project graph Nx cached for this run (as @nx/devkit's readCachedProjectGraph, without loading the graph builder). */
export function nxReadCachedProjectGraph(): ProjectGraph {
  try {
    const cached = require('nx/src/project-graph/nx-deps-cache').readProjectGraphCache?.() as
      { projectGraph?: ProjectGraph } | null | undefined;
    if (cached?.projectGraph) return cached.projectGraph;
  } catch {
    // fall through to the devkit index
  }
  return (require('@nx/devkit') as typeof import('@nx/devkit')).readCachedProjectGraph();
}

/**
 * Nx's own task graph of `targets` on `projects` (what `nx run-many` builds), loaded on first use:
 * the plan, the summary and a dry run ask what Nx would run, with Nx's own rules for dependsOn.
 */
export function nxCreateTaskGraph(
  graph: ProjectGraph,
  projects: string[],
  targets: string[],
  configuration: string | undefined,
  overrides: object,
): TaskGraph {
  const { createTaskGraph } = require('nx/src/tasks-runner/create-task-graph') as {
    createTaskGraph: (
      g: ProjectGraph,
      extra: object,
      projects: string[],
      targets: string[],
      configuration: string | undefined,
      overrides: object,
    ) => TaskGraph;
  };
  return createTaskGraph(graph, {}, projects, targets, configuration, overrides);
}

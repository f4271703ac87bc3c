import type {
  CreateDependencies,
  CreateNodes,
  CreateNodesResult,
  DependencyType,
  PostTasksExecution,
  PreTasksExecution,
  RawProjectGraphDependency,
} from '@nx/devkit';
import { preTasksExecution as dryRunHook } from '../core/nx/dry-run-hook';
import { nxLogger, nxWorkspaceRoot } from '../core/nx/nx-helpers';
import { ImageGraphPluginOptions, normalizeOptions } from '../inference/options/plugin-options';
import { checkRegisteredOptions } from '../inference/options/registered-options';
import { validateOptionsOnce } from '../inference/options/validated-options';
import { problemNotices } from '../inference/edges/report-problems';

// The graph's modules are required when the graph is computed, not when the module loads: with the
// daemon on, Nx stops the plugin's worker after each run's postTasksExecution and starts a new one
// for the next run's preTasksExecution, where the graph is the daemon's cached one and only the hooks run.
const graphModules = () => ({
  ...(require('../inference/targets/infer-from-files') as typeof import('../inference/targets/infer-from-files')),
  ...(require('../inference/targets/secret-arg-warnings') as typeof import('../inference/targets/secret-arg-warnings')),
  ...(require('../inference/targets/peer-plugins') as typeof import('../inference/targets/peer-plugins')),
  ...(require('../inference/targets/workspace-dependencies') as typeof import('../inference/targets/workspace-dependencies')),
});

/** Every name that can make a directory an image; the options narrow it down. */
// images.lock.json too: the graph reads it (graph/lock-problems.ts), so its edit must recompute the graph.
const IMAGE_FILES =
  '**/{Dockerfile,Containerfile,*.Dockerfile,*.Containerfile,Dockerfile.*,Containerfile.*,image.json,*.image.json,images.lock.json}';

// A bad option in nx.json fails the plugin's load, so every graph command fails with its message (registered-options.ts).
checkRegisteredOptions(nxWorkspaceRoot());

const reported = new Set<string>();

function reportProblems(problems: Parameters<typeof problemNotices>[0]): void {
  // `nx <command> --help` reads the graph too; the problems belong to runs, not to help text.
  if (process.argv.includes('--help')) return;
  for (const message of problemNotices(problems)) {
    // The daemon recomputes the graph often: say each problem once per process.
    if (reported.has(message)) continue;
    reported.add(message);
    // Every line carries the prefix: a multi-line message stays attributable in a long log.
    nxLogger().warn(
      message
        .split('\n')
        .map((line) => `nx-image-graph: ${line}`)
        .join('\n'),
    );
  }
}

/** One Nx project per image directory, with its build targets. */
export const createNodes: CreateNodes<ImageGraphPluginOptions> = [
  IMAGE_FILES,
  async (files, rawOptions, context) => {
    const { inferFromFiles, peerPluginWarnings, secretArgWarnings } = graphModules();
    const { projects, problems, warnings } = await inferFromFiles(files, normalizeOptions(rawOptions, validateOptionsOnce), context);
    const peers = peerPluginWarnings(context.nxJsonConfiguration?.plugins as never, [...files]).map((message) => ({ message }));
    // Problems are printed, not thrown: Nx would refuse the whole graph, and one broken image must not hide the others.
    reportProblems([...problems, ...warnings, ...secretArgWarnings(projects), ...peers]);
    return projects.map((p) => [p.configFile, { projects: { [p.root]: p.project } } satisfies CreateNodesResult] as const);
  },
];

/**
 * The edges createNodes cannot draw: to projects whose files or outputs an image copies, whatever
 * plugin made them; and what the whole graph shows the image graph lacks (see workspace-dependencies.ts).
 */
export const createDependencies: CreateDependencies<ImageGraphPluginOptions> = (_options, context) => {
  const { edges, warnings } = graphModules().workspaceDependencies(context.projects);
  reportProblems(warnings.map((message) => ({ message })));
  return edges.map(
    (e) => ({ source: e.source, target: e.target, type: 'implicit' as DependencyType.implicit }) as RawProjectGraphDependency,
  );
};

/** @deprecated alias for Nx versions that still look for it. */
export const createNodesV2 = createNodes;

/**
 * The run summary, loaded when a run ends: it may need the engine (plain HTTP, or the engine client), which the
 * plugin worker would otherwise load on every graph computation.
 */
export const postTasksExecution: PostTasksExecution<ImageGraphPluginOptions> = (options, context) =>
  (require('../hooks/summary/post-tasks-execution') as typeof import('../hooks/summary/post-tasks-execution')).postTasksExecution(
    options,
    context,
  );
/** Before the run hashes its tasks: options the image targets do not have refused, dry runs uncached, and the external bases' ids in the environment (loaded for runs only, like the summary). */
export const preTasksExecution: PreTasksExecution<ImageGraphPluginOptions> = async (options, context) => {
  (
    require('../hooks/unknown-options/early-refusal') as typeof import('../hooks/unknown-options/early-refusal')
  ).refuseUnknownOptionsBeforeRun(context.argv);
  dryRunHook(options, context);
  await (require('../hooks/base-ids/base-id-hook') as typeof import('../hooks/base-ids/base-id-hook')).setBaseIdEnv(context);
};

import type { ExecutorContext } from '@nx/devkit';
import { executorSettings } from '../../inference/targets/target-settings';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { runBuildTask } from '../../build/pipeline/build-task';
import { taskOutlook } from '../../tools/plan/task-outlook';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';

/**
 * nx-image-graph:build, for targets written by hand (inferred targets run bin/build.js as a command,
 * which Nx starts without forking a process that loads Nx). The same build (build-task.ts) either way.
 */
export default async function buildExecutor(options: BuildExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx reads `--no-cache` as `cache: false`: it is `noCache`, as for docker build.
  const { cache, ...rest } = options as BuildExecutorOptions & { cache?: boolean };
  const given = cache === false ? { ...rest, noCache: true } : options;
  const refused = refuseUnknownOptions('build', given, context);
  if (refused) return refused;
  // An inferred target keeps its settings in metadata (graph/target-settings.ts); options hold the command line.
  const { settings, overrides } = executorSettings(given, context);
  const project = context.projectName!;
  const target = context.targetName!;
  const taskId = `${project}:${target}${context.configurationName ? `:${context.configurationName}` : ''}`;
  // Nx gives forked tasks their hash in the environment; the task graph has it in-process.
  const nxHash = process.env.NX_TASK_HASH || context.taskGraph?.tasks[taskId]?.hash;
  const outlook = () => taskOutlook(context, taskId);
  const success = await runBuildTask({
    root: context.root,
    project,
    target,
    ...(nxHash ? { nxHash } : {}),
    options: settings,
    overrides,
    outlook,
  });
  return { success };
}

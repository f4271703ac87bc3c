import { runBuildTask } from '../build/pipeline/build-task';
import type { BuildExecutorOptions } from '../inference/targets/build-schema';
import { schemaPropertyTypes, unknownOptionsError } from '../hooks/unknown-options/unknown-options';
import { inferredSettings, mergeSettings } from '../inference/targets/target-settings';
import { CommandOptionError, parseCommandOptions } from './command-options';
import { GraphTargetError, readGraphTarget } from './graph-target';
import { driftWarning, targetDrift } from './target-drift';

/**
 * nx-image-graph-build: the command of every inferred docker-build target (bin/build.js). Nx runs it
 * from its own process, with the task in its environment (NX_WORKSPACE_ROOT, NX_TASK_TARGET_PROJECT,
 * NX_TASK_TARGET_TARGET, NX_TASK_HASH) and the command line's options after it. The target's settings
 * come from the graph Nx already computed; the build is the executor's (build-task.ts). Loads no Nx,
 * no graph inference and no zod.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { NX_WORKSPACE_ROOT: root, NX_TASK_TARGET_PROJECT: project, NX_TASK_TARGET_TARGET: target } = env;
  if (!root || !project || !target) {
    process.stderr.write(
      'nx-image-graph-build is the command of an inferred docker-build target: run it through nx (nx run <project>:docker-build)\n',
    );
    return 1;
  }
  const fail = (message: string) => (process.stderr.write(`\n✖ ${project}:${target}: ${message}\n`), 1);
  let given: Record<string, unknown>;
  try {
    given = parseCommandOptions(argv, schemaPropertyTypes('build'));
  } catch (e) {
    if (e instanceof CommandOptionError) return fail(e.message);
    throw e;
  }
  const unknown = unknownOptionsError('build', given);
  if (unknown) return fail(unknown);
  let configured: Record<string, unknown> | undefined;
  try {
    const found = readGraphTarget(root, project, target, env);
    configured = inferredSettings(found);
    if (!configured)
      return fail(
        `the target has no settings in its metadata: it is not one nx-image-graph inferred; use the executor nx-image-graph:build with its options for a target written by hand`,
      );
    const drift = targetDrift(found, configured as { dockerfile: string; metadataFile: string });
    if (drift.length) process.stdout.write(`  ${driftWarning(`${project}:${target}`, drift)}\n`);
  } catch (e) {
    if (e instanceof GraphTargetError) return fail(e.message);
    throw e;
  }
  const { settings, overrides } = mergeSettings<BuildExecutorOptions>(configured, given);
  // A dry run asks what the real run would do: that alone loads Nx (plan/task-outlook.ts).
  const outlook = async () => {
    const { commandOutlookSource, taskOutlook } = await import('../tools/plan/task-outlook');
    return taskOutlook(
      commandOutlookSource(
        root,
        project,
        target,
        argv.filter((a) => !/^--(dry-run|dryRun)(=.*)?$/.test(a)),
      ),
      `${project}:${target}`,
    );
  };
  const ok = await runBuildTask({
    root,
    project,
    target,
    ...(env.NX_TASK_HASH ? { nxHash: env.NX_TASK_HASH } : {}),
    options: settings,
    overrides,
    outlook,
  });
  return ok ? 0 : 1;
}

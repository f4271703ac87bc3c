import type { TargetConfiguration } from '@nx/devkit';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';

/**
 * The command an inferred build target runs: the package's lean CLI (bin/build.js), which Nx's
 * run-commands finds on the PATH it gives a task (node_modules/.bin) and runs from Nx's own process,
 * where an executor would be a forked process loading Nx. One constant string for every build: Nx
 * hashes every target's options, the command among them, into every task of a project, so the
 * command carries no setting (they are in the target's metadata, graph/target-settings.ts).
 */
export const BUILD_COMMAND = 'nx-image-graph-build';

/** Whether a target builds an image: an inferred command target, or a hand-written one with the executor. */
export function isBuildTarget(target: Pick<TargetConfiguration, 'executor' | 'options'> | undefined): boolean {
  if (!target) return false;
  return target.executor === `${PLUGIN_NAME}:build` || (target.executor === 'nx:run-commands' && target.options?.command === BUILD_COMMAND);
}

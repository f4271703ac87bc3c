import type { ExecutorContext } from '@nx/devkit';
import { posix } from 'node:path';
import { taskOutlook } from '../../tools/plan/task-outlook';

/**
 * The build a push takes, as this run would make it: its Nx hash (the image's content tag is
 * nx-<hash>) and whether Nx would restore it or build it. A dry run's push must name that hash,
 * not the one of the build recorded before.
 */
export async function buildInThisRun(context: ExecutorContext, metadataFile: string): Promise<{ hash?: string; note: string }> {
  const taskId = `${context.projectName}:${posix.basename(metadataFile, '.json')}`;
  const outlook = await taskOutlook(context, taskId);
  if ('error' in outlook) return { note: `not built in a dry run; its Nx hash could not be told here: ${outlook.error}` };
  if (!outlook.hash)
    return {
      note: `not built in a dry run; its Nx hash is known once ${outlook.status === 'miss' ? 'its parents are rebuilt' : 'its parents are restored'}`,
    };
  const state =
    outlook.status === 'miss' ? 'built anew' : `restored from ${outlook.status === 'local hit' ? "Nx's local cache" : 'the remote cache'}`;
  return { hash: outlook.hash, note: `Nx hash ${outlook.hash}, ${state}` };
}

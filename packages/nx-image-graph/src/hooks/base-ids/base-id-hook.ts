import { nxReadCachedProjectGraph } from '../../core/nx/nx-helpers';
import { runEnv } from '../../core/nx/run-env';
import { baseIdEnv } from './base-id-env';

/**
 * Before Nx hashes a run's tasks: every base-id and platform variable the builds hash, set in the
 * environment (Nx hands what a preTasksExecution hook sets to the run, with the daemon on too).
 * The engine is asked once for all bases, where one `node` process per base used to be started.
 */
export async function setBaseIdEnv(context: { workspaceRoot: string; argv: string[] }): Promise<void> {
  let graph;
  try {
    graph = nxReadCachedProjectGraph();
  } catch {
    // No graph yet: nothing of ours will be hashed in this run either.
    return;
  }
  const values = await baseIdEnv(graph, context.workspaceRoot, runEnv(context.argv));
  for (const [name, value] of Object.entries(values)) process.env[name] = value;
}

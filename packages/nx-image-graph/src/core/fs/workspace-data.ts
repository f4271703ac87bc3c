import { isAbsolute, join } from 'node:path';

/**
 * Nx's workspace data directory, where it keeps its cached project graph (nx/src/utils/cache-directory.js,
 * the same in Nx 23 and 24): NX_WORKSPACE_DATA_DIRECTORY, else NX_PROJECT_GRAPH_CACHE_DIRECTORY (either
 * relative to the workspace root), else `.nx/workspace-data`.
 */
export function workspaceDataDirectory(root: string, env: NodeJS.ProcessEnv): string {
  const configured = env.NX_WORKSPACE_DATA_DIRECTORY ?? env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (configured === undefined) return join(root, '.nx', 'workspace-data');
  return isAbsolute(configured) ? configured : join(root, configured);
}

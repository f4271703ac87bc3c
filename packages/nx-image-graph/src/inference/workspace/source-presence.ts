import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nxEmptyHash, nxHashMultiGlob } from '../../core/nx/nx-helpers';

/** What Nx sees at a workspace path: files it tracks (and hashes), files only on disk (ignored), or nothing. */
export type Presence = 'tracked' | 'untracked' | 'missing';

/**
 * Whether Nx tracks anything at each path (a file, or files below a directory), in one native call
 * over Nx's view of the workspace; where it tracks nothing, whether the path is on disk anyway.
 */
export async function trackedPresence(workspaceRoot: string, paths: string[]): Promise<(path: string) => Presence> {
  const unique = [...new Set(paths)];
  const known = new Map<string, Presence>();
  if (unique.length) {
    const hashes = await nxHashMultiGlob(
      workspaceRoot,
      unique.map((p) => [escapeGlob(p), `${escapeGlob(p)}/**/*`]),
    );
    const empty = nxEmptyHash();
    unique.forEach((p, i) => known.set(p, hashes[i] !== empty ? 'tracked' : existsSync(join(workspaceRoot, p)) ? 'untracked' : 'missing'));
  }
  const onDisk = presenceOnDisk(workspaceRoot);
  return (path) => known.get(path) ?? onDisk(path);
}

/** Presence by the disk alone (no Nx to ask): whatever exists counts as tracked. */
export function presenceOnDisk(workspaceRoot: string): (path: string) => Presence {
  return (path) => (existsSync(join(workspaceRoot, path)) ? 'tracked' : 'missing');
}

/** A path as a glob matching only itself: the characters Nx's glob engine reads specially, escaped. */
export function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!]/g, '\\$&');
}

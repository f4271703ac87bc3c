import fg from 'fast-glob';
import { join, posix } from 'node:path';

// Nx's own content hash (native, fast): the files of an image context can be large.
const { hashFile } = require('nx/src/native') as { hashFile: (file: string) => string | null };

/** Workspace-relative path -> content hash, sorted by path; a file gone since it was listed is left out. */
export function fileHashes(root: string, paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...new Set(paths)].sort()) {
    const h = hashFile(join(root, p));
    if (h) out[p] = h;
  }
  return out;
}

/** The files a build reads, workspace-relative: the context files it sends, and its Dockerfile. */
export function buildFilePaths(context: string, dockerfile: string, contextFiles: string[]): string[] {
  return [dockerfile, ...contextFiles.map((f) => posix.join(context.split('\\').join('/'), f))].map((p) => posix.normalize(p));
}

/**
 * The files a manifest's extra `inputs` (Nx globs, `{workspaceRoot}/...`) name now, workspace-relative:
 * recorded with the build's own files, so a change to one (an imported `training/config.yaml`) is
 * named by its path, not as "an Nx input changed".
 */
export function extraInputFiles(root: string, inputs: string[] | undefined): string[] {
  const globs = (inputs ?? []).filter((g) => !g.startsWith('!')).map((g) => g.replace(/^\{workspaceRoot\}\//, ''));
  const negated = (inputs ?? []).filter((g) => g.startsWith('!')).map((g) => g.slice(1).replace(/^\{workspaceRoot\}\//, ''));
  if (globs.length === 0) return [];
  return fg.sync(globs, { cwd: root, dot: true, onlyFiles: true, ignore: ['**/node_modules/**', '.git/**', ...negated] });
}

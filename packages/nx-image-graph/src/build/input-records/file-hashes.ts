import fg from 'fast-glob';
import { join, posix } from 'node:path';
import { fileDigest } from '../context/file-digests';

/**
 * Workspace-relative path -> SHA-256 of the content, sorted by path; a file gone since it was listed
 * is left out. The same digests the build's inputs label is made of (context/file-digests.ts), read once per build.
 */
export function fileHashes(root: string, paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...new Set(paths)].sort()) {
    const d = fileDigest(join(root, p));
    if (d) out[p] = d.sha256;
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

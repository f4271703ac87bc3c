import { readLockReading } from '../lock/lock-file';
import { lockable } from '../lock/lock-input';
import type { ImageProject } from '../definitions/image-project';
import type { GraphProblem } from './resolve-image-graph';

/**
 * images.lock.json, read with the graph: a file that is not a lock blocks every build on a base it
 * could pin, a bad entry only the builds on its base. So the problem is said when the graph is read,
 * naming the file, and no other image is held up by it (nor built unpinned).
 */
export function lockProblems(workspaceRoot: string, projects: ImageProject[]): GraphProblem[] {
  const reading = readLockReading(workspaceRoot);
  if (!reading || (!reading.fileProblem && reading.entryProblems.size === 0)) return [];
  const basesOf = (p: ImageProject) => p.builds.flatMap((b) => b.externals.map((e) => e.reference)).filter(lockable);
  if (reading.fileProblem) {
    const roots = projects.filter((p) => basesOf(p).length > 0).map((p) => p.definition.root);
    return roots.length ? [{ file: 'images.lock.json', roots, message: reading.fileProblem }] : [];
  }
  return [...reading.entryProblems].flatMap(([reference, message]) => {
    const roots = projects.filter((p) => basesOf(p).includes(reference)).map((p) => p.definition.root);
    return roots.length ? [{ file: 'images.lock.json', roots, message }] : [];
  });
}

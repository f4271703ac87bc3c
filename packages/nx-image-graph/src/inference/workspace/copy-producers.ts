import type { DeclaredOutputs } from './declared-outputs';

/** A task whose outputs a build copies: it must run first, and the build hashes what it copies of them. */
export interface Producer {
  project: string;
  target: string;
  /** The workspace paths the build copies that lie in (or hold) the task's outputs. */
  paths: string[];
}

/**
 * The tasks that write what a build copies: an output and a copied path overlap when one lies
 * in the other (`COPY dist/apps/api` copies `api:build`'s `dist/apps/api`; `COPY apps/web`
 * copies `web:build`'s `apps/web/dist`). Outputs with globs count by their literal leading
 * directories. `sent(path)` says whether the build would send a path it holds but does not name
 * (an output inside a copied directory that .dockerignore excludes is not copied).
 */
export function producersOf(
  copied: string[],
  outputs: DeclaredOutputs[],
  sent: (workspacePath: string) => boolean = () => true,
): Producer[] {
  const found = new Map<string, Producer>();
  for (const declared of outputs) {
    for (const output of declared.outputs) {
      const literal = literalPrefix(output);
      // An output that is a glob from the workspace root down says nothing about where it writes.
      if (literal === '' || literal === '.') continue;
      for (const path of copied) {
        const overlaps = inside(path, literal) || (inside(literal, path) && sent(literal));
        if (!overlaps) continue;
        const key = `${declared.project}:${declared.target}`;
        const producer = found.get(key) ?? { project: declared.project, target: declared.target, paths: [] };
        if (!producer.paths.includes(path)) producer.paths.push(path);
        found.set(key, producer);
      }
    }
  }
  return [...found.values()];
}

/** Whether `path` is `dir` or lies below it (workspace-relative, `.` for the root). */
export function inside(path: string, dir: string): boolean {
  return dir === '.' || dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** The directories of a path before its first glob segment (`dist/**\/*.js` -> `dist`). */
export function literalPrefix(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (/[*?[\]{}!]/.test(segment)) break;
    segments.push(segment);
  }
  return segments.join('/');
}

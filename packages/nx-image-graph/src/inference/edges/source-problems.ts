import { posix } from 'node:path';
import { createIgnoreMatcher } from '../inputs/dockerignore';
import type { Presence } from '../workspace/source-presence';
import type { BuildDefinition } from '../definitions/image-definition';

export interface SourceView {
  /** Whether a task of the workspace writes this path (a declared output, or a manifest "dependsOn" task's). */
  produced(workspacePath: string): boolean;
  presence(workspacePath: string): Presence;
}

/**
 * The COPY/ADD sources a build will not find, or that Nx cannot hash. Checked only for literal paths
 * (globs and unresolved variables are left to the build), so every finding is certain:
 * - excluded by .dockerignore: an error (the build cannot see it);
 * - a task's output: fine, whether or not it exists yet (the task runs first);
 * - tracked by Nx: fine;
 * - only on disk, ignored by git: a warning, since Nx cannot hash it and the image would stay a
 *   cache hit when it changes;
 * - nowhere: an error.
 * The decision rests on what Nx tracks, not on ignored files, which Nx does not watch.
 */
export function sourceProblems(
  build: Pick<BuildDefinition, 'dockerfile' | 'context' | 'copies' | 'dockerignore'>,
  manifest: string,
  view: SourceView,
): { errors: string[]; warnings: string[] } {
  const ignored = createIgnoreMatcher(build.dockerignore);
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const { source, path, workspacePath } of checkedSources(build)) {
    const where = `${build.dockerfile}:${source.line}: ${source.instruction} source "${source.path}"`;
    if (ignored(path)) {
      errors.push(
        `${where} is excluded by .dockerignore in ${build.context}, so the build cannot see it; remove it from .dockerignore or from the Dockerfile`,
      );
    } else if (view.produced(workspacePath)) {
      continue;
    } else if (view.presence(workspacePath) === 'untracked') {
      warnings.push(
        `${where} is ignored by git, so Nx cannot hash it and the image would stay a cache hit after it changes; ` +
          `if a task builds it, name that task in "dependsOn" in ${manifest} (e.g. "api:build"), otherwise list a tracked file that changes with it in "inputs"`,
      );
    } else if (view.presence(workspacePath) === 'missing') {
      errors.push(
        `${where} is not in the build context ${build.context}, and no task of the workspace declares it as an output; ` +
          `create it, fix the path, set the manifest's "context", or name the task that builds it in "dependsOn" in ${manifest} (e.g. "api:build")`,
      );
    }
  }
  return { errors, warnings };
}

/** The COPY/ADD sources that name one path of the context, with that path in the context and in the workspace. */
export function checkedSources(build: Pick<BuildDefinition, 'context' | 'copies'>) {
  return build.copies.flatMap((source) => {
    if (source.instruction === 'RUN --mount' || /[*?[\]{}]/.test(source.path)) return [];
    const path = posix.normalize(source.path.replace(/^\/+/, '').replace(/^\.\//, '')).replace(/\/+$/, '');
    if (path === '.' || path === '' || path.startsWith('..')) return [];
    return [{ source, path, workspacePath: build.context === '.' ? path : `${build.context}/${path}` }];
  });
}

import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createIgnoreMatcher } from '../context/dockerignore';
import type { DockerfileModel } from '../dockerfile';

/**
 * COPY/ADD sources that the build will not find: not in the context, or excluded by
 * .dockerignore. Only literal paths are checked (globs and $VARS are left to the build),
 * so every finding is certain. Returns one message per source, with its line.
 */
export function missingContextSources(model: DockerfileModel, contextDir: string, contextRel: string, ignorePatterns: string[], needed?: Set<number>): string[] {
  const ignored = createIgnoreMatcher(ignorePatterns);
  const problems: string[] = [];
  // Only the stages this build runs: one Dockerfile may hold a base and a runtime image, each with its own context needs.
  for (const stage of model.stages.filter((s) => !needed || needed.has(s.index))) {
    for (const source of stage.contextSources) {
      if (source.instruction === 'RUN --mount') continue;
      for (const raw of source.sources) {
        if (/[$*?[\]{}]/.test(raw)) continue;
        const path = posix.normalize(raw.replace(/^\.\//, '')).replace(/\/+$/, '');
        if (path === '.' || path === '' || path.startsWith('..')) continue;
        if (!existsSync(join(contextDir, path))) {
          problems.push(`${model.file}:${source.line}: ${source.instruction} source "${raw}" is not in the build context ${contextRel}; create it, fix the path, or set the manifest's "context"`);
        } else if (ignored(path)) {
          problems.push(`${model.file}:${source.line}: ${source.instruction} source "${raw}" is excluded by .dockerignore in ${contextRel}, so the build cannot see it; remove it from .dockerignore or from the Dockerfile`);
        }
      }
    }
  }
  return problems;
}

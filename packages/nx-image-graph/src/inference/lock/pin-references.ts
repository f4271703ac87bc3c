import type { ImageDependency } from '../dockerfile';
import { pinnedReference } from './pinned-reference';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a reference sits in its instruction: the FROM image, `--from=` of COPY, `from=` of a RUN --mount. */
function patternOf(kind: ImageDependency['kind'], raw: string): RegExp {
  const r = escapeRegExp(raw);
  if (kind === 'from') return new RegExp(`^(\\s*FROM\\s+(?:--\\S+\\s+)*)${r}(?=\\s|$)`, 'i');
  if (kind === 'copy-from') return new RegExp(`(\\s--from=)${r}(?=\\s|$)`, 'i');
  return new RegExp(`((?:--mount=|,)from=)${r}(?=[,\\s]|$)`, 'i');
}

/**
 * The Dockerfile a build sends when its external bases are locked by registry digest: each FROM,
 * COPY --from and RUN --mount from= of a locked reference names `<repository>@<digest>` instead, so
 * the builder pulls exactly the locked manifest whatever the tag points at now. A reference written
 * with variables (`FROM ${BASE}`) is replaced by its value under the build's args. Lines keep their
 * numbers, so the engine's messages still point at the user's Dockerfile.
 */
export function pinReferences(text: string, dependencies: readonly ImageDependency[], digests: ReadonlyMap<string, string>): string {
  const lines = text.split('\n');
  for (const dep of dependencies) {
    const digest = digests.get(dep.reference);
    if (!digest || dep.unresolved.length) continue;
    const pattern = patternOf(dep.kind, dep.raw);
    // An instruction continued over several lines has its reference on one of the next lines.
    let at = dep.line - 1;
    while (at < lines.length && at < dep.line + 20 && !pattern.test(lines[at])) at++;
    if (at >= lines.length || !pattern.test(lines[at])) {
      throw new Error(
        `line ${dep.line}: could not find "${dep.raw}" to pin it to ${digest}; write the reference on the instruction's first line`,
      );
    }
    lines[at] = lines[at].replace(pattern, (_, before: string) => `${before}${pinnedReference(dep.reference, digest)}`);
  }
  return lines.join('\n');
}

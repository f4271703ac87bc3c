/**
 * Nx `inputs` for a build context: the files the build can see, as filesets,
 * so that a file Docker never sends never invalidates the cache.
 *
 * Why the result is SOUND (never leaves out a file the build can see; it may
 * include more than the build sees, which only costs a cache miss):
 *
 * Docker decides a path by the LAST pattern that matches it or one of its
 * parent directories: an ignore pattern drops it, a `!` exception keeps it.
 *
 * 1. Inclusions cover every file the build can see.
 *    - By default, `<context>/**\/*` covers every file under the context.
 *    - When a match-everything pattern (`*`, `**`, `**\/*`) is followed by
 *      exceptions (the "allowlist" style: `*`, `!src`, `!package.json`), every
 *      path matches it, so a path is sent only if a LATER exception E matches
 *      it or its parent directory: `<context>/E` and `<context>/E/**\/*` cover it.
 *    - With `sources`, a file that COPY/ADD source `p` brings in is `p` itself
 *      or lies below it: `<context>/<p>` and `<context>/<p>/**\/*` cover it.
 *    A pattern or source is used as an Nx glob only when Nx reads it as
 *    Docker does (see `isPortableGlob`); otherwise its literal leading
 *    directories stand in for it, or the whole context.
 * 2. Exclusions drop only files Docker does not send. An ignore pattern P
 *    becomes `!<context>/P` and `!<context>/P/**` only when
 *    a. no later `!` exception can decide a path P decides (`mayOverlap`:
 *       both match it or a parent directory of it). Then the last match of
 *       any path P drops is an ignore: it is not sent. (`*.log` then
 *       `!src/keep` keeps `*.log` excluded; `build` then `!build/out` does not.)
 *    b. Nx's glob for P matches no more than Docker's pattern P:
 *       `isPortableGlob`, under which `*`, `?` and `**` mean the same in both
 *       (Nx compiles globs with `literal_separator`, so `*` stays within a
 *       segment, and, as in Docker, it matches dotfiles). `P/**` stands for
 *       Docker's rule that a pattern matching a directory ignores what is
 *       below it.
 *    c. P matches none of `always` (the Dockerfile, the `.dockerignore`):
 *       Docker sends those even when ignored, and Nx merges every
 *       `{workspaceRoot}` fileset of a target into one set, so an exclusion
 *       here would also drop them where the caller lists them as inputs.
 *
 * Beyond what these strings can say: Nx hashes only the files it tracks, so a
 * file git (or `.nxignore`) ignores but the build sees, such as a generated
 * `dist/`, is sent yet never hashed; the task producing it belongs in
 * `dependsOn`. The Dockerfile itself is an input of its own, for the caller.
 */
import * as path from 'node:path';
import { createIgnoreMatcher, isException, mayOverlap, normalizePattern } from './dockerignore';

/**
 * What the Dockerfile takes from the context: the sources of its COPY/ADD
 * instructions, relative to the context (`src/`, `requirements.txt`,
 * `app/*.py`; `.` or an empty path is the whole context), or `'whole-context'` when that
 * is unknown or everything is reachable (e.g. a `RUN --mount=type=bind`).
 */
export type ContextSources = { paths: string[] } | 'whole-context';

export interface ContextInputsOptions {
  /**
   * Paths relative to the context that Docker sends even when ignored (the
   * Dockerfile when it is inside the context, `.dockerignore`). No exclusion
   * is emitted that would match them.
   */
  always?: string[];
}

/**
 * Nx inputs for a build context at `contextRel` (relative to the workspace
 * root, POSIX, `.` for the root) with the given `.dockerignore` patterns:
 * `{workspaceRoot}/<contextRel>/**\/*` (or one pair of globs per source path)
 * followed by `!{workspaceRoot}/<contextRel>/<pattern>` exclusions. See the
 * file comment for why nothing the build can see is left out.
 */
export function contextInputs(
  contextRel: string,
  patterns: string[],
  sources: ContextSources = 'whole-context',
  options: ContextInputsOptions = {},
): string[] {
  const base = contextBase(contextRel);
  const normalised = patterns.map(normalizePattern).filter((p): p is string => p !== undefined);

  const globs = sources === 'whole-context' ? visibleGlobs(normalised) : coveringGlobs(sources.paths);
  // Nothing visible: no inputs at all (exclusions alone would mean "the whole workspace except").
  if (globs.length === 0) return [];

  const inputs: string[] = [];
  for (const glob of globs) {
    if (glob === undefined) inputs.push(`${base}/**/*`);
    else inputs.push(`${base}/${glob}`, `${base}/${glob}/**/*`);
  }

  const always = (options.always ?? []).map((p) => path.posix.normalize(p.replace(/\\/g, '/')));
  normalised.forEach((pattern, index) => {
    if (isException(pattern)) return;
    if (normalised.slice(index + 1).some((later) => isException(later) && mayOverlap(pattern, later))) return;
    if (!isPortableGlob(pattern)) return;
    const matches = createIgnoreMatcher([pattern]);
    if (always.some((file) => matches(file))) return;
    inputs.push(`!${base}/${pattern}`);
    if (pattern !== '**' && !pattern.endsWith('/**')) inputs.push(`!${base}/${pattern}/**`);
  });

  return [...new Set(inputs)];
}

/** `{workspaceRoot}` or `{workspaceRoot}/<contextRel>`, the directory escaped as a glob literal. */
function contextBase(contextRel: string): string {
  const rel = path.posix.normalize(contextRel.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (path.posix.isAbsolute(rel) || rel === '..' || rel.startsWith('../')) {
    throw new Error(
      `Build context "${contextRel}" must be a path inside the workspace, relative to its root; ` +
        'Nx cannot hash files outside the workspace.',
    );
  }
  return rel === '.' || rel === '' ? '{workspaceRoot}' : `{workspaceRoot}/${escapeGlobLiteral(rel)}`;
}

/** Patterns that every path matches. */
const MATCH_EVERYTHING = new Set(['*', '**', '**/*']);

/**
 * Globs covering every path the patterns let through (see 1. above):
 * `[undefined]` for the whole context, the exceptions after the last
 * match-everything pattern when there is one.
 */
function visibleGlobs(patterns: string[]): (string | undefined)[] {
  let lastMatchAll = -1;
  patterns.forEach((p, i) => {
    if (MATCH_EVERYTHING.has(p)) lastMatchAll = i;
  });
  if (lastMatchAll === -1) return [undefined];
  const exceptions = patterns.slice(lastMatchAll + 1).filter(isException);
  return coveringGlobs(exceptions.map((e) => e.slice(1)));
}

/**
 * Globs covering each path and everything below it, deduplicated; `[undefined]`
 * when one of them needs the whole context.
 */
function coveringGlobs(paths: string[]): (string | undefined)[] {
  const globs: string[] = [];
  for (const raw of paths) {
    const glob = coveringGlob(raw);
    if (glob === undefined) return [undefined];
    if (!globs.includes(glob)) globs.push(glob);
  }
  return globs;
}

/**
 * A source path or pattern as a glob Nx reads as Docker does, else its
 * literal leading directories, else `undefined` (the whole context).
 */
function coveringGlob(raw: string): string | undefined {
  // Sources are relative to the context even when written absolute (`COPY /src /app`).
  const p = path.posix.normalize(raw.trim().replace(/^\/+/, '') || '.').replace(/\/+$/, '');
  if (p === '.' || p === '' || p === '..' || p.startsWith('../')) return undefined;
  if (isPortableGlob(p)) return p;
  const literal: string[] = [];
  for (const segment of p.split('/')) {
    if (!isPortableGlob(segment) || /[*?]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.length > 0 ? literal.join('/') : undefined;
}

/**
 * Whether a Docker pattern means the same as an Nx glob: only characters with
 * no special meaning in either (plus `*` and `?`), `**` only as a whole path
 * segment, no `.`/`..` segments. Anything else (classes, braces, escapes,
 * extglobs, `!`) is read differently by the two, so it is not used.
 */
function isPortableGlob(pattern: string): boolean {
  if (!/^[\p{L}\p{N}_.\-/*?~@%=:,+ #$&]+$/u.test(pattern)) return false;
  return pattern
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..' && (!segment.includes('**') || segment === '**'));
}

/** Escapes the characters Nx's glob engine gives a meaning to, as Nx's own `escape_glob_literal` does. */
function escapeGlobLiteral(literal: string): string {
  return literal.replace(/[\\*?[\]{}()!]/g, '\\$&');
}

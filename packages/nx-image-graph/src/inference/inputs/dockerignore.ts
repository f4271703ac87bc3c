/**
 * `.dockerignore`: which file applies, how its lines become patterns, and what
 * a pattern matches.
 *
 * Matching is delegated to `@balena/dockerignore`, a port of Docker's own
 * matcher. Where that port (written against moby 19.03) and today's matcher
 * (github.com/moby/patternmatcher, used by BuildKit and the docker CLI) part
 * ways, the patterns are rewritten before they reach it, so that what we send
 * is what current Docker would send; see `toBalenaPattern`.
 *
 * All paths here are POSIX paths relative to the build context, the way Docker
 * matches them on Linux (where `\` is an escape character, not a separator).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import dockerignore from '@balena/dockerignore';

/** The ignore file that applies to a build, if any, and its normalised patterns. */
export interface DockerignoreFile {
  /** Absolute path of the file the patterns came from; absent when there is none. */
  file?: string;
  patterns: string[];
}

/** `true` when `relPath` (POSIX, relative to the context) is excluded from the context. */
export type IgnoreMatcher = (relPath: string) => boolean;

/**
 * The ignore file for a build, with BuildKit's precedence: `<Dockerfile>.dockerignore`
 * next to the Dockerfile (e.g. `app.Dockerfile.dockerignore`) wins over
 * `<context>/.dockerignore`. A relative `dockerfilePath` is taken relative to
 * `contextDir`; an absolute one is used as is.
 */
export function readDockerignore(contextDir: string, dockerfilePath?: string): DockerignoreFile {
  const candidates: string[] = [];
  if (dockerfilePath) candidates.push(`${path.resolve(contextDir, dockerfilePath)}.dockerignore`);
  candidates.push(path.resolve(contextDir, '.dockerignore'));

  for (const file of candidates) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw error;
    }
    const bare = text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .findIndex((line) => line.trim() === '!');
    if (bare >= 0) {
      throw new DockerignoreError(
        `${path.relative(contextDir, file)}:${bare + 1}: a bare "!" is not a pattern; write the path to re-include after it (e.g. !src/keep.txt), or delete the line`,
      );
    }
    return { file, patterns: parseDockerignore(text) };
  }
  return { patterns: [] };
}

/** A .dockerignore Docker would refuse; the message names the file (relative to the context) and line. */
export class DockerignoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerignoreError';
  }
}

/**
 * The patterns of a `.dockerignore` text, read the way Docker reads them
 * (moby/patternmatcher `ignorefile.ReadAll`): a UTF-8 BOM is dropped, a line
 * whose first character is `#` is a comment (an indented `#` is not), blank
 * lines are dropped, and each pattern is normalised (see `normalizePattern`).
 */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    const pattern = normalizePattern(line);
    if (pattern !== undefined) patterns.push(pattern);
  }
  return patterns;
}

/**
 * One pattern normalised like Docker does: surrounding whitespace trimmed, the
 * path cleaned (Go's `filepath.Clean`: `a/./b/` -> `a/b`) and a leading `/`
 * removed, with a `!` prefix kept. `undefined` for a blank line. Idempotent.
 */
export function normalizePattern(raw: string): string | undefined {
  let pattern = raw.trim();
  if (pattern === '') return undefined;
  const exception = pattern.startsWith('!');
  if (exception) pattern = pattern.slice(1).trim();
  if (pattern.length > 0) {
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
  }
  return exception ? `!${pattern}` : pattern;
}

/** Whether a (normalised) pattern is an exception (`!pattern`), which re-includes. */
export function isException(pattern: string): boolean {
  return pattern.startsWith('!');
}

/**
 * A matcher for `patterns` with Docker's semantics: the last pattern that
 * matches a path, or one of its parent directories, decides; `!` re-includes;
 * `*` and `?` stay within one path segment, `**` spans any number of them.
 * Matching is case-sensitive, as in Docker. The context root itself is never
 * ignored. Throws on a pattern Docker would reject.
 */
export function createIgnoreMatcher(patterns: string[]): IgnoreMatcher {
  const normalised = patterns.map(normalizePattern).filter((p): p is string => p !== undefined);
  const balenaPatterns = normalised.map((pattern) => {
    if (pattern === '!') throw new Error('Invalid .dockerignore pattern "!": an exception needs a path.');
    const converted = toBalenaPattern(pattern);
    try {
      // The library compiles lazily; compile now so a bad pattern fails here, with its name.
      dockerignore({ ignorecase: false }).add(converted).ignores('x');
    } catch (error) {
      throw new Error(`Invalid .dockerignore pattern "${pattern}": ${(error as Error).message}`);
    }
    return converted;
  });
  // ignorecase defaults to TRUE in @balena/dockerignore; Docker matches case-sensitively.
  const matcher = dockerignore({ ignorecase: false }).add(balenaPatterns);

  return (relPath) => {
    const file = toContextPath(relPath);
    if (file === '.' || file === '') return false;
    return matcher.ignores(file);
  };
}

/**
 * Whether `pattern` could match some path strictly below the directory
 * `relDir`. Conservative: `true` whenever unsure (`**`, character classes,
 * escapes), `false` only when a segment of the pattern provably cannot match
 * the corresponding segment of `relDir`. Used to decide that an ignored
 * directory needs no walking because no `!` exception can reach into it.
 */
export function mayMatchBelow(pattern: string, relDir: string): boolean {
  const body = isException(pattern) ? pattern.slice(1) : pattern;
  if (/[[\]\\]/.test(body)) return true;
  const patternSegments = body.split('/');
  const dirSegments = toContextPath(relDir).split('/');
  for (let i = 0; i < dirSegments.length; i++) {
    // The pattern ran out: it matches an ancestor of relDir, so everything below.
    if (i === patternSegments.length) return true;
    if (patternSegments[i].includes('**')) return true;
    if (!segmentRegExp(patternSegments[i]).test(dirSegments[i])) return false;
  }
  return true;
}

/**
 * Whether some path is decided by both patterns (each matching it or one of its parent
 * directories): only then can the later `!` exception re-include what the ignore pattern
 * drops. Conservative: `true` whenever unsure (`**`, classes, escapes, two wildcards meeting).
 */
export function mayOverlap(ignore: string, exception: string): boolean {
  const a = (isException(ignore) ? ignore.slice(1) : ignore).split('/');
  const b = (isException(exception) ? exception.slice(1) : exception).split('/');
  if ([...a, ...b].some((s) => s.includes('**') || /[[\]\\]/.test(s))) return true;
  // Past the shorter one, it matches a parent directory: everything below is decided by it.
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!segmentsMayMeet(a[i], b[i])) return false;
  return true;
}

function segmentsMayMeet(x: string, y: string): boolean {
  const wild = (s: string) => /[*?]/.test(s);
  if (!wild(x) && !wild(y)) return x === y;
  if (!wild(x)) return segmentRegExp(y).test(x);
  if (!wild(y)) return segmentRegExp(x).test(y);
  return true;
}

/** Go's `filepath.Clean` for a POSIX path (no trailing slash, `.`/`..` resolved). */
function cleanPath(p: string): string {
  const cleaned = path.posix.normalize(p);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/** A path as Docker compares it: cleaned, relative, no leading `./`. */
function toContextPath(relPath: string): string {
  return cleanPath(relPath === '' ? '.' : relPath).replace(/^\/+/, '');
}

/** One path segment of a pattern (no `**`, no classes, no escapes) as an anchored RegExp. */
function segmentRegExp(segment: string): RegExp {
  let source = '^';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${source}$`);
}

/**
 * A normalised pattern rewritten so that @balena/dockerignore 1.0.2 matches it
 * the way moby/patternmatcher (current Docker and BuildKit) does:
 *
 * - `+ ( ) { } |` are literal characters in Docker (it escapes them before
 *   building its regexp); the library passes them into a JavaScript RegExp
 *   unescaped, so `c++` would match `cc`, and `file(1` would throw. They are
 *   escaped with `\`, which both read as "the next character, literally".
 * - A pattern starting with `**` followed by plain text (`**.pem`) is a suffix
 *   match in Docker: any path ending in `.pem`. The library reads it as
 *   `(.*\/)?\.pem`, a file named exactly `.pem`, and would send the keys.
 *   `**` + `*.pem` (= `**` `/` `*.pem`) is the same set, in the library's syntax.
 * - A pattern starting with `#` (from an indented `#` line) is a literal path
 *   in Docker; the library would drop it as a comment, so the `#` is escaped.
 *
 * Character classes are left alone (both sides hand them to a regexp engine).
 */
function toBalenaPattern(pattern: string): string {
  const exception = isException(pattern);
  let body = exception ? pattern.slice(1) : pattern;

  const suffix = body.startsWith('**') ? body.slice(2) : '';
  if (suffix !== '' && !suffix.startsWith('/') && !/[*?[\]\\]/.test(suffix)) body = `**/*${suffix}`;

  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      out += ch + body[++i];
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      out += ch;
      inClass = true;
    } else if ('+(){}|'.includes(ch) || (ch === '#' && i === 0)) {
      out += `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return exception ? `!${out}` : out;
}

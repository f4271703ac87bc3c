/**
 * The files of a build context: what `docker build` would send, given the
 * `.dockerignore` patterns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { createIgnoreMatcher, isException, mayMatchBelow, normalizePattern } from '../../inference/inputs/dockerignore';

export interface ListContextFilesOptions {
  /** `.dockerignore` patterns, as returned by `readDockerignore`. */
  patterns: string[];
  /**
   * Paths (relative to the context, or absolute inside it) sent even when
   * ignored, as Docker does for the Dockerfile and the `.dockerignore`.
   * Those that do not exist are skipped.
   */
  always?: string[];
  /**
   * Only what lies at or below these context-relative paths or globs (the sources a Dockerfile
   * reads); default: everything.
   */
  roots?: string[];
  /**
   * Told of each entry the build could see that is no file, directory or symlink (a FIFO, a socket,
   * a device): a tar cannot carry it, so it is left out, and the caller says so.
   */
  onSpecial?: (path: string, kind: string) => void;
}

type FastGlobFs = NonNullable<fg.Options['fs']>;

/**
 * Every regular file and symlink under `contextDir` that the build can see:
 * relative POSIX paths, sorted, dotfiles included, symlinks listed but not
 * followed, ignored paths left out (except `always`).
 *
 * An ignored directory is not walked at all when no `!` exception could
 * re-include anything inside it (a large ignored `node_modules` costs one
 * readdir of its parent); it is walked, and its files matched one by one, when
 * one could (`node_modules` + `!node_modules/keep`).
 */
export async function listContextFiles(contextDir: string, options: ListContextFilesOptions): Promise<string[]> {
  const root = path.resolve(contextDir);
  await assertDirectory(contextDir, root);

  const isIgnored = createIgnoreMatcher(options.patterns);
  const exceptions = options.patterns.map(normalizePattern).filter((p): p is string => p !== undefined && isException(p));
  // Nothing at or below `rel` can be sent: drop it before it is walked.
  const isPrunable = (rel: string) => isIgnored(rel) && !exceptions.some((e) => mayMatchBelow(e, rel));

  // A root that is a file is only itself: walking below it would read a file as a directory.
  const globs = options.roots
    ? options.roots.flatMap((r) => (fg.isDynamicPattern(r) || isDirectory(path.join(root, r)) ? [r, `${r}/**`] : [r]))
    : ['**'];
  const entries = await fg(globs, {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    fs: { readdir: prunedReaddir(root, isPrunable) },
  });

  const files = new Set<string>();
  for (const entry of entries) {
    const special = specialKind(entry.dirent);
    if (special && !isIgnored(entry.path)) options.onSpecial?.(entry.path, special);
    if (!entry.dirent.isFile() && !entry.dirent.isSymbolicLink()) continue;
    if (!isIgnored(entry.path)) files.add(entry.path);
  }
  for (const rel of (options.always ?? []).map((p) => toContextRelative(root, p))) {
    if (await isFileOrSymlink(path.join(root, rel))) files.add(rel);
  }
  return [...files].sort();
}

function specialKind(d: Pick<fs.Dirent, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  return d.isFIFO()
    ? 'a FIFO'
    : d.isSocket()
      ? 'a socket'
      : d.isCharacterDevice()
        ? 'a character device'
        : d.isBlockDevice()
          ? 'a block device'
          : undefined;
}

/**
 * fast-glob's documented `fs` hook, used to filter each directory listing: the
 * only way to keep fast-glob out of a directory on a condition that globs
 * cannot express (a Docker pattern, with its exceptions).
 */
function prunedReaddir(root: string, isPrunable: (rel: string) => boolean): FastGlobFs['readdir'] {
  const readdir = (dir: string, optionsOrCallback: unknown, maybeCallback?: unknown): void => {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as (
      error: NodeJS.ErrnoException | null,
      entries: (string | fs.Dirent)[],
    ) => void;
    const withFileTypes = typeof optionsOrCallback === 'object' && optionsOrCallback !== null;
    const relDir = path.relative(root, dir).split(path.sep).join('/');
    const keep = (entry: string | fs.Dirent) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      return !isPrunable(relDir ? `${relDir}/${name}` : name);
    };
    const done = (error: NodeJS.ErrnoException | null, entries: (string | fs.Dirent)[]) =>
      error ? callback(error, entries) : callback(null, entries.filter(keep));
    if (withFileTypes) fs.readdir(dir, { withFileTypes: true }, done);
    else fs.readdir(dir, done);
  };
  return readdir as unknown as FastGlobFs['readdir'];
}

async function assertDirectory(contextDir: string, root: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `Build context directory "${contextDir}" does not exist (resolved to ${root}). ` +
          "Fix the image manifest's `context` so it names an existing directory.",
      );
    }
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new Error(
      `Build context "${contextDir}" (resolved to ${root}) is not a directory. ` +
        "Fix the image manifest's `context` so it names a directory.",
    );
  }
}

/** `p` (relative to the context, or absolute) as a clean relative POSIX path; throws outside it. */
function toContextRelative(root: string, p: string): string {
  const rel = path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    throw new Error(
      `"${p}" is not a file inside the build context ${root}; ` +
        'send files from outside the context with packContext extraFiles instead.',
    );
  }
  return rel;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function isFileOrSymlink(file: string): Promise<boolean> {
  try {
    const stat = await fs.promises.lstat(file);
    return stat.isFile() || stat.isSymbolicLink();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { workspaceDataDirectory } from '../../core/fs/workspace-data';

/** What of one file makes an image: its content (a symlink: its target) and its mode bits, as COPY keeps them. */
export interface FileDigest {
  /** SHA-256 of the content, hex. */
  sha256: string;
  mode: number;
  link?: true;
}

/** Digests by path, valid while the file's stat says it is the same file: of this process, and loaded (loadDigests). */
const known = new Map<string, { stat: string; digest: FileDigest; racy?: true }>();
let buffer: Buffer | undefined;
/**
 * A file changed this recently may change again within its timestamp's granularity without its stat
 * changing (git's "racy" entries): its digest serves this process, and is not kept for the next.
 */
const RACY_MS = 2000;

/**
 * A file's digest, or undefined when it is gone. Read in 1 MB chunks (a large file costs no memory),
 * once per process while its inode, size, times and mode stay the same: the build's label and its
 * record both ask.
 */
export function fileDigest(path: string): FileDigest | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  const stat = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}`;
  const hit = known.get(path);
  if (hit?.stat === stat) return hit.digest;
  const hash = createHash('sha256');
  if (st.isSymbolicLink()) hash.update(readlinkSync(path));
  else if (st.isFile()) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      buffer ??= Buffer.allocUnsafe(1 << 20);
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  const digest: FileDigest = {
    sha256: hash.digest('hex'),
    mode: st.mode & 0o7777,
    ...(st.isSymbolicLink() ? { link: true as const } : {}),
  };
  const racy = Date.now() - st.mtimeMs < RACY_MS;
  known.set(path, { stat, digest, ...(racy ? { racy: true as const } : {}) });
  return digest;
}

interface DigestFile {
  version: 1;
  files: Record<string, { stat: string; digest: FileDigest }>;
}

/**
 * Digests an earlier build kept (saveDigests), so a file whose stat did not change is not read
 * again: a build that is a lookup reads none of an unchanged context. A file that cannot be read is as none.
 */
export function loadDigests(file: string): void {
  if (!existsSync(file)) return;
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as DigestFile;
    if (kept.version !== 1) return;
    for (const [path, entry] of Object.entries(kept.files)) if (!known.has(path)) known.set(path, entry);
  } catch {
    // Another version, or cut short: the files are read again.
  }
}

/** Keeps the digests of `paths` (absolute) for the next build, those not changed too recently to trust. */
export function saveDigests(file: string, paths: string[]): void {
  const files: DigestFile['files'] = {};
  for (const p of paths) {
    const entry = known.get(p);
    if (entry && !entry.racy) files[p] = { stat: entry.stat, digest: entry.digest };
  }
  writeJsonAtomic(file, { version: 1, files } satisfies DigestFile, 0);
}

/** Where a build task keeps its context's digests: one file per task (tasks run side by side), in Nx's workspace data directory. */
export function digestsFileOf(root: string, taskId: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(
    workspaceDataDirectory(root, env),
    'nx-image-graph',
    'file-digests',
    `${createHash('sha256').update(taskId).digest('hex').slice(0, 24)}.json`,
  );
}

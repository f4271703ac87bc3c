import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';

/** What of one file makes an image: its content (a symlink: its target) and its mode bits, as COPY keeps them. */
export interface FileDigest {
  /** SHA-256 of the content, hex. */
  sha256: string;
  mode: number;
  link?: true;
}

/** Digests of this process, by path, valid while the file's stat says it is the same file. */
const known = new Map<string, { stat: string; digest: FileDigest }>();
let buffer: Buffer | undefined;

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
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  const digest: FileDigest = { sha256: hash.digest('hex'), mode: st.mode & 0o7777, ...(st.isSymbolicLink() ? { link: true as const } : {}) };
  known.set(path, { stat, digest });
  return digest;
}

/** What a path in the image is, from the engine's archive stat (Go's os.FileMode bits). */
export type PathKind = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'device' | 'other';

/** The `X-Docker-Container-Path-Stat` header, decoded. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  /** For a symlink: its target, resolved by the engine to an absolute path in the container. */
  linkTarget: string;
}

// Go's io/fs.FileMode type bits. The mode can exceed 2^31, so bits are tested arithmetically, not with `&`.
const MODE_DIR = 31;
const MODE_SYMLINK = 27;
const MODE_DEVICE = 26;
const MODE_NAMED_PIPE = 25;
const MODE_SOCKET = 24;
const MODE_CHAR_DEVICE = 21;
const MODE_IRREGULAR = 19;

const bit = (mode: number, n: number) => Math.floor(mode / 2 ** n) % 2 === 1;

export function kindOfMode(mode: number): PathKind {
  if (bit(mode, MODE_DIR)) return 'directory';
  if (bit(mode, MODE_SYMLINK)) return 'symlink';
  if (bit(mode, MODE_NAMED_PIPE)) return 'fifo';
  if (bit(mode, MODE_SOCKET)) return 'socket';
  if (bit(mode, MODE_DEVICE) || bit(mode, MODE_CHAR_DEVICE)) return 'device';
  if (bit(mode, MODE_IRREGULAR)) return 'other';
  return 'file';
}

export function parsePathStatHeader(header: string | string[] | undefined): PathStat {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new Error('the engine sent no path stat (X-Docker-Container-Path-Stat header)');
  const stat = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Partial<PathStat>;
  if (typeof stat.mode !== 'number') throw new Error(`the engine sent a path stat without a mode: ${JSON.stringify(stat)}`);
  return { name: stat.name ?? '', size: stat.size ?? 0, mode: stat.mode, linkTarget: stat.linkTarget ?? '' };
}

/** What was found at a path, symlinks followed; `via` lists the links passed through. */
export type PathFinding =
  { found: true; kind: Exclude<PathKind, 'symlink'>; via: string[] } | { found: false; via: string[]; loop?: boolean };

/** Linux gives up after 40 links (ELOOP); so does this. */
const MAX_LINKS = 40;

/**
 * Resolves a path the way `test -e/-f/-d` does: following symlinks to what they point at.
 * `stat` returns undefined for a path that does not exist.
 */
export async function findPath(path: string, stat: (path: string) => Promise<PathStat | undefined>): Promise<PathFinding> {
  const via: string[] = [];
  let current = path;
  for (let i = 0; i <= MAX_LINKS; i++) {
    const s = await stat(current);
    if (!s) return { found: false, via };
    const kind = kindOfMode(s.mode);
    if (kind !== 'symlink') return { found: true, kind, via };
    if (!s.linkTarget) return { found: false, via };
    via.push(s.linkTarget);
    current = s.linkTarget;
  }
  return { found: false, via, loop: true };
}

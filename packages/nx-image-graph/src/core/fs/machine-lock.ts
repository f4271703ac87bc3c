import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';

export interface MachineLockOptions {
  /** How often a waiter looks again. */
  pollMs?: number;
  /** A lock whose holder stopped refreshing it this long ago is taken over (its process is gone or stuck). */
  staleMs?: number;
  /** Said once when the lock is held by another process, with its pid. */
  onWait?: (holderPid: number | undefined) => void;
}

/**
 * Runs `fn` while holding a lock file shared by every process of this machine (the task processes of
 * one Nx run, or of two runs). The holder writes its pid and refreshes the file's time while it runs;
 * a lock whose pid is gone, or that nobody refreshed for `staleMs`, is taken over, so a killed holder
 * never blocks the next run.
 */
export async function withMachineLock<T>(path: string, fn: () => Promise<T>, opts: MachineLockOptions = {}): Promise<T> {
  const pollMs = opts.pollMs ?? 100;
  const staleMs = opts.staleMs ?? 60_000;
  let told = false;
  for (;;) {
    if (tryCreate(path)) break;
    const holder = readHolder(path);
    if (holder.stale(staleMs)) {
      removeQuietly(path);
      continue;
    }
    if (!told) opts.onWait?.(holder.pid);
    told = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const refresh = setInterval(() => touchQuietly(path), Math.max(1000, staleMs / 4));
  refresh.unref();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    removeQuietly(path);
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readHolder(path: string): { pid?: number; stale: (ms: number) => boolean } {
  let pid: number | undefined;
  let mtime = Date.now();
  try {
    pid = Number(readFileSync(path, 'utf8')) || undefined;
    mtime = statSync(path).mtimeMs;
  } catch {
    // Released between our attempt and this read: not stale, the next attempt takes it.
    return { stale: () => false };
  }
  return { pid, stale: (ms) => (pid !== undefined && !alive(pid)) || Date.now() - mtime > ms };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function touchQuietly(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Taken over as stale (a stuck holder): nothing to refresh.
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already removed.
  }
}

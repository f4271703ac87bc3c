import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withMachineLock } from './machine-lock';

describe('withMachineLock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'machine-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs one holder at a time and releases the file after', async () => {
    const path = join(dir, 'x.lock');
    const order: string[] = [];
    const job = (name: string, ms: number) =>
      withMachineLock(
        path,
        async () => {
          order.push(`${name} start`);
          await new Promise((r) => setTimeout(r, ms));
          order.push(`${name} end`);
        },
        { pollMs: 5 },
      );
    await Promise.all([job('a', 40), job('b', 10), job('c', 10)]);
    // No start between another's start and end.
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('start', 'end'));
    expect(existsSync(path)).toBe(false);
  });

  it('releases the lock when the work fails', async () => {
    const path = join(dir, 'x.lock');
    await expect(withMachineLock(path, async () => Promise.reject(new Error('push failed')))).rejects.toThrow('push failed');
    expect(existsSync(path)).toBe(false);
  });

  it('says once who holds it, and takes over a lock whose process is gone', async () => {
    const path = join(dir, 'x.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    writeFileSync(path, String(child.pid));
    const waits: (number | undefined)[] = [];
    await expect(withMachineLock(path, async () => 'ran', { onWait: (pid) => waits.push(pid) })).resolves.toBe('ran');
    expect(waits).toEqual([]);
  });

  it('waits for a live holder, then takes a lock nobody refreshed for the stale time', async () => {
    const path = join(dir, 'x.lock');
    // A live process (this one's parent) that never releases: only staleness frees the lock.
    writeFileSync(path, String(process.ppid));
    const old = new Date(Date.now() - 500);
    utimesSync(path, old, old);
    const waits: (number | undefined)[] = [];
    await withMachineLock(path, async () => undefined, { pollMs: 10, staleMs: 800, onWait: (pid) => waits.push(pid) });
    expect(waits).toEqual([process.ppid]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitDirs } from './git-dir';
import { NeedsGit } from './git-config';

/**
 * `git rev-parse HEAD` read from the files: HEAD, then the loose ref or packed-refs. Undefined for
 * an unborn branch (as git fails there); NeedsGit for what only git can answer (reftable, a symref chain).
 */
export function readHead(dirs: GitDirs): string | undefined {
  const head = readFileSync(join(dirs.gitDir, 'HEAD'), 'utf8').trim();
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return head;
  const m = /^ref:\s*(refs\/\S+)$/.exec(head);
  if (!m || existsSync(join(dirs.commonDir, 'reftable'))) throw new NeedsGit('HEAD');
  const ref = m[1];
  // Per-worktree refs live in the worktree's own directory; branches in the common one.
  for (const dir of [dirs.gitDir, dirs.commonDir]) {
    const loose = join(dir, ref);
    if (existsSync(loose)) {
      const sha = readFileSync(loose, 'utf8').trim();
      if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
      throw new NeedsGit(ref);
    }
  }
  const packed = join(dirs.commonDir, 'packed-refs');
  if (existsSync(packed)) {
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
    }
  }
  return undefined;
}

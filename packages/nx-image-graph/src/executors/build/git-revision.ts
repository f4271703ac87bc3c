import { execFileSync } from 'node:child_process';

/** The workspace's git commit, for tags ({git.sha}) and the OCI revision label; undefined outside git. */
export function gitRevision(cwd: string): { sha: string; shortSha: string; committedAt: string; source?: string } | undefined {
  try {
    // One call for both: the commit and its time (the image's `created` label, so a rebuild of the same commit gives the same image).
    const [sha, committedAt] = execFileSync('git', ['log', '-1', '--format=%H %cI'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(' ');
    if (!sha) return undefined;
    let source: string | undefined;
    try {
      source = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      source = undefined;
    }
    // Never put credentials embedded in a remote URL into an image label.
    if (source) source = source.replace(/\/\/[^@/]+@/, '//');
    return { sha, shortSha: sha.slice(0, 12), committedAt, source };
  } catch {
    return undefined;
  }
}

import { execFileSync } from 'node:child_process';

/** The workspace's git commit, for tags ({git.sha}) and the OCI revision label; undefined outside git. */
export function gitRevision(cwd: string): { sha: string; shortSha: string; source?: string } | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    let source: string | undefined;
    try {
      source = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      source = undefined;
    }
    // Never put credentials embedded in a remote URL into an image label.
    if (source) source = source.replace(/\/\/[^@/]+@/, '//');
    return { sha, shortSha: sha.slice(0, 12), source };
  } catch {
    return undefined;
  }
}

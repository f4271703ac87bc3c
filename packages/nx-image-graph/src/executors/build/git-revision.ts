import { execFileSync } from 'node:child_process';

/** The workspace's git commit, for the {git.sha} and {git.shortSha} tags; undefined outside git. */
export function gitRevision(cwd: string): { sha: string; shortSha: string } | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return sha ? { sha, shortSha: sha.slice(0, 12) } : undefined;
  } catch {
    return undefined;
  }
}

import { execFileSync } from 'node:child_process';
import { NeedsGit } from '../../core/git/git-config';
import { findGitDirs } from '../../core/git/git-dir';
import { readHead } from '../../core/git/git-head';

/** The workspace's git commit, for the {git.sha} and {git.shortSha} tags; undefined outside git. */
export function gitRevision(cwd: string): { sha: string; shortSha: string } | undefined {
  try {
    // Read from .git when it says plainly (no git process on a build's path); git otherwise.
    const dirs = findGitDirs(cwd);
    if (dirs) {
      try {
        const sha = readHead(dirs);
        return sha ? { sha, shortSha: sha.slice(0, 12) } : undefined;
      } catch (e) {
        if (!(e instanceof NeedsGit)) throw e;
      }
    }
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return sha ? { sha, shortSha: sha.slice(0, 12) } : undefined;
  } catch {
    return undefined;
  }
}

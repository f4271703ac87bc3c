import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Where a checkout keeps its git data: its own git directory (HEAD) and the common one (config, refs). */
export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

/**
 * The git directory git itself would use from `cwd` (walking up; a `.git` file of a worktree or
 * submodule followed), or undefined when the answer needs git: GIT_DIR and friends set, or no repository.
 * Read from files so that a build does not start a git process for what two small files say.
 */
export function findGitDirs(cwd: string, env: NodeJS.ProcessEnv = process.env): GitDirs | undefined {
  if (
    env.GIT_DIR ||
    env.GIT_COMMON_DIR ||
    env.GIT_CONFIG ||
    env.GIT_CONFIG_GLOBAL ||
    env.GIT_CONFIG_SYSTEM ||
    env.GIT_CONFIG_COUNT ||
    env.GIT_CONFIG_PARAMETERS
  )
    return undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      let gitDir = dotGit;
      if (statSync(dotGit).isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (!m) return undefined;
        gitDir = isAbsolute(m[1]) ? m[1] : resolve(dir, m[1]);
      }
      const common = join(gitDir, 'commondir');
      const commonDir = existsSync(common) ? resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
      return existsSync(join(gitDir, 'HEAD')) ? { gitDir, commonDir } : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

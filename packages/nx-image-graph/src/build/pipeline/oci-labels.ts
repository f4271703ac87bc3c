import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import { NeedsGit, readGitConfigValue } from '../../core/git/git-config';
import { findGitDirs } from '../../core/git/git-dir';

/** The paths whose history dates a build: its Dockerfile, what it reads of its context, its extra inputs. */
export interface LabelInputs {
  title: string;
  dockerfile: string;
  context: string;
  /** Context-relative paths the Dockerfile reads; undefined: the whole context. */
  sources?: string[];
  /** The manifest's extra inputs, as Nx globs (`{workspaceRoot}/...`, `!` to exclude). */
  extraInputs?: string[];
  /** The revision labels of the images it is built on (their builds' records): the revision must hold theirs too. */
  parentRevisions?: string[];
}

/** `created` when no commit dates the inputs: a fixed time, so the same inputs still give the same image. */
export const UNDATED = '1970-01-01T00:00:00Z';

/**
 * The OCI labels, derived from the build's inputs and nothing else, so the same inputs give the same
 * image id whatever the clone URL, an unrelated commit or an nx.json edit:
 * - `source`: the remote, normalized (`https://host/path`, no credentials, no `.git`; ssh and https
 *   forms equal); omitted without a remote or for a local path.
 * - `revision`, `created`: a commit at which checking out and building gives this image, parents
 *   included: the newest of the commit that last changed one of the build's own inputs and its
 *   parents' revisions (each the same for its own chain), and its time. When those commits are not on
 *   one line of history (a merge), the checkout's HEAD, which holds them all. Uncommitted changes to
 *   the inputs, or a dirty parent, add `-dirty`. Inputs never committed, or no git: no revision, and
 *   `created` is 1970-01-01T00:00:00Z.
 */
export function ociLabels(workspaceRoot: string, inputs: LabelInputs): Record<string, string> {
  const labels: Record<string, string> = { 'org.opencontainers.image.title': inputs.title };
  const specs = pathspecs(inputs);
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let sha: string | undefined;
  let committedAt: string | undefined;
  let dirty = false;
  let remote: string | undefined;
  try {
    [sha, committedAt] = git(['log', '-1', '--format=%H %cI', '--', ...specs]).split(' ');
    // Dirty matters only with a revision to mark: inputs never committed need no status.
    dirty = sha ? git(['status', '--porcelain', '--untracked-files=all', '--', ...specs]) !== '' : false;
    const parents = (inputs.parentRevisions ?? []).filter(Boolean);
    if (parents.length) {
      const chain = newestCommit([...(sha ? [sha] : []), ...parents.map((r) => r.replace(/-dirty$/, ''))], git);
      if (chain && chain !== sha) [sha, committedAt] = git(['log', '-1', '--format=%H %cI', chain]).split(' ');
      if (parents.some((r) => r.endsWith('-dirty'))) dirty = true;
    }
    remote = originUrl(workspaceRoot, git);
  } catch {
    // Not a git checkout, or no remote: the labels say only what is known.
  }
  labels['org.opencontainers.image.created'] = sha && committedAt ? new Date(committedAt).toISOString().replace(/\.000Z$/, 'Z') : UNDATED;
  if (sha) labels['org.opencontainers.image.revision'] = dirty ? `${sha}-dirty` : sha;
  const source = remote ? normalizeSource(remote) : undefined;
  if (source) labels['org.opencontainers.image.source'] = source;
  return labels;
}

/**
 * Of commits, the one that holds all the others (a descendant of each): the newest on one line of
 * history. None holds them all (branches merged since): HEAD, which does. A commit this clone lacks
 * (a shallow clone): the others are compared without it.
 */
export function newestCommit(commits: string[], git: (args: string[]) => string): string | undefined {
  const known = [...new Set(commits)].filter((c) => {
    try {
      git(['cat-file', '-e', `${c}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  });
  const holds = (a: string, b: string) => {
    try {
      git(['merge-base', '--is-ancestor', b, a]);
      return true;
    } catch {
      return false;
    }
  };
  if (known.length <= 1) return known[0];
  return known.find((c) => known.every((o) => o === c || holds(c, o))) ?? git(['rev-parse', 'HEAD']);
}

/** `git config --get remote.origin.url`, read from the config files; git itself only for what they do not say plainly. */
function originUrl(workspaceRoot: string, git: (args: string[]) => string): string | undefined {
  const dirs = findGitDirs(workspaceRoot);
  try {
    if (dirs) return readGitConfigValue(dirs, 'remote', 'origin', 'url')?.trim() || undefined;
  } catch (e) {
    if (!(e instanceof NeedsGit)) throw e;
  }
  return git(['config', '--get', 'remote.origin.url']) || undefined;
}

/** Git pathspecs (from the workspace root) for the build's inputs. */
export function pathspecs(inputs: LabelInputs): string[] {
  const inContext = (p: string) => posix.normalize(posix.join(inputs.context, p.replace(/^\/+/, '')));
  const specs = [`:(literal)${inputs.dockerfile}`];
  if (!inputs.sources) specs.push(`:(literal)${inputs.context}`);
  else {
    specs.push(`:(literal)${posix.join(inputs.context, '.dockerignore')}`);
    for (const s of inputs.sources) specs.push(`:(glob)${inContext(s)}`, `:(glob)${inContext(s)}/**`);
  }
  for (const g of inputs.extraInputs ?? []) {
    const negated = g.startsWith('!');
    const path = g.replace(/^!/, '').replace(/^\{workspaceRoot\}\//, '');
    specs.push(negated ? `:(exclude,glob)${path}` : `:(glob)${path}`);
  }
  return specs;
}

/** `git@host:org/repo.git`, `ssh://git@host:22/org/repo`, `https://user:token@host/org/repo.git` all give `https://host/org/repo`. */
export function normalizeSource(remote: string): string | undefined {
  const url = remote.trim();
  let host: string | undefined;
  let path: string | undefined;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(url);
  if (withScheme && ['http', 'https', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(withScheme[1].toLowerCase()))
    [host, path] = [withScheme[2], withScheme[3]];
  else if (scp && !url.includes('://')) [host, path] = [scp[1], scp[2]];
  if (!host || !path) return undefined; // a local path or file:// says nothing another machine could use
  return `https://${host.toLowerCase()}/${path.replace(/\/+$/, '').replace(/\.git$/, '')}`;
}

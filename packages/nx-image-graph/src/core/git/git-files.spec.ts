import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempTree } from '../fs/test-support/temp-tree';
import { NeedsGit, readGitConfigValue } from './git-config';
import { findGitDirs } from './git-dir';
import { readHead } from './git-head';

// Each answer read from the files must be git's own answer: every case asks git too.
describe('reading .git instead of starting git', () => {
  const home = mkdtempSync(join(tmpdir(), 'git-home-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' };
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  const gitOrUndefined = (dir: string, ...args: string[]) => {
    try {
      return git(dir, ...args) || undefined;
    } catch {
      return undefined;
    }
  };
  let dir: string;
  beforeEach(() => {
    dir = tempTree({ 'ws/a.txt': 'a' });
    git(dir, 'init', '-q', '-b', 'main');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const configValue = (cwd: string) => readGitConfigValue(findGitDirs(cwd, env)!, 'remote', 'origin', 'url', env);

  it.each([
    ['no remote', ''],
    ['a plain remote', '[remote "origin"]\n\turl = git@example.com:acme/images.git\n'],
    ['quoted, with a comment', '[remote "origin"]\n  url = "https://example.com/a b.git" # the remote\n'],
    ['two values, the last wins', '[remote "origin"]\nurl = https://one.example/x\nurl = https://two.example/y\n'],
    ['another remote only', '[remote "upstream"]\nurl = https://example.com/up\n'],
    ['a subsection differing in case', '[remote "Origin"]\nurl = https://example.com/upper\n'],
    ['the old dotted form', '[remote.origin]\nurl = https://example.com/dotted\n'],
    ['keys without case', '[Remote "origin"]\nURL = https://example.com/caps\n'],
  ])('remote.origin.url: %s', (_name, config) => {
    appendFileSync(join(dir, '.git', 'config'), config);
    expect(configValue(join(dir, 'ws'))).toBe(gitOrUndefined(join(dir, 'ws'), 'config', '--get', 'remote.origin.url'));
  });

  it('asks git when the config includes another file', () => {
    appendFileSync(join(dir, '.git', 'config'), '[include]\n\tpath = other\n');
    expect(() => configValue(dir)).toThrow(NeedsGit);
  });

  it('HEAD: unborn, loose, packed, detached, and in a linked worktree', () => {
    expect(readHead(findGitDirs(dir, env)!)).toBeUndefined();
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'one');
    expect(readHead(findGitDirs(join(dir, 'ws'), env)!)).toBe(git(dir, 'rev-parse', 'HEAD'));
    git(dir, 'pack-refs', '--all');
    expect(readHead(findGitDirs(dir, env)!)).toBe(git(dir, 'rev-parse', 'HEAD'));
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(readHead(findGitDirs(dir, env)!)).toBe(git(dir, 'rev-parse', 'HEAD'));
    const wt = join(dir, 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'side', wt, 'main');
    appendFileSync(join(dir, '.git', 'config'), '[remote "origin"]\nurl = https://example.com/wt\n');
    expect(readHead(findGitDirs(wt, env)!)).toBe(git(wt, 'rev-parse', 'HEAD'));
    expect(configValue(wt)).toBe('https://example.com/wt');
  });

  it('finds no repository outside git, and leaves GIT_DIR to git', () => {
    const plain = tempTree({ 'x.txt': 'x' });
    try {
      expect(findGitDirs(plain, env)).toBeUndefined();
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    expect(findGitDirs(dir, { ...env, GIT_DIR: join(dir, '.git') })).toBeUndefined();
  });
});

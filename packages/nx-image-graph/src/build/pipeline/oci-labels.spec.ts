import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeSource, ociLabels, UNDATED } from './oci-labels';

describe('normalizeSource: one form for every way of writing a remote', () => {
  it.each([
    ['git@github.com:acme/images.git', 'https://github.com/acme/images'],
    ['ssh://git@github.com:22/acme/images.git', 'https://github.com/acme/images'],
    ['https://github.com/acme/images.git', 'https://github.com/acme/images'],
    ['https://user:s3cret@GitHub.com/acme/images', 'https://github.com/acme/images'],
    ['http://git.example.com/team/images/', 'https://git.example.com/team/images'],
  ])('%s -> %s', (remote, expected) => expect(normalizeSource(remote)).toBe(expected));

  it.each(['/srv/git/images.git', 'file:///srv/git/images.git', '../images'])('omits a local path: %s', (remote) =>
    expect(normalizeSource(remote)).toBeUndefined(),
  );
});

describe("ociLabels: dated by the build's own inputs", () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z', GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z' },
    }).trim();
  let dir: string;
  beforeEach(() => {
    dir = tempTree({ 'img/Dockerfile': 'FROM busybox\nCOPY app.txt /\n', 'img/app.txt': 'v1', 'other/file.txt': 'x' });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'first');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const labels = () => ociLabels(dir, { title: 'img', dockerfile: 'img/Dockerfile', context: 'img', sources: ['app.txt'] });

  it('does not move with an unrelated commit or the remote URL form', () => {
    const first = labels();
    writeFileSync(join(dir, 'other/file.txt'), 'y');
    git(dir, 'commit', '-qam', 'unrelated');
    git(dir, 'remote', 'add', 'origin', 'git@example.com:acme/images.git');
    const ssh = labels();
    git(dir, 'remote', 'set-url', 'origin', 'https://example.com/acme/images.git');
    const https = labels();
    expect(ssh).toEqual(https);
    expect({ ...ssh, 'org.opencontainers.image.source': undefined }).toEqual({ ...first, 'org.opencontainers.image.source': undefined });
    expect(first['org.opencontainers.image.created']).toBe('2026-01-02T03:04:05Z');
    expect(first['org.opencontainers.image.revision']).toBe(git(dir, 'rev-list', '--max-parents=0', 'HEAD'));
  });

  it('moves with a commit to an input, and marks uncommitted input changes as dirty', () => {
    const before = labels()['org.opencontainers.image.revision'];
    writeFileSync(join(dir, 'img/app.txt'), 'v2');
    expect(labels()['org.opencontainers.image.revision']).toBe(`${before}-dirty`);
    git(dir, 'commit', '-qam', 'app v2');
    expect(labels()['org.opencontainers.image.revision']).toBe(git(dir, 'rev-parse', 'HEAD'));
  });

  it('holds the parent: after a parent changed, the rebuilt child names a commit with that change, not its own older one', () => {
    const own = labels()['org.opencontainers.image.revision'];
    writeFileSync(join(dir, 'other/file.txt'), 'the parent changed');
    git(dir, 'commit', '-qam', 'parent v2');
    const parentRev = git(dir, 'rev-parse', 'HEAD');
    const withParent = (revs: string[]) =>
      ociLabels(dir, { title: 'img', dockerfile: 'img/Dockerfile', context: 'img', sources: ['app.txt'], parentRevisions: revs });
    expect(withParent([parentRev])['org.opencontainers.image.revision']).toBe(parentRev);
    // Unrelated commits after both move nothing; an older parent revision does not replace the child's own.
    writeFileSync(join(dir, 'unrelated.txt'), 'u');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'unrelated');
    expect(withParent([parentRev])['org.opencontainers.image.revision']).toBe(parentRev);
    writeFileSync(join(dir, 'img/app.txt'), 'v3');
    git(dir, 'commit', '-qam', 'child v3');
    expect(withParent([own])['org.opencontainers.image.revision']).toBe(git(dir, 'rev-parse', 'HEAD'));
    // A parent built from uncommitted changes makes the child dirty too.
    expect(withParent([`${parentRev}-dirty`])['org.opencontainers.image.revision']).toBe(`${git(dir, 'rev-parse', 'HEAD')}-dirty`);
  });

  it('is undated outside git', () => {
    const plain = tempTree({ 'img/Dockerfile': 'FROM busybox\n' });
    try {
      expect(ociLabels(plain, { title: 'img', dockerfile: 'img/Dockerfile', context: 'img' })).toEqual({
        'org.opencontainers.image.title': 'img',
        'org.opencontainers.image.created': UNDATED,
      });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

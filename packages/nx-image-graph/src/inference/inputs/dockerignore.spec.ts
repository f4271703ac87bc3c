import * as fs from 'node:fs';
import * as path from 'node:path';
import { createIgnoreMatcher, mayMatchBelow, parseDockerignore, readDockerignore } from './dockerignore';
import { tempTree } from '../../core/fs/test-support/temp-tree';

describe('readDockerignore', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns no patterns and no file when the context has no .dockerignore', () => {
    dir = tempTree({ Dockerfile: 'FROM scratch\n' });

    expect(readDockerignore(dir)).toEqual({ patterns: [] });
  });

  it('reads <context>/.dockerignore, dropping comments and blank lines and normalising like Docker', () => {
    dir = tempTree({
      '.dockerignore': [
        '# secrets',
        '.env',
        '',
        '   ',
        '/dist/',
        './tmp/../cache',
        '  node_modules  ',
        '! node_modules/keep',
        '  # an indented # is a pattern, not a comment',
      ].join('\n'),
    });

    expect(readDockerignore(dir)).toEqual({
      file: path.join(dir, '.dockerignore'),
      patterns: ['.env', 'dist', 'cache', 'node_modules', '!node_modules/keep', '# an indented # is a pattern, not a comment'],
    });
  });

  it('prefers <Dockerfile>.dockerignore next to the Dockerfile (BuildKit)', () => {
    dir = tempTree({
      '.dockerignore': 'generic\n',
      'Dockerfile.dockerignore': 'for-dockerfile\n',
      'docker/app.Dockerfile.dockerignore': 'for-app\n',
    });

    expect(readDockerignore(dir, 'Dockerfile').patterns).toEqual(['for-dockerfile']);
    expect(readDockerignore(dir, path.join(dir, 'docker/app.Dockerfile'))).toEqual({
      file: path.join(dir, 'docker/app.Dockerfile.dockerignore'),
      patterns: ['for-app'],
    });
  });

  it('falls back to <context>/.dockerignore when the Dockerfile has no ignore file of its own', () => {
    dir = tempTree({ '.dockerignore': 'generic\n' });

    expect(readDockerignore(dir, 'build/Dockerfile').patterns).toEqual(['generic']);
  });
});

describe('parseDockerignore', () => {
  it('handles CRLF line endings and a UTF-8 byte order mark', () => {
    expect(parseDockerignore('\uFEFF.env\r\n# comment\r\nlogs/\r\n')).toEqual(['.env', 'logs']);
  });
});

describe('createIgnoreMatcher', () => {
  it('anchors patterns at the context root, unlike .gitignore', () => {
    const ignored = createIgnoreMatcher(['*.log']);

    expect(ignored('debug.log')).toBe(true);
    expect(ignored('logs/debug.log')).toBe(false);
  });

  it('matches at any depth with **', () => {
    const ignored = createIgnoreMatcher(['**/*.log']);

    expect(ignored('debug.log')).toBe(true);
    expect(ignored('a/b/debug.log')).toBe(true);
  });

  it('ignores everything below a directory a pattern matches', () => {
    const ignored = createIgnoreMatcher(['node_modules']);

    expect(ignored('node_modules')).toBe(true);
    expect(ignored('node_modules/left-pad/index.js')).toBe(true);
    expect(ignored('src/node_modules.ts')).toBe(false);
  });

  it('re-includes with ! exceptions, the last matching pattern winning', () => {
    const ignored = createIgnoreMatcher(['node_modules', '!node_modules/keep']);
    expect(ignored('node_modules/keep')).toBe(false);
    expect(ignored('node_modules/keep/inner.js')).toBe(false);
    expect(ignored('node_modules/other.js')).toBe(true);

    const reIgnored = createIgnoreMatcher(['!keep.txt', '*.txt']);
    expect(reIgnored('keep.txt')).toBe(true);
  });

  it('is case-sensitive, as Docker is (the library alone is not)', () => {
    const ignored = createIgnoreMatcher(['.env']);

    expect(ignored('.env')).toBe(true);
    expect(ignored('.ENV')).toBe(false);
  });

  it('reads ? as one character and never crosses / with * or ?', () => {
    const ignored = createIgnoreMatcher(['file?.txt', 'a*b']);

    expect(ignored('file1.txt')).toBe(true);
    expect(ignored('file12.txt')).toBe(false);
    expect(ignored('a/b')).toBe(false);
    expect(ignored('axxb')).toBe(true);
  });

  it('takes + ( ) { } | literally, as Docker does', () => {
    const ignored = createIgnoreMatcher(['c++', 'file(1', '{a,b}.txt', 'x|y']);

    expect(ignored('c++')).toBe(true);
    expect(ignored('cc')).toBe(false);
    expect(ignored('file(1')).toBe(true);
    expect(ignored('{a,b}.txt')).toBe(true);
    expect(ignored('a.txt')).toBe(false);
    expect(ignored('x|y')).toBe(true);
    expect(ignored('x')).toBe(false);
  });

  it('reads **<text> as "any path ending in <text>", as current Docker does', () => {
    const ignored = createIgnoreMatcher(['**.pem']);

    expect(ignored('key.pem')).toBe(true);
    expect(ignored('certs/server/key.pem')).toBe(true);
    expect(ignored('key.pem.txt')).toBe(false);
  });

  it('takes a pattern that starts with # (an indented # line) literally', () => {
    const ignored = createIgnoreMatcher(parseDockerignore('  #notes\n'));

    expect(ignored('#notes')).toBe(true);
  });

  it('never ignores the context root itself', () => {
    const ignored = createIgnoreMatcher(['*', '**']);

    expect(ignored('.')).toBe(false);
    expect(ignored('')).toBe(false);
    expect(ignored('anything')).toBe(true);
  });

  it('accepts paths with a leading ./', () => {
    expect(createIgnoreMatcher(['.env'])('./.env')).toBe(true);
  });

  it('rejects patterns Docker rejects, naming them', () => {
    expect(() => createIgnoreMatcher(['!'])).toThrow('"!"');
    expect(() => createIgnoreMatcher(['ok', 'bad[class'])).toThrow('"bad[class"');
  });
});

describe('mayMatchBelow', () => {
  it('is false only when a segment of the pattern cannot match the directory', () => {
    expect(mayMatchBelow('!node_modules/keep', 'node_modules')).toBe(true);
    expect(mayMatchBelow('!node_modules/keep', 'dist')).toBe(false);
    expect(mayMatchBelow('!src', 'node_modules')).toBe(false);
    expect(mayMatchBelow('!src/*.ts', 'src')).toBe(true);
    expect(mayMatchBelow('!*/keep', 'node_modules/a')).toBe(false);
    expect(mayMatchBelow('!*/keep/x', 'node_modules/keep')).toBe(true);
  });

  it('is true when the pattern matches the directory or one of its parents', () => {
    expect(mayMatchBelow('!a', 'a/b')).toBe(true);
    expect(mayMatchBelow('!a*', 'abc')).toBe(true);
  });

  it('is conservatively true for **, character classes and escapes', () => {
    expect(mayMatchBelow('!**/keep', 'node_modules')).toBe(true);
    expect(mayMatchBelow('![n]ode_modules/keep', 'dist')).toBe(true);
    expect(mayMatchBelow('!\\dist/keep', 'node_modules')).toBe(true);
  });
});

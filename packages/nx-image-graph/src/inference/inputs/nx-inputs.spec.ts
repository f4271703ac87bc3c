import { createIgnoreMatcher } from './dockerignore';
import { contextInputs } from './nx-inputs';

// Nx's own glob engine, the one its task hasher uses for `{workspaceRoot}` filesets.
// (Required, not imported: the `nx/src/native` export is not visible to `moduleResolution: node`.)
const { matchGlobPaths } = require('nx/src/native') as {
  matchGlobPaths(globs: string[], paths: string[]): boolean[];
};

/** The workspace paths Nx would hash for these inputs. */
function hashedBy(inputs: string[], paths: string[]): string[] {
  const globs = inputs.map((input) => input.replace('{workspaceRoot}/', ''));
  const matched = matchGlobPaths(globs, paths);
  return paths.filter((_, i) => matched[i]);
}

describe('contextInputs', () => {
  it('hashes the whole context when nothing is ignored', () => {
    expect(contextInputs('apps/api', [])).toEqual(['{workspaceRoot}/apps/api/**/*']);
  });

  it('writes no ./ for a context at the workspace root', () => {
    expect(contextInputs('.', ['.env'])).toEqual(['{workspaceRoot}/**/*', '!{workspaceRoot}/.env', '!{workspaceRoot}/.env/**']);
  });

  it('excludes what a pattern names and, should it be a directory, everything below it', () => {
    expect(contextInputs('apps/api', ['node_modules', 'docs/**'])).toEqual([
      '{workspaceRoot}/apps/api/**/*',
      '!{workspaceRoot}/apps/api/node_modules',
      '!{workspaceRoot}/apps/api/node_modules/**',
      '!{workspaceRoot}/apps/api/docs/**',
    ]);
  });

  it('drops only the patterns a later ! exception can reach, since the last matching pattern wins', () => {
    const patterns = ['node_modules', '!node_modules/keep', 'dist', '*.md', '!README.md', '**/*.pyc'];

    // `dist` stays excluded: neither exception can match anything under it.
    expect(contextInputs('api', patterns)).toEqual([
      '{workspaceRoot}/api/**/*',
      '!{workspaceRoot}/api/dist',
      '!{workspaceRoot}/api/dist/**',
      '!{workspaceRoot}/api/**/*.pyc',
      '!{workspaceRoot}/api/**/*.pyc/**',
    ]);
  });

  it('keeps every exclude an unrelated ! exception cannot re-include (one ! line no longer drops them all)', () => {
    expect(contextInputs('api', ['node_modules', '.git', '*.log', '!src/keep.txt'])).toEqual([
      '{workspaceRoot}/api/**/*',
      '!{workspaceRoot}/api/node_modules',
      '!{workspaceRoot}/api/node_modules/**',
      '!{workspaceRoot}/api/.git',
      '!{workspaceRoot}/api/.git/**',
      '!{workspaceRoot}/api/*.log',
      '!{workspaceRoot}/api/*.log/**',
    ]);
    // A wildcard that can meet the exception, a parent of it, or ** keeps the exclude out.
    expect(contextInputs('api', ['*.txt', 'src', 'lib/**', '!src/keep.txt'])).toEqual([
      '{workspaceRoot}/api/**/*',
      '!{workspaceRoot}/api/*.txt',
      '!{workspaceRoot}/api/*.txt/**',
    ]);
  });

  it('hashes only the exceptions of an allowlist-style .dockerignore (`*` then `!...`)', () => {
    expect(contextInputs('api', ['*', '!src', '!package.json', 'src/**/*.test.ts'])).toEqual([
      '{workspaceRoot}/api/src',
      '{workspaceRoot}/api/src/**/*',
      '{workspaceRoot}/api/package.json',
      '{workspaceRoot}/api/package.json/**/*',
      '!{workspaceRoot}/api/src/**/*.test.ts',
      '!{workspaceRoot}/api/src/**/*.test.ts/**',
    ]);
  });

  it('hashes nothing when everything is ignored', () => {
    expect(contextInputs('api', ['**'])).toEqual([]);
  });

  it('skips patterns that Nx would read differently from Docker', () => {
    const patterns = ['{a,b}.txt', '[abc].txt', '**.pem', 'a\\*b', 'x(1)', 'logs**', 'c++'];

    expect(contextInputs('api', patterns)).toEqual(['{workspaceRoot}/api/**/*', '!{workspaceRoot}/api/c++', '!{workspaceRoot}/api/c++/**']);
  });

  it('never excludes the `always` files Docker sends even when ignored', () => {
    const inputs = contextInputs('api', ['Dockerfile', '.dockerignore', '*.md'], 'whole-context', {
      always: ['Dockerfile', '.dockerignore'],
    });

    expect(inputs).toEqual(['{workspaceRoot}/api/**/*', '!{workspaceRoot}/api/*.md', '!{workspaceRoot}/api/*.md/**']);
  });

  describe('with the source paths of COPY/ADD', () => {
    it('hashes each source and what is below it, minus the ignored files', () => {
      const inputs = contextInputs('svc', ['**/__pycache__'], {
        paths: ['src/', 'requirements.txt', 'app/*.py', '/etc/config.yml'],
      });

      expect(inputs).toEqual([
        '{workspaceRoot}/svc/src',
        '{workspaceRoot}/svc/src/**/*',
        '{workspaceRoot}/svc/requirements.txt',
        '{workspaceRoot}/svc/requirements.txt/**/*',
        '{workspaceRoot}/svc/app/*.py',
        '{workspaceRoot}/svc/app/*.py/**/*',
        '{workspaceRoot}/svc/etc/config.yml',
        '{workspaceRoot}/svc/etc/config.yml/**/*',
        '!{workspaceRoot}/svc/**/__pycache__',
        '!{workspaceRoot}/svc/**/__pycache__/**',
      ]);
    });

    it('hashes the whole context for a `.` source', () => {
      expect(contextInputs('svc', [], { paths: ['src/', '.'] })).toEqual(['{workspaceRoot}/svc/**/*']);
      expect(contextInputs('svc', [], { paths: ['./'] })).toEqual(['{workspaceRoot}/svc/**/*']);
    });

    it('widens a source Nx would read differently to its literal directories, or the whole context', () => {
      expect(contextInputs('svc', [], { paths: ['app/{a,b}.py'] })).toEqual(['{workspaceRoot}/svc/app', '{workspaceRoot}/svc/app/**/*']);
      expect(contextInputs('svc', [], { paths: ['[ab]/x'] })).toEqual(['{workspaceRoot}/svc/**/*']);
      expect(contextInputs('svc', [], { paths: ['../elsewhere'] })).toEqual(['{workspaceRoot}/svc/**/*']);
    });
  });

  it('escapes glob characters in the context directory', () => {
    expect(contextInputs('apps/[legacy]', [])).toEqual(['{workspaceRoot}/apps/\\[legacy\\]/**/*']);
  });

  it('refuses a context outside the workspace', () => {
    expect(() => contextInputs('../elsewhere', [])).toThrow('inside the workspace');
    expect(() => contextInputs('/abs/path', [])).toThrow('inside the workspace');
  });

  describe('checked against the build, with Nx’s own glob engine', () => {
    const context = 'apps/api';
    const inContext = [
      '.dockerignore',
      '.env',
      'Dockerfile',
      'README.md',
      'app/main.py',
      'app/secret.py',
      'app/__pycache__/main.cpython-312.pyc',
      'build/keep/a.txt',
      'build/out.o',
      'certs/key.pem',
      'debug.log',
      'dist/bundle.js',
      'docs/api.md',
      'docs/guide.md',
      'node_modules/keep/index.js',
      'node_modules/left-pad/index.js',
      'package.json',
      'src/index.ts',
      'src/index.test.ts',
      'src/logs/x.log',
      'sub/a/cache/x',
      'abc',
      'tmpfile',
      'x',
      '{x,y}',
    ];
    const paths = [...inContext.map((p) => `${context}/${p}`), 'apps/other/src/index.ts', 'package.json'];

    it.each([
      [['node_modules', '!node_modules/keep', '*.log', '**/*.pyc', '.env', 'dist/', 'docs/**', '!docs/api.md', 'tmp*', 'a?c']],
      [['*', '!src', '!package.json', 'src/**/*.test.ts', '**/__pycache__']],
      [['**', '!app/**/*.py', 'app/secret.py']],
      [['**.pem', 'build', '!build/keep', '{x,y}', 'sub/*/cache']],
      [['node_modules', 'docs', '*.log', '!debug.log', '!docs/api.md', 'src', '!src/logs', 'sub/*', '!sub/a/cache']],
    ])('hashes every file the build can see, and nothing outside the context: %j', (patterns) => {
      const ignored = createIgnoreMatcher(patterns);
      const visible = inContext.filter((p) => !ignored(p)).map((p) => `${context}/${p}`);

      const hashed = hashedBy(contextInputs(context, patterns), paths);

      expect(visible.filter((p) => !hashed.includes(p))).toEqual([]);
      expect(hashed.filter((p) => !p.startsWith(`${context}/`))).toEqual([]);
    });

    it('leaves out what the build cannot see', () => {
      const hashed = hashedBy(contextInputs(context, ['node_modules', '.env', '*', '!src', '!package.json']), paths);

      expect(hashed.sort()).toEqual([
        `${context}/package.json`,
        `${context}/src/index.test.ts`,
        `${context}/src/index.ts`,
        `${context}/src/logs/x.log`,
      ]);
    });
  });
});

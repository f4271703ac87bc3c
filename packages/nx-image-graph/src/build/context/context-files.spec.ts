import * as fs from 'node:fs';
import * as path from 'node:path';
import { listContextFiles } from './context-files';
import { tempTree } from '../../core/fs/test-support/temp-tree';

describe('listContextFiles', () => {
  let dir: string;
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every file, dotfiles included, as sorted relative POSIX paths', async () => {
    dir = tempTree({
      'src/main.ts': '',
      'src/util/strings.ts': '',
      '.env': 'SECRET=1',
      '.config/settings.json': '{}',
      Dockerfile: 'FROM scratch',
      'empty-dir/': '',
    });

    expect(await listContextFiles(dir, { patterns: [] })).toEqual([
      '.config/settings.json',
      '.env',
      'Dockerfile',
      'src/main.ts',
      'src/util/strings.ts',
    ]);
  });

  it('leaves out what .dockerignore ignores', async () => {
    dir = tempTree({ '.env': 'SECRET=1', 'app.py': '', 'logs/today.log': '' });

    expect(await listContextFiles(dir, { patterns: ['.env', 'logs'] })).toEqual(['app.py']);
  });

  it('lists symlinks as themselves, without following them', async () => {
    dir = tempTree({ 'real/file.txt': 'x' });
    fs.symlinkSync('real', path.join(dir, 'link-to-dir'));
    fs.symlinkSync('real/file.txt', path.join(dir, 'link-to-file'));
    fs.symlinkSync('/nowhere', path.join(dir, 'dangling'));

    expect(await listContextFiles(dir, { patterns: [] })).toEqual(['dangling', 'link-to-dir', 'link-to-file', 'real/file.txt']);
  });

  it('walks an ignored directory when an exception re-includes something inside it', async () => {
    dir = tempTree({
      'node_modules/keep/index.js': '',
      'node_modules/left-pad/index.js': '',
      'index.js': '',
    });

    expect(await listContextFiles(dir, { patterns: ['node_modules', '!node_modules/keep'] })).toEqual([
      'index.js',
      'node_modules/keep/index.js',
    ]);
  });

  it('does not walk an ignored directory that no exception can reach into', async () => {
    dir = tempTree({
      'node_modules/a/index.js': '',
      'node_modules/b/deep/index.js': '',
      'src/index.js': '',
      'package.json': '{}',
    });
    // The real `fs` module: what fast-glob's readdir hook ends up calling.
    const realFs = jest.requireActual<typeof fs>('node:fs');
    const readdir = jest.spyOn(realFs, 'readdir');

    const files = await listContextFiles(dir, { patterns: ['*', '!src', '!package.json'] });

    expect(files).toEqual(['package.json', 'src/index.js']);
    const walked = readdir.mock.calls.map((call) => path.relative(dir, String(call[0])));
    expect(walked).toContain('src');
    expect(walked.filter((d) => d.startsWith('node_modules'))).toEqual([]);
  });

  it('always sends the `always` paths (Dockerfile, .dockerignore) even when ignored', async () => {
    dir = tempTree({ Dockerfile: '', '.dockerignore': 'Dockerfile\n.dockerignore\n', 'app.py': '' });

    const files = await listContextFiles(dir, {
      patterns: ['Dockerfile', '.dockerignore'],
      always: ['./Dockerfile', path.join(dir, '.dockerignore'), 'missing.Dockerfile'],
    });

    expect(files).toEqual(['.dockerignore', 'Dockerfile', 'app.py']);
  });

  it('refuses an `always` path outside the context', async () => {
    dir = tempTree({ 'app.py': '' });

    await expect(listContextFiles(dir, { patterns: [], always: ['../Dockerfile'] })).rejects.toThrow('not a file inside the build context');
  });

  it('fails with the directory and the manifest field to fix when the context is missing', async () => {
    dir = tempTree();
    const missing = path.join(dir, 'no-such-dir');

    await expect(listContextFiles(missing, { patterns: [] })).rejects.toThrow(new RegExp(`${missing}.*does not exist.*\`context\``));
  });

  it('fails when the context is a file', async () => {
    dir = tempTree({ 'file.txt': '' });

    await expect(listContextFiles(path.join(dir, 'file.txt'), { patterns: [] })).rejects.toThrow('is not a directory');
  });
});

describe('listContextFiles with roots: only what the Dockerfile reads', () => {
  it('takes files, directories and globs, and nothing else of the context', async () => {
    const dir = tempTree({
      'app.sh': 'x',
      'src/a.py': 'a',
      'src/b.txt': 'b',
      'conf/x.json': '{}',
      'node_modules/big/index.js': 'x',
      '.dockerignore': 'src/b.txt\n',
    });
    try {
      expect(
        await listContextFiles(dir, { patterns: ['src/b.txt'], roots: ['app.sh', 'src', 'conf/*.json'], always: ['.dockerignore'] }),
      ).toEqual(['.dockerignore', 'app.sh', 'conf/x.json', 'src/a.py']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

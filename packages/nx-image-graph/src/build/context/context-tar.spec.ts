import * as fs from 'node:fs';
import * as path from 'node:path';
import { listContextFiles } from './context-files';
import { packContext } from './context-tar';
import { readDockerignore } from '../../inference/inputs/dockerignore';
import { tempTree } from '../../core/fs/test-support/temp-tree';

// tar-stream is tar-fs's own dependency; a second implementation reads what we write.
const tarStream: typeof import('tar-stream') = require('tar-stream');

interface TarEntry {
  name: string;
  type: string | null | undefined;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  uname: string | undefined;
  gname: string | undefined;
  mtime: Date | undefined;
  linkname: string | null | undefined;
  content: string;
}

/** Every entry of a tar stream, with its content as UTF-8. */
function readTar(stream: NodeJS.ReadableStream): Promise<TarEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: TarEntry[] = [];
    const extract = tarStream.extract();
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => chunks.push(chunk));
      body.on('end', () => {
        const { name, type, mode, uid, gid, uname, gname, mtime, linkname } = header;
        entries.push({ name, type, mode, uid, gid, uname, gname, mtime, linkname, content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    extract.on('finish', () => resolve(entries));
    extract.on('error', reject);
    stream.on('error', reject);
    stream.pipe(extract);
  });
}

describe('packContext', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds exactly the listed files, in order, and not what .dockerignore leaves out', async () => {
    dir = tempTree({
      '.dockerignore': '.env\nnode_modules\n',
      '.env': 'SECRET=hunter2',
      Dockerfile: 'FROM scratch\nCOPY . /\n',
      'src/main.py': 'print("hi")\n',
      'node_modules/dep/index.js': '',
    });
    const { patterns } = readDockerignore(dir);
    const files = await listContextFiles(dir, { patterns });

    const entries = await readTar(packContext(dir, files));

    expect(entries.map((e) => e.name)).toEqual(['.dockerignore', 'Dockerfile', 'src/main.py']);
    expect(entries.find((e) => e.name === 'src/main.py')?.content).toBe('print("hi")\n');
    expect(entries.some((e) => e.content.includes('hunter2'))).toBe(false);
  });

  it('writes headers that say nothing about the host user, keeping mode and mtime', async () => {
    dir = tempTree({ 'run.sh': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'run.sh'), 0o777);
    const mtime = new Date('2024-05-01T12:00:00Z');
    fs.utimesSync(path.join(dir, 'run.sh'), mtime, mtime);

    const [entry] = await readTar(packContext(dir, ['run.sh']));

    expect(entry).toMatchObject({ name: 'run.sh', type: 'file', uid: 0, gid: 0, uname: '', gname: '' });
    // Not narrowed by this process's umask (tar-fs applies it by default).
    expect(entry.mode! & 0o7777).toBe(0o777);
    expect(entry.mtime).toEqual(mtime);
  });

  it('stores symlinks as symlinks', async () => {
    dir = tempTree({ 'real.txt': 'x' });
    fs.symlinkSync('real.txt', path.join(dir, 'link.txt'));

    const entries = await readTar(packContext(dir, ['link.txt', 'real.txt']));

    expect(entries.map(({ name, type, linkname }) => ({ name, type, linkname }))).toEqual([
      { name: 'link.txt', type: 'symlink', linkname: 'real.txt' },
      { name: 'real.txt', type: 'file', linkname: null },
    ]);
  });

  it('keeps long and non-ASCII names intact (ustar prefix, pax headers)', async () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    dir = tempTree({ [long]: 'long', 'naïve-名前.txt': 'utf8' });

    const entries = await readTar(packContext(dir, [long, 'naïve-名前.txt']));

    expect(entries.map(({ name, content }) => ({ name, content }))).toEqual([
      { name: long, content: 'long' },
      { name: 'naïve-名前.txt', content: 'utf8' },
    ]);
  });

  it('does not descend into a directory given as an entry', async () => {
    dir = tempTree({ 'sub/inner.txt': 'x' });

    const entries = await readTar(packContext(dir, ['sub']));

    expect(entries.map((e) => e.type)).toEqual(['directory']);
  });

  it('appends extra files, such as a Dockerfile kept outside the context', async () => {
    dir = tempTree({ 'app.py': '' });

    const entries = await readTar(
      packContext(dir, ['app.py'], {
        extraFiles: [
          { name: '.nx-image-graph.Dockerfile', content: 'FROM python:3.12\nCOPY app.py /\n' },
          { name: 'binary.bin', content: Buffer.from([0, 1, 2]) },
        ],
      }),
    );

    expect(entries.map(({ name, mode, uid, gid }) => ({ name, mode, uid, gid }))).toEqual([
      { name: 'app.py', mode: expect.any(Number), uid: 0, gid: 0 },
      { name: '.nx-image-graph.Dockerfile', mode: 0o644, uid: 0, gid: 0 },
      { name: 'binary.bin', mode: 0o644, uid: 0, gid: 0 },
    ]);
    expect(entries[1].content).toBe('FROM python:3.12\nCOPY app.py /\n');
    expect(Buffer.from(entries[2].content, 'utf8')).toEqual(Buffer.from([0, 1, 2]));
  });

  it('refuses extra file names outside the context or clashing with a context file', () => {
    dir = tempTree({ Dockerfile: '' });

    expect(() => packContext(dir, [], { extraFiles: [{ name: '../x', content: '' }] })).toThrow('relative path');
    expect(() => packContext(dir, [], { extraFiles: [{ name: '/etc/x', content: '' }] })).toThrow('relative path');
    expect(() => packContext(dir, ['Dockerfile'], { extraFiles: [{ name: './Dockerfile', content: '' }] })).toThrow('would replace');
  });

  it('fails the stream when a listed file has disappeared', async () => {
    dir = tempTree({});

    await expect(readTar(packContext(dir, ['gone.txt']))).rejects.toThrow('ENOENT');
  });

  it('streams a 200 MB file without holding it in memory', async () => {
    dir = tempTree({ 'small.txt': 'x' });
    const big = path.join(dir, 'big.bin');
    const size = 200 * 1024 * 1024;
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, size); // sparse: no disk used
    fs.closeSync(fd);
    try {
      const before = process.memoryUsage.rss();
      let peak = before;
      let bytes = 0;
      let chunks = 0;

      const stream = packContext(dir, ['big.bin', 'small.txt']);
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (++chunks % 64 === 0) peak = Math.max(peak, process.memoryUsage.rss());
        });
        stream.on('end', resolve);
        stream.on('error', reject);
      });

      expect(bytes).toBeGreaterThan(size);
      expect((peak - before) / 1024 / 1024).toBeLessThan(60);
    } finally {
      fs.rmSync(big, { force: true });
    }
  }, 60_000);
});

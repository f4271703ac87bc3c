import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestsFileOf, fileDigest, loadDigests, saveDigests } from './file-digests';

describe('fileDigest: what of a context file makes the image', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'file-digests-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the SHA-256 of the content, with the mode bits', () => {
    writeFileSync(join(dir, 'a'), 'hello\n');
    chmodSync(join(dir, 'a'), 0o644);
    expect(fileDigest(join(dir, 'a'))).toEqual({ sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03', mode: 0o644 });
  });

  it('changes with the content and with the executable bit, not with the name', () => {
    writeFileSync(join(dir, 'a'), 'one');
    writeFileSync(join(dir, 'b'), 'one');
    const a = fileDigest(join(dir, 'a'))!;
    expect(fileDigest(join(dir, 'b'))!.sha256).toBe(a.sha256);
    chmodSync(join(dir, 'b'), 0o755);
    expect(fileDigest(join(dir, 'b'))!.mode).toBe(0o755);
    writeFileSync(join(dir, 'a'), 'two');
    expect(fileDigest(join(dir, 'a'))!.sha256).not.toBe(a.sha256);
  });

  it('digests a symlink by its target, without following it, and a missing file as undefined', () => {
    symlinkSync('elsewhere', join(dir, 'l'));
    expect(fileDigest(join(dir, 'l'))).toMatchObject({ link: true });
    expect(fileDigest(join(dir, 'gone'))).toBeUndefined();
  });

  it('keeps digests for the next process, and only of files not changed within the last seconds', () => {
    const old = join(dir, 'old');
    const fresh = join(dir, 'fresh');
    writeFileSync(old, 'kept');
    writeFileSync(fresh, 'just written');
    const past = new Date(Date.now() - 60_000);
    utimesSync(old, past, past);
    fileDigest(old);
    fileDigest(fresh);
    const file = join(dir, 'digests.json');
    saveDigests(file, [old, fresh, join(dir, 'never-read')]);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { digest: { sha256: string } }> };
    expect(Object.keys(kept.files)).toEqual([old]);
    expect(kept.files[old].digest.sha256).toBe(fileDigest(old)!.sha256);
  });

  it('takes a kept digest while the file is the same, and reads a changed file again', () => {
    const file = join(dir, 'digests.json');
    const path = join(dir, 'a');
    writeFileSync(path, 'one');
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    const real = fileDigest(path)!;
    // A kept digest the file's stat still matches is believed (here a made-up one, to show the file is not read).
    saveDigests(file, [path]);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { digest: { sha256: string } }> };
    kept.files[path].digest.sha256 = 'f'.repeat(64);
    writeFileSync(file, JSON.stringify(kept));
    jest.isolateModules(() => {
      const fresh = require('./file-digests') as typeof import('./file-digests');
      fresh.loadDigests(file);
      expect(fresh.fileDigest(path)!.sha256).toBe('f'.repeat(64));
      writeFileSync(path, 'two');
      utimesSync(path, past, new Date(past.getTime() + 1000));
      expect(fresh.fileDigest(path)!.sha256).not.toBe('f'.repeat(64));
      expect(fresh.fileDigest(path)!.sha256).not.toBe(real.sha256);
    });
  });

  it('ignores a kept file it cannot read, and names one file per task', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(() => loadDigests(file)).not.toThrow();
    expect(digestsFileOf('/ws', 'a:docker-build', {})).toMatch(
      /^\/ws\/\.nx\/workspace-data\/nx-image-graph\/file-digests\/[0-9a-f]{24}\.json$/,
    );
    expect(digestsFileOf('/ws', 'a:docker-build', {})).not.toBe(digestsFileOf('/ws', 'a:docker-build-cpu', {}));
  });
});

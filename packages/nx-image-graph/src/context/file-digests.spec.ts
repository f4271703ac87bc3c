import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileDigest } from './file-digests';

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
});

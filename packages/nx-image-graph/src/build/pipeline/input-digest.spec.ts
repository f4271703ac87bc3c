import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, inputDigest, type BuildInputs } from './input-digest';

const ID = (c: string) => `sha256:${c.repeat(64)}`;

describe('inputDigest: the label that makes a build with the same inputs a lookup', () => {
  let dir: string;
  const inputs = (more: Partial<BuildInputs> = {}): BuildInputs => ({
    dockerfile: 'FROM acme/base\nCOPY app.sh /\n',
    builder: 'buildkit',
    args: { GREETING: 'hi' },
    labels: { 'org.opencontainers.image.title': 'app' },
    contextDir: dir,
    files: ['app.sh'],
    parents: [{ reference: 'acme/base', imageId: ID('1') }],
    bases: [{ reference: 'busybox:1.36', imageId: ID('2') }],
    secrets: {},
    ...more,
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'input-digest-'));
    writeFileSync(join(dir, 'app.sh'), 'echo hi\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the same for the same inputs, whatever the order of args and labels', () => {
    const a = inputDigest(inputs({ args: { A: '1', B: '2' }, labels: { x: '1', y: '2' } }));
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(inputDigest(inputs({ args: { B: '2', A: '1' }, labels: { y: '2', x: '1' } }))).toBe(a);
  });

  it('moves with every input of the image: file content and mode, Dockerfile, args, target, platform, labels, parents, bases, secret digests', () => {
    const before = inputDigest(inputs());
    const changed: Partial<BuildInputs>[] = [
      { dockerfile: 'FROM acme/base\nCOPY app.sh /app/\n' },
      { args: { GREETING: 'bonjour' } },
      { target: 'runtime' },
      { platform: 'linux/arm64' },
      { builder: 'classic' },
      { network: 'none' },
      { labels: { 'org.opencontainers.image.title': 'app', extra: '1' } },
      { parents: [{ reference: 'acme/base', imageId: ID('3') }] },
      { bases: [{ reference: 'busybox:1.36', imageId: ID('4') }] },
      { secrets: { token: 'sha256:0' } },
    ];
    for (const c of changed) expect(inputDigest(inputs(c))).not.toBe(before);
    writeFileSync(join(dir, 'app.sh'), 'echo bonjour\n');
    expect(inputDigest(inputs())).not.toBe(before);
    writeFileSync(join(dir, 'app.sh'), 'echo hi\n');
    expect(inputDigest(inputs())).toBe(before);
    chmodSync(join(dir, 'app.sh'), 0o755);
    expect(inputDigest(inputs())).not.toBe(before);
  });

  it('is unknown when a base is neither in the engine nor locked, or a file is gone: no lookup can stand for those', () => {
    expect(inputDigest(inputs({ bases: [{ reference: 'busybox:1.36' }] }))).toBeUndefined();
    expect(inputDigest(inputs({ bases: [{ reference: 'busybox:1.36', digest: ID('5') }] }))).toMatch(/^sha256:/);
    expect(inputDigest(inputs({ bases: [{ reference: 'scratch' }, { reference: `busybox@${ID('6')}` }] }))).toMatch(/^sha256:/);
    expect(inputDigest(inputs({ files: ['gone.sh'] }))).toBeUndefined();
  });

  it('writes JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
  });
});

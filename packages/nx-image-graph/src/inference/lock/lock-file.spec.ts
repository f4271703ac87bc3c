import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLock, inspectLock, mergeLock, parseLock, readLock, writeLock, type BaseLock } from './lock-file';
import { lockKey } from './lock-key';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const lock = (...entries: [string, string, 'registry' | 'engine'][]): BaseLock =>
  new Map(entries.map(([reference, digest, source]) => [reference, { reference, digest, source }]));

describe('images.lock.json', () => {
  it('keys each entry by its reference with dots written "~" (Nx field paths split at dots), sorted, one field per line', () => {
    const text = formatLock(lock(['nvidia/cuda:12.4.1-devel', d('b'), 'registry'], ['127.0.0.1:5000/p/base:1', d('a'), 'engine']));
    expect(text).toBe(
      JSON.stringify(
        {
          lockfileVersion: 1,
          bases: {
            '127~0~0~1:5000/p/base:1': { reference: '127.0.0.1:5000/p/base:1', digest: d('a'), source: 'engine' },
            'nvidia/cuda:12~4~1-devel': { reference: 'nvidia/cuda:12.4.1-devel', digest: d('b'), source: 'registry' },
          },
        },
        null,
        2,
      ) + '\n',
    );
    expect(lockKey('busybox:1.36')).toBe('busybox:1~36');
  });

  it('reads back what it writes, and has no lock when the workspace has no file', () => {
    const root = mkdtempSync(join(tmpdir(), 'lock-'));
    try {
      expect(readLock(root)).toBeUndefined();
      const written = lock(['busybox:1.36', d('c'), 'engine']);
      writeLock(root, written);
      expect(readLock(root)).toEqual(written);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the file and the field of bad content, and the command that writes it', () => {
    expect(() => parseLock('{')).toThrow(/images\.lock\.json is not valid JSON .*npx nx-image-graph-lock/);
    expect(() =>
      parseLock(JSON.stringify({ lockfileVersion: 1, bases: { 'a:1': { reference: 'a:1', digest: 'sha256:12', source: 'registry' } } })),
    ).toThrow(
      'images.lock.json: "bases.a:1.digest" "sha256:12" is not a digest such as "sha256:<64 hex digits>"; write the entry again with `npx nx-image-graph-lock a:1`',
    );
    expect(() =>
      parseLock(JSON.stringify({ lockfileVersion: 1, bases: { 'a:1': { reference: 'a:1', digest: d('a'), source: 'cache' } } })),
    ).toThrow(/"bases\.a:1\.source"/);
    expect(() =>
      parseLock(JSON.stringify({ lockfileVersion: 1, bases: { 'b:1~2': { reference: 'b:1.3', digest: d('a'), source: 'engine' } } })),
    ).toThrow(/"bases\.b:1~2" holds "b:1\.3", whose key is "b:1~3"/);
  });

  it('tells a bad file from a bad entry, so only the builds on that base are blocked', () => {
    const good = { reference: 'a:1', digest: d('a'), source: 'registry' };
    const r = inspectLock(
      JSON.stringify({ lockfileVersion: 1, bases: { 'a:1': good, 'b:1': { reference: 'b:1', digest: 'sha256:xyz', source: 'registry' } } }),
    );
    expect(r.fileProblem).toBeUndefined();
    expect([...r.lock.keys()]).toEqual(['a:1']);
    expect([...r.entryProblems]).toEqual([
      [
        'b:1',
        'images.lock.json: "bases.b:1.digest" "sha256:xyz" is not a digest such as "sha256:<64 hex digits>"; write the entry again with `npx nx-image-graph-lock b:1`',
      ],
    ]);
    expect(inspectLock(JSON.stringify({ lockfileVersion: 2, bases: {} })).fileProblem).toBe(
      'images.lock.json: "lockfileVersion" is 2, but this nx-image-graph reads version 1; write it again with `npx nx-image-graph-lock`, or use the nx-image-graph that wrote it',
    );
    expect(inspectLock('[]').fileProblem).toBe(
      'images.lock.json: not a lock of base images (an object with "lockfileVersion": 1 and "bases"); write it again with `npx nx-image-graph-lock`',
    );
  });

  it('merges an update: resolved entries replace, the others stay as locked, bases no build uses go', () => {
    const previous = lock(['a:1', d('1'), 'registry'], ['b:1', d('2'), 'registry'], ['gone:1', d('3'), 'engine']);
    const next = mergeLock(previous, ['a:1', 'b:1', 'new:1'], lock(['b:1', d('4'), 'registry'], ['new:1', d('5'), 'engine']));
    expect([...next.entries()]).toEqual([
      ['a:1', { reference: 'a:1', digest: d('1'), source: 'registry' }],
      ['b:1', { reference: 'b:1', digest: d('4'), source: 'registry' }],
      ['new:1', { reference: 'new:1', digest: d('5'), source: 'engine' }],
    ]);
  });
});

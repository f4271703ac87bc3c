import { findPath, kindOfMode, parsePathStatHeader, PathStat } from './path-stat';

// Modes as the engine sends them (Go os.FileMode), taken from a busybox container.
const REGULAR = 0o644;
const DIRECTORY = 2 ** 31 + 0o755;
const SYMLINK = 2 ** 27 + 0o777;

const header = (stat: object) => Buffer.from(JSON.stringify(stat)).toString('base64');
const stats =
  (tree: Record<string, Partial<PathStat>>) =>
  async (path: string): Promise<PathStat | undefined> =>
    tree[path] ? { name: path, size: 0, mode: REGULAR, linkTarget: '', ...tree[path] } : undefined;

describe('path stat', () => {
  it('reads the kind from the mode bits, above 2^31 too', () => {
    expect(kindOfMode(REGULAR)).toBe('file');
    expect(kindOfMode(0o4755)).toBe('file');
    expect(kindOfMode(DIRECTORY)).toBe('directory');
    expect(kindOfMode(2147484141)).toBe('directory');
    expect(kindOfMode(SYMLINK)).toBe('symlink');
    expect(kindOfMode(2 ** 25 + 0o600)).toBe('fifo');
    expect(kindOfMode(2 ** 24 + 0o600)).toBe('socket');
    expect(kindOfMode(2 ** 26 + 2 ** 21 + 0o600)).toBe('device');
  });

  it('decodes the engine header', () => {
    expect(parsePathStatHeader(header({ name: 'sh', size: 7, mode: 134218239, linkTarget: '/bin/busybox' }))).toEqual({
      name: 'sh',
      size: 7,
      mode: 134218239,
      linkTarget: '/bin/busybox',
    });
    expect(() => parsePathStatHeader(undefined)).toThrow(/no path stat/);
    expect(() => parsePathStatHeader(header({ name: 'x' }))).toThrow(/without a mode/);
  });

  it('follows symlinks to what they point at, like test -f', async () => {
    const find = stats({ '/bin/sh': { mode: SYMLINK, linkTarget: '/bin/busybox' }, '/bin/busybox': {} });
    expect(await findPath('/bin/sh', find)).toEqual({ found: true, kind: 'file', via: ['/bin/busybox'] });
    expect(await findPath('/bin/busybox', find)).toEqual({ found: true, kind: 'file', via: [] });
  });

  it('reports a missing path, a dangling link and a loop as not found', async () => {
    const find = stats({
      '/dangling': { mode: SYMLINK, linkTarget: '/gone' },
      '/a': { mode: SYMLINK, linkTarget: '/b' },
      '/b': { mode: SYMLINK, linkTarget: '/a' },
    });
    expect(await findPath('/nope', find)).toEqual({ found: false, via: [] });
    expect(await findPath('/dangling', find)).toEqual({ found: false, via: ['/gone'] });
    expect(await findPath('/a', find)).toMatchObject({ found: false, loop: true });
  });
});

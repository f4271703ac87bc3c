import { RegistryUnreachableError } from '../../clients/registry/registry-api';
import { checkLock, parseLockArgs, updateLock, type LockIo } from './lock-command';
import { parseLock } from '../../inference/lock/lock-file';

const d = (c: string) => `sha256:${c.repeat(64)}`;

/** The command against a graph, registries and an engine held in memory. */
function fakeIo(opts: {
  used: Record<string, string[]>;
  registry: Record<string, string | 'unreachable'>;
  engine?: Record<string, string>;
  lockText?: string;
}) {
  const out: string[] = [];
  const io: LockIo & { out: string[]; text?: string } = {
    out,
    text: opts.lockText,
    usedBases: async () => new Map(Object.entries(opts.used)),
    readLock: () => (io.text === undefined ? undefined : parseLock(io.text)),
    lockText: () => io.text,
    writeLockText: (t) => void (io.text = t),
    registryDigest: async (_host, apiHost, repository, tag) => {
      const v = opts.registry[`${apiHost}/${repository}:${tag}`];
      if (v === 'unreachable') throw new RegistryUnreachableError(`registry ${apiHost} did not answer: ENOTFOUND`);
      return v;
    },
    engineImageId: async (r) => opts.engine?.[r],
    print: (l) => void out.push(l),
  };
  return io;
}

const used = { '127.0.0.1:5000/p/base:1': ['a:docker-build', 'b:docker-build'], 'busybox:1.36': ['c:docker-build'] };
const registry = { '127.0.0.1:5000/p/base:1': d('1'), 'registry-1.docker.io/library/busybox:1.36': 'unreachable' } as const;
const engine = { 'busybox:1.36': d('e') };

describe('nx-image-graph-lock', () => {
  it('parses its arguments', () => {
    expect(parseLockArgs([])).toEqual({ check: false, only: [] });
    expect(parseLockArgs(['--check'])).toEqual({ check: true, only: [] });
    expect(parseLockArgs(['a:1'])).toEqual({ check: false, only: ['a:1'] });
    expect(() => parseLockArgs(['--force'])).toThrow('unknown option --force');
    expect(() => parseLockArgs(['--check', 'a:1'])).toThrow(/name no references/);
  });

  it('locks every base: by registry digest, by engine id where the registry is unreachable (said), and says who uses each', async () => {
    const io = fakeIo({ used, registry, engine });
    expect(await updateLock({ check: false, only: [] }, io)).toBe(0);
    const lock = parseLock(io.text!);
    expect(lock.get('127.0.0.1:5000/p/base:1')).toEqual({ reference: '127.0.0.1:5000/p/base:1', digest: d('1'), source: 'registry' });
    expect(lock.get('busybox:1.36')).toEqual({ reference: 'busybox:1.36', digest: d('e'), source: 'engine' });
    expect(io.out.join('\n')).toMatch(
      /busybox:1\.36 -> sha256:e+ \(engine\) locked; used by c:docker-build\n\s+NOTE: registry-1\.docker\.io not reachable/,
    );
    expect(io.out.join('\n')).toMatch(/wrote images\.lock\.json \(2 bases\)/);
  });

  it('writes nothing when a base cannot be resolved', async () => {
    const io = fakeIo({ used, registry: { ...registry, '127.0.0.1:5000/p/base:1': undefined as unknown as string }, engine });
    expect(await updateLock({ check: false, only: [] }, io)).toBe(1);
    expect(io.text).toBeUndefined();
    expect(io.out).toContain('✖ 127.0.0.1:5000/p/base:1: 127.0.0.1:5000 has no p/base:1');
  });

  it('updates only the bases named, and refuses a name no build uses', async () => {
    const io = fakeIo({ used, registry, engine });
    await updateLock({ check: false, only: [] }, io);
    const moved = fakeIo({
      used,
      registry: { ...registry, '127.0.0.1:5000/p/base:1': d('2') },
      engine: { 'busybox:1.36': d('f') },
      lockText: io.text,
    });
    expect(await updateLock({ check: false, only: ['127.0.0.1:5000/p/base:1'] }, moved)).toBe(0);
    expect(parseLock(moved.text!).get('127.0.0.1:5000/p/base:1')?.digest).toBe(d('2'));
    expect(parseLock(moved.text!).get('busybox:1.36')?.digest).toBe(d('e'));
    expect(moved.out.join('\n')).toMatch(/moved from sha256:111111111111/);
    expect(await updateLock({ check: false, only: ['alpine:3'] }, moved)).toBe(1);
    expect(moved.out.at(-1)).toMatch(/"alpine:3": no build uses this as an external base/);
  });

  it('--check passes when nothing moved, and names each moved or unlocked base with both digests', async () => {
    const io = fakeIo({ used, registry, engine });
    await updateLock({ check: false, only: [] }, io);
    const same = fakeIo({ used, registry, engine, lockText: io.text });
    expect(await checkLock(same)).toBe(0);
    expect(same.out.at(-1)).toBe('✔ 2 external bases match images.lock.json');

    const moved = fakeIo({
      used: { ...used, 'alpine:3': ['d:docker-build'] },
      registry: { ...registry, '127.0.0.1:5000/p/base:1': d('2') },
      engine: { 'busybox:1.36': d('f') },
      lockText: io.text,
    });
    expect(await checkLock(moved)).toBe(1);
    const text = moved.out.join('\n');
    expect(text).toContain(
      `✖ 127.0.0.1:5000/p/base:1 moved: locked ${d('1')}, the registry has ${d('2')} now (used by a:docker-build, b:docker-build)`,
    );
    expect(text).toContain(`✖ busybox:1.36 moved: locked ${d('e')}, the engine has ${d('f')} now`);
    expect(text).toContain('✖ alpine:3 (used by d:docker-build) is not locked');
  });

  it('--check fails without a lock file', async () => {
    const io = fakeIo({ used, registry, engine });
    expect(await checkLock(io)).toBe(1);
    expect(io.out).toEqual(['✖ no images.lock.json in the workspace; write it with `npx nx-image-graph-lock`']);
  });
});

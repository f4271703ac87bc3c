import { parseLock } from '../../inference/lock/lock-file';
import { engineLockProblem, lockedBase } from './locked-bases';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const lock = parseLock(
  JSON.stringify({
    lockfileVersion: 1,
    bases: {
      '127~0~0~1:5000/p/base:1': { reference: '127.0.0.1:5000/p/base:1', digest: d('a'), source: 'registry' },
      'busybox:1~36': { reference: 'busybox:1.36', digest: d('e'), source: 'engine' },
    },
  }),
);

describe('a build on locked bases', () => {
  it('inspects and pulls a registry entry by digest, checks an engine entry by id, leaves an unlocked base as it is', () => {
    expect(lockedBase('127.0.0.1:5000/p/base:1', lock)).toEqual({ reference: `127.0.0.1:5000/p/base@${d('a')}`, digest: d('a') });
    expect(lockedBase('busybox:1.36', lock)).toEqual({ reference: 'busybox:1.36', engineId: d('e') });
    expect(lockedBase('alpine:3', lock)).toEqual({ reference: 'alpine:3' });
    expect(lockedBase('alpine:3', undefined)).toEqual({ reference: 'alpine:3' });
  });

  it("refuses to build on another image than an engine entry's, naming both ids and what to run", () => {
    expect(engineLockProblem('busybox:1.36', d('e'), d('e'), 'c:docker-build')).toBeUndefined();
    expect(engineLockProblem('busybox:1.36', d('e'), d('f'), 'c:docker-build')).toBe(
      `busybox:1.36 is locked to ${d('e')} in images.lock.json (the engine's image, its registry was not reachable when locked) but the engine has ${d('f')}. ` +
        'Load the locked image, or lock what the engine has now with `npx nx-image-graph-lock busybox:1.36` and run `nx run c:docker-build` again',
    );
    expect(engineLockProblem('busybox:1.36', d('e'), undefined, 'c:docker-build')).toMatch(/but the engine does not have it\./);
  });
});

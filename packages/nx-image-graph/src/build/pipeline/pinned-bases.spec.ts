import { RegistryUnreachableError } from '../../clients/registry/registry-api';
import { unavailablePinnedBase } from './pinned-bases';

const zero = `sha256:${'0'.repeat(64)}`;

describe('a base pinned by digest that the engine does not hold', () => {
  it('asks its registry for the digest only, with Docker Hub names as Docker reads them', async () => {
    const asked: string[] = [];
    await unavailablePinnedBase(
      [{ reference: `busybox@${zero}`, digest: zero, locked: false, line: 1 }],
      'Dockerfile',
      async (host, apiHost, repository, digest) => {
        asked.push(`${host} ${apiHost} ${repository} ${digest}`);
        return true;
      },
    );
    expect(asked).toEqual([`index.docker.io registry-1.docker.io library/busybox ${zero}`]);
  });

  it('a registry that answers "no such manifest": the lock entry, and how to lock it again', async () => {
    expect(
      await unavailablePinnedBase(
        [{ reference: '127.0.0.1:5000/acme/base:1', digest: zero, locked: true }],
        'images/app/Dockerfile',
        async () => false,
      ),
    ).toBe(
      `127.0.0.1:5000/acme/base:1 is locked in images.lock.json to ${zero}, which the registry 127.0.0.1:5000 does not have for acme/base (not found), and the engine does not hold it either; run \`npx nx-image-graph-lock 127.0.0.1:5000/acme/base:1\` to lock what its registry has now, or load the locked image into the engine`,
    );
  });

  it('a registry that cannot be reached: the line, and what to do', async () => {
    const unreachable = async () => {
      throw new RegistryUnreachableError(
        'registry index.docker.io did not answer HEAD /library/busybox/manifests/x: getaddrinfo ENOTFOUND registry-1.docker.io',
      );
    };
    expect(
      await unavailablePinnedBase(
        [{ reference: `busybox@${zero}`, digest: zero, locked: false, line: 3 }],
        'images/bad/Dockerfile',
        unreachable,
      ),
    ).toBe(
      `images/bad/Dockerfile:3: "busybox@${zero}" names digest ${zero}; the engine does not hold it, and its registry registry-1.docker.io cannot be reached to fetch it (did not answer HEAD /library/busybox/manifests/x: getaddrinfo ENOTFOUND registry-1.docker.io); pull or load it into the engine where the registry can be reached, or fix the digest in the Dockerfile`,
    );
  });
});

import { RegistryApi, RegistryApiError, RegistryUnreachableError } from './registry-api';
import { registryLocation, resolveBase, type Resolvers } from './resolve-base';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('resolving an external base', () => {
  it('finds where a reference is served, Docker Hub included', () => {
    expect(registryLocation('busybox:1.36')).toEqual({
      host: 'index.docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'library/busybox',
      tag: '1.36',
    });
    expect(registryLocation('nvidia/cuda')).toEqual({
      host: 'index.docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'nvidia/cuda',
      tag: 'latest',
    });
    expect(registryLocation('127.0.0.1:5000/p/base:1')).toEqual({
      host: '127.0.0.1:5000',
      apiHost: '127.0.0.1:5000',
      repository: 'p/base',
      tag: '1',
    });
  });

  const resolvers = (registry: Resolvers['registryDigest'], engineId?: string): Resolvers => ({
    registryDigest: registry,
    engineImageId: async () => engineId,
  });

  it("takes the registry's manifest digest", async () => {
    expect(
      await resolveBase(
        '127.0.0.1:5000/p/base:1',
        resolvers(async () => d('a'), d('e')),
      ),
    ).toEqual({ entry: { reference: '127.0.0.1:5000/p/base:1', digest: d('a'), source: 'registry' } });
  });

  it("takes the engine's image id only when the registry cannot be reached, and says so", async () => {
    const r = await resolveBase(
      'busybox:1.36',
      resolvers(async () => {
        throw new RegistryUnreachableError('registry index.docker.io did not answer HEAD /x: getaddrinfo ENOTFOUND');
      }, d('e')),
    );
    expect(r).toEqual({
      entry: { reference: 'busybox:1.36', digest: d('e'), source: 'engine' },
      note: expect.stringMatching(/registry-1\.docker\.io not reachable .*ENOTFOUND.*engine's image id/),
    });
    const none = await resolveBase(
      'busybox:1.36',
      resolvers(async () => {
        throw new RegistryUnreachableError('registry x did not answer');
      }),
    );
    expect(none).toEqual({ error: expect.stringMatching(/the engine does not have the image either/) });
  });

  it('never falls back to the engine when the registry answers: no such tag, or a refusal', async () => {
    expect(
      await resolveBase(
        '127.0.0.1:5000/p/base:1',
        resolvers(async () => undefined, d('e')),
      ),
    ).toEqual({ error: '127.0.0.1:5000/p/base:1: 127.0.0.1:5000 has no p/base:1' });
    const refused = await resolveBase(
      '127.0.0.1:5001/p/base:1',
      resolvers(async () => {
        throw new RegistryApiError('registry 127.0.0.1:5001 refused HEAD p/base:1: 401');
      }, d('e')),
    );
    expect(refused).toEqual({ error: expect.stringMatching(/refused HEAD p\/base:1: 401/) });
  });
});

describe('a registry that does not answer', () => {
  it('is unreachable, not a refusal (the only case the engine id may be locked)', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    await expect(new RegistryApi('127.0.0.1:1').manifestDigest('p/base', '1')).rejects.toBeInstanceOf(RegistryUnreachableError);
  });
});

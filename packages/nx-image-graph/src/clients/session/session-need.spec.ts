import { sessionReason, type SessionDemands } from './session-need';

describe('sessionReason', () => {
  const none: SessionDemands = { secrets: 0, ssh: 0, mounts: 0, cacheFrom: 0, basesToFetch: 0 };

  it('opens no session for a build whose images are all in the engine and that asks for nothing', () => {
    expect(sessionReason(none)).toBeUndefined();
  });

  it.each<[string, Partial<SessionDemands>, RegExp]>([
    ['a secret given', { secrets: 1 }, /secrets or ssh/],
    ['an ssh agent given', { ssh: 1 }, /secrets or ssh/],
    ['a secret mount nothing gives (BuildKit still asks)', { mounts: 1 }, /secrets or ssh/],
    ['cache imported from a registry', { cacheFrom: 1 }, /cache from a registry/],
    ['a # syntax= frontend', { syntax: 'docker/dockerfile:1' }, /frontend docker\/dockerfile:1/],
    ['a base the engine lacks (a private registry needs credentials)', { basesToFetch: 1 }, /a base to fetch/],
    ['a named platform', { platform: 'linux/arm64' }, /platform linux\/arm64/],
  ])('opens one for %s', (_what, demand, reason) => {
    expect(sessionReason({ ...none, ...demand })).toMatch(reason);
  });
});

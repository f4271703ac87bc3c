import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact, registryAuth } from './registry-auth';

describe('registryAuth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      auths: {
        '127.0.0.1:5001': { auth: Buffer.from('ci:s3cret:with:colons').toString('base64') },
        'https://ghcr.io': { identitytoken: 'tok' },
      },
    }),
  );

  it('reads auths from $DOCKER_CONFIG/config.json, keeping colons in the password', () => {
    expect(registryAuth('127.0.0.1:5001/team', { DOCKER_CONFIG: dir })).toEqual({
      username: 'ci',
      password: 's3cret:with:colons',
      serveraddress: '127.0.0.1:5001',
    });
  });
  it('matches an https:// key and an identity token', () => {
    expect(registryAuth('ghcr.io', { DOCKER_CONFIG: dir })).toEqual({ identitytoken: 'tok', serveraddress: 'ghcr.io' });
  });
  it('prefers DOCKER_AUTH_CONFIG from the environment', () => {
    const env = {
      DOCKER_CONFIG: dir,
      DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { '127.0.0.1:5001': { username: 'env', password: 'p' } } }),
    };
    expect(registryAuth('127.0.0.1:5001', env)).toMatchObject({ username: 'env' });
  });
  it('has nothing for an unknown registry', () => {
    expect(registryAuth('other.example:5000', { DOCKER_CONFIG: dir })).toBeUndefined();
  });
  it('says which helper failed', () => {
    const helperDir = mkdtempSync(join(tmpdir(), 'auth-'));
    writeFileSync(join(helperDir, 'config.json'), JSON.stringify({ credHelpers: { 'r.example': 'does-not-exist' } }));
    expect(() => registryAuth('r.example', { DOCKER_CONFIG: helperDir })).toThrow(
      /docker-credential-does-not-exist gave no credentials for r.example/,
    );
  });
  it('redacts secrets from messages', () => {
    expect(redact('login failed for pw s3cret', { password: 's3cret', serveraddress: 'x' })).toBe('login failed for pw ***');
  });
});

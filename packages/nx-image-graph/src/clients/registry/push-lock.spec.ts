import { pushLockFile } from './push-lock';

describe('pushLockFile', () => {
  it('is one file per engine and registry', () => {
    const env = { DOCKER_HOST: 'unix:///var/run/docker.sock' };
    expect(pushLockFile('127.0.0.1:5000', env)).toBe(pushLockFile('127.0.0.1:5000', { ...env }));
    expect(pushLockFile('127.0.0.1:5000', env)).not.toBe(pushLockFile('127.0.0.1:5001', env));
    expect(pushLockFile('127.0.0.1:5000', env)).not.toBe(pushLockFile('127.0.0.1:5000', { DOCKER_HOST: 'unix:///tmp/other.sock' }));
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regroupSshSpecs, sshSources } from './ssh-sources';

describe('ssh sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-'));
  writeFileSync(join(dir, 'a'), 'key');
  writeFileSync(join(dir, 'b'), 'key');

  it('reads default (SSH_AUTH_SOCK), id=keyfiles, and paths Nx split at commas', () => {
    expect(regroupSshSpecs(['default', 'deploy=~/a', '~/b'])).toEqual(['default', 'deploy=~/a,~/b']);
    expect(sshSources(['default', 'deploy=~/a', '~/b'], '/ws', { SSH_AUTH_SOCK: dir, HOME: dir })).toEqual([
      { id: 'default', socket: dir },
      { id: 'deploy', keys: [join(dir, 'a'), join(dir, 'b')] },
    ]);
  });

  it('says what to do without an agent or with a missing key', () => {
    expect(() => sshSources(['default'], '/ws', {})).toThrow('ssh "default" forwards the ssh agent, but SSH_AUTH_SOCK is not set');
    expect(() => sshSources(['deploy=/nope/key'], '/ws', {})).toThrow('ssh "deploy": /nope/key does not exist');
  });
});

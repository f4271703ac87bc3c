import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProtocol, utils, type ParsedKey } from 'ssh2';
import { loadKeys, serveKeys } from './key-agent';

describe('the key-file ssh agent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const pair = utils.generateKeyPairSync('ed25519', { comment: 'test key' });
  writeFileSync(join(dir, 'id_ed25519'), pair.private);
  writeFileSync(join(dir, 'id_ed25519.pub'), pair.public);

  it('lists the key and signs with it, as an ssh client asks; other messages get a failure without losing its place', async () => {
    const [key] = loadKeys([join(dir, 'id_ed25519')]);
    const agent = serveKeys([key]);
    // OpenSSH's session-bind extension first (type 27), as ssh 8.9+ sends it: answered with SSH_AGENT_FAILURE.
    const ext = Buffer.concat([Buffer.from([0, 0, 0, 9, 27]), Buffer.from([0, 0, 0, 4]), Buffer.from('abcd')]);
    const failure = new Promise<Buffer>((resolve) => agent.once('data', resolve));
    agent.write(ext);
    expect(await failure).toEqual(Buffer.from([0, 0, 0, 1, 5]));
    const client = new AgentProtocol(true);
    client.pipe(agent).pipe(client);
    const keys = await new Promise<ParsedKey[]>((resolve, reject) => client.getIdentities((e, k) => (e ? reject(e) : resolve(k!))));
    expect(keys.map((k) => k.getPublicSSH().toString('base64'))).toEqual([key.getPublicSSH().toString('base64')]);
    const signature = await new Promise<Buffer>((resolve, reject) =>
      client.sign(keys[0], Buffer.from('data'), (e, s) => (e ? reject(e) : resolve(s!))),
    );
    expect((utils.parseKey(pair.public) as ParsedKey).verify(Buffer.from('data'), signature)).toBe(true);
  });

  it('names a file that is not a private key', () => {
    expect(() => loadKeys([join(dir, 'id_ed25519.pub')])).toThrow(
      `ssh key ${join(dir, 'id_ed25519.pub')} is a public key; give the private key`,
    );
  });
});

import { createHash } from 'node:crypto';
import { secretValueDigest } from './secret-digest';
import { hashedSecretDigests } from './session-settings';

describe('secret digests: what stands for a secret marked hashValue, never its value', () => {
  it('is SHA-256 of the value behind a domain prefix, the same for a string and its bytes', () => {
    const expected = `sha256:${createHash('sha256').update('nx-image-graph secret\0').update('hf_abc').digest('hex')}`;
    expect(secretValueDigest('hf_abc')).toBe(expected);
    expect(secretValueDigest(Buffer.from('hf_abc'))).toBe(expected);
    expect(secretValueDigest('hf_abc')).not.toContain('hf_abc');
    expect(secretValueDigest(undefined)).toBe('absent');
  });

  it('names only the secrets marked hashValue, an absent one as absent', () => {
    const values = new Map([
      ['token', Buffer.from('t0k3n')],
      ['plain', Buffer.from('p')],
    ]);
    const digests = hashedSecretDigests(
      { token: { env: 'T', hashValue: true }, plain: { env: 'P' }, gone: { env: 'G', hashValue: true, required: false } },
      undefined,
      values,
    );
    expect(digests).toEqual({ token: secretValueDigest('t0k3n'), gone: 'absent' });
  });
});

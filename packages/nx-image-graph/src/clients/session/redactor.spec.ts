import { makeRedactor } from './redactor';

describe('makeRedactor', () => {
  it('replaces every occurrence of each value, the longest first, and leaves tiny values alone', () => {
    const redact = makeRedactor(['hf_abcdef', 'hf_abcdef_longer', 'ab']);
    expect(redact('a hf_abcdef_longer and hf_abcdef, ab')).toBe('a *** and ***, ab');
    expect(makeRedactor([])('unchanged')).toBe('unchanged');
  });
});

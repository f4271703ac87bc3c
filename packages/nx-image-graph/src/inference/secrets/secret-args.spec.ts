import { looksLikeCredential, redactArgs } from './secret-args';

describe('secret-looking build args', () => {
  it('recognises credential names in any case', () => {
    for (const n of ['HF_TOKEN', 'github_token', 'DB_PASSWORD', 'passwd', 'API_KEY', 'apikey', 'AWS_SECRET_ACCESS_KEY', 'PIP_CREDENTIALS'])
      expect(looksLikeCredential(n)).toBe(true);
    for (const n of ['BASE_IMAGE', 'PYTHON', 'CUDA', 'TORCH', 'KEYBOARD']) expect(looksLikeCredential(n)).toBe(false);
  });

  it('redacts their values and only theirs', () => {
    expect(redactArgs({ HF_TOKEN: 'hf_abc', CUDA: '12.8', EMPTY_SECRET: '' })).toEqual({ HF_TOKEN: '***', CUDA: '12.8', EMPTY_SECRET: '' });
  });
});

import { looksLikeCredential, redactArgs, secretArgWarnings } from './secret-args';

describe('secret-looking build args', () => {
  it('recognises credential names in any case', () => {
    for (const n of ['HF_TOKEN', 'github_token', 'DB_PASSWORD', 'passwd', 'API_KEY', 'apikey', 'AWS_SECRET_ACCESS_KEY', 'PIP_CREDENTIALS']) expect(looksLikeCredential(n)).toBe(true);
    for (const n of ['BASE_IMAGE', 'PYTHON', 'CUDA', 'TORCH', 'KEYBOARD']) expect(looksLikeCredential(n)).toBe(false);
  });

  it('redacts their values and only theirs', () => {
    expect(redactArgs({ HF_TOKEN: 'hf_abc', CUDA: '12.8', EMPTY_SECRET: '' })).toEqual({ HF_TOKEN: '***', CUDA: '12.8', EMPTY_SECRET: '' });
  });

  it('warns once per manifest and arg at graph time, pointing to secrets', () => {
    const target = (args: Record<string, string>) => ({ executor: 'nx-image-graph:build', metadata: { 'nx-image-graph-settings': { args } } });
    const warnings = secretArgWarnings([
      { configFile: 'images/asr/image.json', project: { targets: { 'docker-build-cpu': target({ HF_TOKEN: 'x', CUDA: '1' }), 'docker-build-gpu': target({ HF_TOKEN: 'y' }), other: { executor: 'x:y' } } } },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^images\/asr\/image.json: build arg "HF_TOKEN" looks like a credential: build args are kept in the image history and in the build cache/);
    expect(warnings[0].message).toContain('"secrets": { "hf_token": { "env": "HF_TOKEN" } }');
  });
});

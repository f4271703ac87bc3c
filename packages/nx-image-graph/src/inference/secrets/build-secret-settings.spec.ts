import { buildSecretSettings, secretDigestInputs } from './build-secret-settings';

describe('build secret settings', () => {
  const manifest = {
    secrets: { hf_token: { env: 'HF_TOKEN', hashValue: true }, pipconf: { file: 'conf/pip.conf' }, home: { file: '~/.netrc' } },
    ssh: ['default'],
    variants: { cpu: {}, gpu: { secrets: { hf_token: { env: 'HF_TOKEN_GPU' } }, ssh: ['deploy=~/.ssh/deploy'] } },
  };

  it("merges a variant's secrets over the image's, paths made workspace-relative", () => {
    expect(buildSecretSettings(manifest, 'images/asr', 'cpu')).toEqual({
      secrets: {
        hf_token: { env: 'HF_TOKEN', hashValue: true },
        pipconf: { file: 'images/asr/conf/pip.conf' },
        home: { file: '~/.netrc' },
      },
      sshAgents: ['default'],
    });
    expect(buildSecretSettings(manifest, 'images/asr', 'gpu')).toMatchObject({
      secrets: { hf_token: { env: 'HF_TOKEN_GPU' } },
      sshAgents: ['deploy=~/.ssh/deploy'],
    });
    expect(buildSecretSettings({}, 'images/x')).toEqual({});
  });

  it('hashes a digest of only the secrets marked hashValue, through a runtime input naming the source', () => {
    expect(secretDigestInputs(manifest, 'images/asr', 'cpu')).toEqual([
      { runtime: "node node_modules/nx-image-graph/bin/secret-digest.js hf_token env 'HF_TOKEN'" },
    ]);
    expect(secretDigestInputs(manifest, 'images/asr', 'gpu')).toEqual([]);
  });
});

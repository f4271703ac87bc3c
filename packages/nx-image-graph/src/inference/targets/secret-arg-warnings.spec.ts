import { BUILD_COMMAND } from './build-command';
import { secretArgWarnings } from './secret-arg-warnings';

describe('graph-time warnings for secret-looking build args', () => {
  it('warns once per manifest and arg at graph time, pointing to secrets', () => {
    const target = (args: Record<string, string>) => ({
      executor: 'nx:run-commands',
      options: { command: BUILD_COMMAND },
      metadata: { 'nx-image-graph-settings': { args } },
    });
    const warnings = secretArgWarnings([
      {
        configFile: 'images/asr/image.json',
        project: {
          targets: {
            'docker-build-cpu': target({ HF_TOKEN: 'x', CUDA: '1' }),
            'docker-build-gpu': target({ HF_TOKEN: 'y' }),
            other: { executor: 'x:y' },
          },
        },
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(
      /^images\/asr\/image.json: build arg "HF_TOKEN" looks like a credential: build args are kept in the image history and in the build cache/,
    );
    expect(warnings[0].message).toContain('"secrets": { "hf_token": { "env": "HF_TOKEN" } }');
  });

  it('reads hand-written executor targets too', () => {
    const warnings = secretArgWarnings([
      {
        configFile: 'images/a/image.json',
        project: { targets: { b: { executor: 'nx-image-graph:build', options: { args: { API_KEY: 'k' } } } } },
      },
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^images\/a\/image.json: build arg "API_KEY" looks like a credential/),
    ]);
  });
});

import { ManifestError, parseManifest } from './read-manifest';

const file = 'images/asr/image.json';

function errorOf(text: string): string {
  try {
    parseManifest(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as Error).message;
  }
  throw new Error('expected a ManifestError');
}

describe('parseManifest', () => {
  it('accepts an empty manifest: a bare Dockerfile is enough', () => {
    expect(parseManifest('{}', file)).toEqual({});
  });

  it('reads a full manifest with variants, checks and registries', () => {
    const m = parseManifest(
      JSON.stringify({
        name: 'asr',
        repository: 'acme/asr',
        tags: ['{variant}', '{git.shortSha}-{variant}'],
        context: '../..',
        inputs: ['../../src/asr/**/*.py'],
        args: { PYTHON: '3.11' },
        variants: {
          cuda: { args: { BASE_IMAGE: 'acme/base:cuda' } },
          cpu: { args: { BASE_IMAGE: 'acme/base:cpu' }, tags: ['cpu'] },
        },
        registries: ['127.0.0.1:5000'],
        checks: [{ type: 'command', command: ['python', '-V'], outputMatches: '3\\.11' }],
      }),
      file,
    );
    expect(m.variants?.cpu.args).toEqual({ BASE_IMAGE: 'acme/base:cpu' });
    expect(m.checks?.[0]).toMatchObject({ type: 'command' });
  });

  it('names the file and the field of a wrong type', () => {
    const message = errorOf('{"variants": {"cpu": {"args": {"BASE_IMAGE": 3}}}}');
    expect(message).toContain(file);
    expect(message).toContain('variants.cpu.args.BASE_IMAGE');
    expect(message).toContain('variants.cpu.args.BASE_IMAGE: must be a string; got 3');
  });

  it('names an unknown field and says what to do', () => {
    const message = errorOf('{"dockerFile": "Dockerfile"}');
    expect(message).toContain('unknown field "dockerFile"');
    expect(message).toContain('check the spelling');
  });

  it('rejects an upper-case repository with the expected form', () => {
    expect(errorOf('{"repository": "Acme/Base"}')).toContain('repository: "Acme/Base" is not an image repository such as acme/base');
  });

  it('reports every problem at once', () => {
    const message = errorOf('{"pull": "sometimes", "tags": [""], "checks": [{"type": "file", "path": "relative"}]}');
    expect(message).toContain('pull:');
    expect(message).toContain('tags[0]:');
    expect(message).toContain('checks[0].path: "relative" is not an absolute path inside the image');
  });

  it('reports broken JSON with the file name and no stack trace', () => {
    const message = errorOf('{"name": ');
    expect(message).toMatch(/^images\/asr\/image\.json: not valid JSON/);
    expect(message).not.toMatch(/\n\s+at /);
  });
});

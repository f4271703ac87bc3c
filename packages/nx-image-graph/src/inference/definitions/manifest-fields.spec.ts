import { manifestFieldsInput } from './manifest-fields';

describe('manifestFieldsInput: the manifest as one build reads it', () => {
  it('an image without variants hashes its manifest less what no build reads', () => {
    expect(manifestFieldsInput('images/a/image.json', 'build')).toEqual({
      json: '{workspaceRoot}/images/a/image.json',
      excludeFields: ['$schema', 'version', 'checks', 'registries', 'contentTag', 'inputs', 'timeoutMinutes', 'variants'],
    });
  });

  it("a variant's build leaves out the other variants and its own push and check fields", () => {
    expect(manifestFieldsInput('images/a/image.json', 'build', 'cuda', ['cuda', 'cpu', 'rocm'])).toEqual({
      json: '{workspaceRoot}/images/a/image.json',
      excludeFields: [
        '$schema',
        'version',
        'checks',
        'registries',
        'contentTag',
        'inputs',
        'timeoutMinutes',
        'variants.cpu',
        'variants.rocm',
        'variants.cuda.checks',
        'variants.cuda.contentTag',
      ],
    });
  });

  it('a dotted variant name, which Nx dot paths cannot address, stays in every build of the image', () => {
    const own = manifestFieldsInput('image.json', 'build', 'v1.2', ['v1.2', 'cpu']) as { excludeFields: string[] };
    expect(own.excludeFields).toEqual([
      '$schema',
      'version',
      'checks',
      'registries',
      'contentTag',
      'inputs',
      'timeoutMinutes',
      'variants.cpu',
    ]);
    const other = manifestFieldsInput('image.json', 'build', 'cpu', ['v1.2', 'cpu']) as { excludeFields: string[] };
    expect(other.excludeFields).not.toContain('variants.v1.2');
  });

  it('a validation reads the checks only', () => {
    expect(manifestFieldsInput('image.json', 'checks', 'cpu', ['cpu'])).toEqual({
      json: '{workspaceRoot}/image.json',
      fields: ['checks', 'variants.cpu.checks'],
    });
  });
});

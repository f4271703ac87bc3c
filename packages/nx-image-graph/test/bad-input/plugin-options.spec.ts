import { normalizeOptions, PluginOptionsError } from '../../src/inference/options/plugin-options';
import { pluginOptionsSchema } from '../../src/inference/options/plugin-options-schema';
import { expectGoodImagesLoad, inferWorkspace } from './test-support/bad-input-workspace';

/**
 * Bad plugin options make every image wrong, so they fail the graph with one message naming
 * nx.json and the option (Nx prints it under "An error occurred while processing files for the
 * nx-image-graph plugin", without a stack trace; bad-input.e2e.ts checks that with the real CLI).
 */
/** Every option, as the unknown-option message lists them. */
const OPTIONS = Object.keys(pluginOptionsSchema.shape).join(', ');

const cases: [string, unknown, string][] = [
  [
    '"dockerfiles" as a string',
    { dockerfiles: 'Dockerfile' },
    'nx.json: nx-image-graph option "dockerfiles" must be a list (JSON array) of file names, e.g. ["Dockerfile"]; got "Dockerfile"',
  ],
  [
    '"dockerfiles" empty',
    { dockerfiles: [] },
    'nx.json: nx-image-graph option "dockerfiles" must be at least one Dockerfile name, e.g. ["Dockerfile"]; got []',
  ],
  [
    '"dockerfiles" naming a file the plugin does not watch',
    { dockerfiles: ['Buildfile'] },
    'nx.json: nx-image-graph option "dockerfiles"[0] must be a Dockerfile name the plugin watches: Dockerfile, Containerfile, Dockerfile.*, Containerfile.*, *.Dockerfile or *.Containerfile; got "Buildfile"',
  ],
  [
    '"outputDir" a number',
    { outputDir: 5 },
    'nx.json: nx-image-graph option "outputDir" must be a string: a directory inside the workspace, e.g. "dist"; got 5',
  ],
  [
    '"outputDir" outside the workspace',
    { outputDir: '../out' },
    'nx.json: nx-image-graph option "outputDir" must be a directory inside the workspace, relative to it, e.g. "dist"; got "../out"',
  ],
  [
    '"outputDir" absolute',
    { outputDir: '/tmp/out' },
    'nx.json: nx-image-graph option "outputDir" must be a directory inside the workspace, relative to it, e.g. "dist"; got "/tmp/out"',
  ],
  [
    '"outputDir" empty',
    { outputDir: '' },
    'nx.json: nx-image-graph option "outputDir" must be a directory inside the workspace, relative to it, e.g. "dist"; got ""',
  ],
  [
    '"registries" as a string',
    { registries: 'host' },
    'nx.json: nx-image-graph option "registries" must be a list (JSON array) of registries, e.g. ["registry.example.com"]; got "host"',
  ],
  [
    'a registry with a scheme',
    { registries: ['https://registry.example.com'] },
    'nx.json: nx-image-graph option "registries"[0] must be a registry such as "registry.example.com" or "localhost:5000/team"; got "https://registry.example.com"',
  ],
  [
    '"hashExternalBases": "no"',
    { hashExternalBases: 'no' },
    'nx.json: nx-image-graph option "hashExternalBases" must be true or false; got "no"',
  ],
  [
    '"buildTargetName" empty',
    { buildTargetName: '' },
    'nx.json: nx-image-graph option "buildTargetName" must be a target name: letters, digits, ".", "_" and "-", e.g. "docker-build"; got ""',
  ],
  [
    '"buildTargetName" with a colon',
    { buildTargetName: 'docker:build' },
    'nx.json: nx-image-graph option "buildTargetName" must be a target name: letters, digits, ".", "_" and "-", e.g. "docker-build"; got "docker:build"',
  ],
  [
    'two targets with one name',
    { pushTargetName: 'docker-build' },
    'nx.json: nx-image-graph options "buildTargetName" and "pushTargetName" are both "docker-build"; give each target its own name',
  ],
  [
    'a manifest name the plugin does not watch',
    { manifest: 'images.json' },
    'nx.json: nx-image-graph option "manifest" must be a manifest file name the plugin watches: "image.json" or a name ending in ".image.json"; got "images.json"',
  ],
  [
    '"ignoredOwners" with a slash',
    { ignoredOwners: ['acme/'] },
    'nx.json: nx-image-graph option "ignoredOwners"[0] must be an owner prefix such as "acme" (lower case, no "/"); got "acme/"',
  ],
  [
    'an unknown option',
    { outputdir: 'dist' },
    `nx.json: nx-image-graph has no option "outputdir"; remove it or check the spelling (options: ${OPTIONS})`,
  ],
  [
    'options that are not an object',
    'dist',
    'nx.json: the "options" of plugin nx-image-graph must be an object, e.g. { "outputDir": "dist" }; got "dist"',
  ],
];

describe('bad input: plugin options', () => {
  it.each(cases)('%s', (_, options, message) => {
    let error: unknown;
    try {
      normalizeOptions(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginOptionsError);
    expect((error as Error).message).toBe(message);
  });

  it('says every bad option at once, one line each', () => {
    expect(() => normalizeOptions({ dockerfiles: 'Dockerfile', outputDir: 5, bogus: true })).toThrow(
      [
        'nx.json: nx-image-graph option "dockerfiles" must be a list (JSON array) of file names, e.g. ["Dockerfile"]; got "Dockerfile"',
        'nx.json: nx-image-graph option "outputDir" must be a string: a directory inside the workspace, e.g. "dist"; got 5',
        `nx.json: nx-image-graph has no option "bogus"; remove it or check the spelling (options: ${OPTIONS})`,
      ].join('\n'),
    );
  });

  it('valid options load the images as before (no option is dropped or changed quietly)', () => {
    const r = inferWorkspace(
      {},
      {
        outputDir: 'out/',
        dockerfiles: ['Dockerfile', 'Dockerfile.*'],
        manifest: 'image.json',
        hashExternalBases: false,
        registries: ['localhost:5000/team'],
      },
    );
    expect(r.problems).toEqual([]);
    expectGoodImagesLoad(r);
    expect(normalizeOptions({ outputDir: './out/' }).outputDir).toBe('out');
  });
});

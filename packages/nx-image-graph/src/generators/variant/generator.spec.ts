import { settingsOf } from '../../inference/targets/target-settings';
import { readJson, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureLogs, exampleWorkspace, inferFromTree, REPO_ROOT, write } from '../test-support/workspace';
import variantGenerator from './generator';

describe('variant generator', () => {
  let tree: Tree;
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    tree = exampleWorkspace();
    logs = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  describe('CPU fallback of a CUDA image (seed 003), from a CUDA-only manifest', () => {
    it.each(['asr', 'pyannote-vad', 'second-pass-translation', 'lyrics-detection', 'silero-vad'])(
      '%s: --from-parent=ml-base sets BASE_IMAGE to the cpu build, and the existing build becomes variant cuda',
      async (stage) => {
        const root = `images/stages/gpu/${stage}`;
        write(tree, {
          [`${root}/image.json`]: JSON.stringify({
            $schema: '../../../../node_modules/nx-image-graph/image.schema.json',
            name: stage,
            repository: `acme/${stage}`,
            tags: ['cuda'],
          }),
        });
        await variantGenerator(tree, { project: stage, name: 'cpu', fromParent: 'ml-base' });
        expect(readJson(tree, `${root}/image.json`)).toEqual({
          $schema: '../../../../node_modules/nx-image-graph/image.schema.json',
          name: stage,
          repository: `acme/${stage}`,
          variants: {
            cuda: { args: { BASE_IMAGE: 'acme/ml-base:cuda' }, tags: ['cuda'] },
            cpu: { args: { BASE_IMAGE: 'acme/ml-base:cpu' } },
          },
        });
        // The Dockerfile already took its parent from an ARG: untouched.
        expect(tree.read(`${root}/Dockerfile`, 'utf-8')).toBe(readFileSync(join(REPO_ROOT, root, 'Dockerfile'), 'utf8'));
        const { edges, projects } = inferFromTree(tree);
        expect(edges).toContain(`${stage}:docker-build-cuda -> ml-base:docker-build-cuda`);
        expect(edges).toContain(`${stage}:docker-build-cpu -> ml-base:docker-build-cpu`);
        const targets = projects.find((p) => p.project.name === stage)!.project.targets!;
        expect(settingsOf(targets['docker-build-cpu'])).toMatchObject({
          repository: `acme/${stage}`,
          tags: ['{variant}'],
          args: { BASE_IMAGE: 'acme/ml-base:cpu' },
        });
        expect(settingsOf(targets['docker-build-cuda'])).toMatchObject({ tags: ['cuda'] });
        expect(logs.text()).toContain(`${stage}: the existing build is now variant cuda, with its tags (cuda).`);
      },
    );

    it('a default built from another ARG (diarization) keeps working: the cuda variant inherits it', async () => {
      write(tree, {
        'images/stages/gpu/diarization/image.json': JSON.stringify({ name: 'diarization', repository: 'acme/diarization', tags: ['cuda'] }),
      });
      await variantGenerator(tree, { project: 'diarization', name: 'cpu', fromParent: 'acme/ml-base:cpu' });
      expect(readJson(tree, 'images/stages/gpu/diarization/image.json').variants).toEqual({
        cuda: { tags: ['cuda'] },
        cpu: { args: { BASE_IMAGE: 'acme/ml-base:cpu' } },
      });
      expect(inferFromTree(tree).edges).toEqual(
        expect.arrayContaining([
          'diarization:docker-build-cuda -> ml-base:docker-build-cuda',
          'diarization:docker-build-cpu -> ml-base:docker-build-cpu',
        ]),
      );
    });
  });

  it('an image with no manifest and a literal FROM: the FROM becomes an ARG, the manifest is created, tags are kept', async () => {
    write(tree, { 'images/whisper/Dockerfile': 'FROM acme/base:cuda AS whisper\nRUN true\n' });
    await variantGenerator(tree, { project: 'whisper', name: 'cpu', fromParent: 'base-cpu' });
    expect(tree.read('images/whisper/Dockerfile', 'utf-8')).toBe(
      '# The parent image, as an ARG so a variant in image.json can build this file on another parent.\nARG BASE_IMAGE=acme/base:cuda\nFROM ${BASE_IMAGE} AS whisper\nRUN true\n',
    );
    expect(readJson(tree, 'images/whisper/image.json')).toEqual({
      $schema: '../../node_modules/nx-image-graph/image.schema.json',
      variants: { default: { args: { BASE_IMAGE: 'acme/base:cuda' }, tags: ['latest'] }, cpu: { args: { BASE_IMAGE: 'acme/base:cpu' } } },
    });
    expect(inferFromTree(tree).edges).toEqual(
      expect.arrayContaining([
        'whisper:docker-build-default -> base-cuda:docker-build',
        'whisper:docker-build-cpu -> base-cpu:docker-build',
      ]),
    );
    expect(logs.text()).toContain('images/whisper/Dockerfile: FROM acme/base:cuda now reads ARG BASE_IMAGE');
  });

  it('names the existing build as asked, and sets only the tag when the FROM takes only its tag from the ARG', async () => {
    write(tree, { 'images/lin2/Dockerfile': 'ARG BASE_TAG=ampere-cu126-torch2.7.1-fav2\nFROM acme/linnaeus-base:${BASE_TAG}\n' });
    await variantGenerator(tree, { project: 'lin2', name: 'hopper', fromParent: 'linnaeus-base:hopper', existingName: 'ampere' });
    expect(readJson(tree, 'images/lin2/image.json').variants).toEqual({
      ampere: { args: { BASE_TAG: 'ampere-cu126-torch2.7.1-fav2' }, tags: ['latest'] },
      hopper: { args: { BASE_TAG: 'hopper-cu128-torch2.8.0rc0-fav3' } },
    });
    expect(inferFromTree(tree).edges).toEqual(
      expect.arrayContaining([
        'lin2:docker-build-hopper -> linnaeus-base:docker-build-hopper',
        'lin2:docker-build-ampere -> linnaeus-base:docker-build-ampere',
      ]),
    );
  });

  it('adds a variant by --args to an image that has variants, inheriting {variant} tags', async () => {
    await variantGenerator(tree, { project: 'ml-base', name: 'slim', args: ['BASE_IMAGE=debian:bookworm-slim'] });
    const manifest = readJson(tree, 'images/ml-base/image.json');
    expect(Object.keys(manifest.variants)).toEqual(['cuda', 'cpu', 'slim']);
    expect(manifest.variants.slim).toEqual({ args: { BASE_IMAGE: 'debian:bookworm-slim' } });
    const ml = inferFromTree(tree).projects.find((p) => p.project.name === 'ml-base')!;
    expect(Object.keys(ml.project.targets!)).toEqual(
      expect.arrayContaining(['docker-build-cuda', 'docker-build-cpu', 'docker-build-slim', 'docker-build']),
    );
  });

  it('spells out the variants a directory had by Dockerfile name', async () => {
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = [{ plugin: 'nx-image-graph', include: ['images/**'], options: { dockerfiles: ['Dockerfile', 'Dockerfile.*'] } }];
    updateNxJson(tree, nxJson);
    write(tree, { 'images/tool/Dockerfile.cpu': 'FROM acme/base:cpu\n', 'images/tool/Dockerfile.cuda': 'FROM acme/base:cuda\n' });
    await variantGenerator(tree, { project: 'tool', name: 'debug', args: ['DEBUG=1'] });
    expect(readJson(tree, 'images/tool/image.json').variants).toEqual({
      cpu: { dockerfile: 'Dockerfile.cpu' },
      cuda: { dockerfile: 'Dockerfile.cuda' },
      debug: { args: { DEBUG: '1' } },
    });
    expect(inferFromTree(tree).edges).toEqual(
      expect.arrayContaining(['tool:docker-build-cuda -> base-cuda:docker-build', 'tool:docker-build-cpu -> base-cpu:docker-build']),
    );
  });

  it('refuses what would not work, and writes nothing', async () => {
    const before = tree.read('images/stages/gpu/asr/image.json', 'utf-8');
    await expect(variantGenerator(tree, { project: 'asrr', name: 'cpu' })).rejects.toThrow(
      /"asrr" is not an image project\.\nworkspace images:\n[\s\S]*asr \(cuda: acme\/asr:cuda; cpu: acme\/asr:cpu\)/,
    );
    await expect(variantGenerator(tree, { project: 'asr', name: 'cpu' })).rejects.toThrow(
      'asr already has a variant "cpu" (variants: cuda, cpu)',
    );
    await expect(variantGenerator(tree, { project: 'asr', name: 'CPU!' })).rejects.toThrow('is not a variant name');
    await expect(variantGenerator(tree, { project: 'asr', name: 'rocm', fromParent: 'ml-base:rocm' })).rejects.toThrow(
      'ml-base has no variant "rocm"',
    );
    await expect(variantGenerator(tree, { project: 'asr', name: 'rocm', fromParent: 'acme/ml-bse:rocm' })).rejects.toThrow(
      'looks like a workspace image',
    );
    await expect(variantGenerator(tree, { project: 'asr', name: 'rocm', args: ['not-an-arg'] })).rejects.toThrow(
      '--args "not-an-arg" is not NAME=value',
    );
    await expect(variantGenerator(tree, { project: 'asr', name: 'rocm', tags: ['cuda'] })).rejects.toThrow(
      'Variants cuda and rocm of asr would both be tagged acme/asr:cuda',
    );
    await expect(
      variantGenerator(tree, { project: 'asr', name: 'c2', fromParent: 'ml-base:cpu', args: ['BASE_IMAGE=x:1'] }),
    ).rejects.toThrow('--args sets BASE_IMAGE=x:1, but --from-parent needs BASE_IMAGE=acme/ml-base:cpu');
    await expect(variantGenerator(tree, { project: 'demux', name: 'cpu', existingName: 'cpu' })).rejects.toThrow(
      'The existing build would also be named "cpu"',
    );
    expect(tree.read('images/stages/gpu/asr/image.json', 'utf-8')).toBe(before);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDockerfile } from '../../inference/dockerfile';
import { REPO_ROOT } from '../test-support/workspace';
import { argValueFor, findParentArg, parentReferenceUnder, rewriteLiteralFrom } from './parent-arg';

const model = (text: string) => readDockerfile(text, 'Dockerfile');

describe('findParentArg', () => {
  it.each(['asr', 'diarization', 'lyrics-detection', 'pyannote-vad', 'second-pass-translation', 'silero-vad'])(
    'finds BASE_IMAGE in the example GPU stage %s, however its FROM is written',
    (stage) => {
      const m = model(readFileSync(join(REPO_ROOT, 'images/stages/gpu', stage, 'Dockerfile'), 'utf8'));
      const arg = findParentArg(m)!;
      expect(arg.name).toBe('BASE_IMAGE');
      expect(argValueFor(m, arg, 'acme/ml-base:cpu', {})).toBe('acme/ml-base:cpu');
    },
  );

  it('keeps a literal default only: a default built from another ARG is not one', () => {
    expect(findParentArg(model('ARG BASE_IMAGE="acme/ml-base:cuda"\nFROM ${BASE_IMAGE}\n'))?.literalDefault).toBe('acme/ml-base:cuda');
    expect(findParentArg(model('ARG P=acme\nARG BASE_IMAGE=${P}/ml-base:cuda\nFROM ${BASE_IMAGE}\n'))?.literalDefault).toBeUndefined();
  });

  it('sets only the tag when the FROM takes only its tag from the ARG (linnaeus runtime)', () => {
    const m = model('ARG BASE_TAG=ampere-cu126\nFROM acme/linnaeus-base:${BASE_TAG}\n');
    const arg = findParentArg(m)!;
    expect(arg).toMatchObject({ name: 'BASE_TAG', prefix: 'acme/linnaeus-base:', suffix: '' });
    expect(argValueFor(m, arg, 'acme/linnaeus-base:hopper-cu128', {})).toBe('hopper-cu128');
    expect(argValueFor(m, arg, 'acme/other:hopper', {})).toBeUndefined();
  });

  it('takes the first FROM that uses a global ARG, past stages built on literal images', () => {
    const m = model('ARG BASE=acme/base:cuda\nFROM busybox:1.36 AS tools\nFROM ${BASE} AS app\nCOPY --from=tools /bin/true /t\n');
    expect(findParentArg(m)).toMatchObject({ name: 'BASE', stage: 1 });
    expect(parentReferenceUnder(m, 1, { BASE: 'acme/base:cpu' })).toBe('acme/base:cpu');
  });

  it('finds none in a Dockerfile with a literal FROM', () => {
    expect(findParentArg(model('FROM acme/base:cuda\n'))).toBeUndefined();
  });
});

describe('rewriteLiteralFrom', () => {
  it('moves the literal parent into an ARG before the first FROM, keeping flags, alias and later stages', () => {
    const text = '# syntax=docker/dockerfile:1\n# the app\nFROM --platform=$BUILDPLATFORM acme/base:cuda AS build\nRUN true\nFROM build\n';
    const r = rewriteLiteralFrom(text, 'Dockerfile')!;
    expect(r).toMatchObject({ arg: 'BASE_IMAGE', from: 'acme/base:cuda' });
    expect(r.text).toBe(
      '# syntax=docker/dockerfile:1\n# the app\n# The parent image, as an ARG so a variant in image.json can build this file on another parent.\nARG BASE_IMAGE=acme/base:cuda\nFROM --platform=$BUILDPLATFORM ${BASE_IMAGE} AS build\nRUN true\nFROM build\n',
    );
    // What is built without args does not change.
    expect(parentReferenceUnder(model(r.text), 0, {})).toBe('acme/base:cuda');
  });

  it('skips scratch and picks a free ARG name', () => {
    const r = rewriteLiteralFrom('ARG BASE_IMAGE=unused\nFROM scratch AS empty\nfrom busybox:1.36\n', 'Dockerfile')!;
    expect(r.arg).toBe('PARENT_IMAGE');
    expect(r.text).toContain('ARG PARENT_IMAGE=busybox:1.36\nFROM scratch AS empty\nfrom ${PARENT_IMAGE}\n');
  });

  it('leaves alone what it cannot rewrite safely', () => {
    expect(rewriteLiteralFrom('FROM scratch\n', 'Dockerfile')).toBeUndefined();
    expect(rewriteLiteralFrom('FROM \\\n  busybox:1.36\n', 'Dockerfile')).toBeUndefined();
  });
});

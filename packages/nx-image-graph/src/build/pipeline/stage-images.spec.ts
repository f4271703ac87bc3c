import { readDockerfile } from '../../inference/dockerfile';
import { replaceStages } from './stage-images';

describe('replaceStages: a stage another image builds is taken from that image', () => {
  const text = 'ARG V=1\nFROM busybox:1.36 AS base\nRUN echo base \\\n  && echo more\nFROM base AS runtime\nCOPY app/ /app/\n';
  it('replaces the stage with its image and keeps every other line where it was', () => {
    const out = replaceStages(text, readDockerfile(text, 'Dockerfile'), new Map([['base', 'acme/linnaeus-base:ampere']]));
    expect(out).toBe('ARG V=1\nFROM acme/linnaeus-base:ampere AS base\n\n\nFROM base AS runtime\nCOPY app/ /app/\n');
  });

  it('leaves the Dockerfile alone without such a stage', () => {
    expect(replaceStages(text, readDockerfile(text, 'Dockerfile'), new Map())).toBe(text);
  });
});

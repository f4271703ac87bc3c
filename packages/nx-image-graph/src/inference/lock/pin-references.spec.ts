import { imageDependencies, readDockerfile } from '../dockerfile';
import { pinReferences } from './pin-references';

const digest = `sha256:${'a'.repeat(64)}`;
const pin = (text: string, digests: Record<string, string>, args: Record<string, string> = {}) =>
  pinReferences(text, imageDependencies(readDockerfile(text, 'Dockerfile'), args), new Map(Object.entries(digests)));

describe('the Dockerfile sent for locked bases', () => {
  it('names each locked FROM, COPY --from and RUN --mount from= by repository@digest, keeping flags, stage names and line numbers', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/p/base:1 AS build',
      'COPY --from=127.0.0.1:5000/p/base:1 /bin/sh /sh',
      'RUN --mount=type=bind,from=127.0.0.1:5000/p/base:1,target=/b true',
      'FROM busybox:1.36',
      'RUN echo 127.0.0.1:5000/p/base:1',
      '',
    ].join('\n');
    expect(pin(text, { '127.0.0.1:5000/p/base:1': digest })).toBe(
      [
        `FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/p/base@${digest} AS build`,
        `COPY --from=127.0.0.1:5000/p/base@${digest} /bin/sh /sh`,
        `RUN --mount=type=bind,from=127.0.0.1:5000/p/base@${digest},target=/b true`,
        'FROM busybox:1.36',
        'RUN echo 127.0.0.1:5000/p/base:1',
        '',
      ].join('\n'),
    );
  });

  it('writes the value of a FROM made of args, under the build args', () => {
    const text = 'ARG BASE=busybox\nARG TAG=1.36\nFROM ${BASE}:${TAG}\n';
    expect(pin(text, { 'nvidia/cuda:12.4.1': digest }, { BASE: 'nvidia/cuda', TAG: '12.4.1' })).toBe(
      `ARG BASE=busybox\nARG TAG=1.36\nFROM nvidia/cuda@${digest}\n`,
    );
  });

  it('leaves a Dockerfile without locked bases as it is', () => {
    const text = 'FROM busybox:1.36\nRUN true\n';
    expect(pin(text, {})).toBe(text);
  });
});

import { buildkitStepKind, instructionOf, stepKind } from './history-steps';

const bk = (CreatedBy: string, Size = 0) => ({ CreatedBy, Size, Comment: 'buildkit.dockerfile.v0' });
const classic = (CreatedBy: string, Size = 0) => ({ CreatedBy, Size, Comment: '' });

describe('history steps', () => {
  it('reads the instruction of BuildKit and classic steps, and none from a classic RUN', () => {
    expect(instructionOf('ENV A=1')).toBe('ENV');
    expect(instructionOf('EXPOSE map[80/tcp:{}]')).toBe('EXPOSE');
    expect(instructionOf('RUN |1 MLCORE_VERSION=0.9.3 /bin/sh -c true # buildkit')).toBe('RUN');
    expect(instructionOf('/bin/sh -c #(nop)  ENV A=1')).toBe('ENV');
    expect(instructionOf('/bin/sh -c #(nop) COPY file:7c60 in /app/empty.txt ')).toBe('COPY');
    expect(instructionOf('/bin/sh -c touch /app')).toBeUndefined();
    expect(instructionOf('|1 DEBIAN_FRONTEND=noninteractive /bin/sh -c apt-get update')).toBeUndefined();
    expect(instructionOf('')).toBeUndefined();
  });

  it('a step with bytes is a layer, a metadata-only step never is, any other step of size 0 may be', () => {
    expect(stepKind(classic('/bin/sh -c dd if=/dev/urandom of=/blob', 10240))).toBe('layer');
    expect(stepKind(classic('', 1984287))).toBe('layer');
    for (const s of ['ENV A=1', 'CMD ["sh"]', 'USER nobody', 'LABEL x=y', 'ARG X=1', 'ENTRYPOINT ["/a"]'])
      expect(stepKind(bk(s))).toBe('empty');
    expect(stepKind(classic('/bin/sh -c #(nop)  CMD ["sh"]'))).toBe('empty');
    expect(stepKind(classic('/bin/sh -c #(nop) WORKDIR /app'))).toBe('either');
    expect(stepKind(classic('/bin/sh -c true'))).toBe('either');
    expect(stepKind(bk('RUN /bin/sh -c true # buildkit'))).toBe('either');
  });

  it("applies BuildKit's rules to BuildKit steps only", () => {
    expect(buildkitStepKind(bk('RUN /bin/sh -c true # buildkit'))).toBe('layer');
    expect(buildkitStepKind(bk('COPY empty.txt /app/empty.txt # buildkit'))).toBe('layer');
    expect(buildkitStepKind(bk('WORKDIR /app'))).toBe('layer');
    expect(buildkitStepKind(bk('WORKDIR /'))).toBe('empty');
    expect(buildkitStepKind(bk('CMD ["sh"]'))).toBe('empty');
    expect(buildkitStepKind(classic('/bin/sh -c #(nop) WORKDIR /app'))).toBe('either');
    expect(buildkitStepKind(classic('/bin/sh -c true'))).toBe('either');
  });
});

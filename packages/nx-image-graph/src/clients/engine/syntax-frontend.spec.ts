import { explainFrontendFailure, syntaxDirective } from './syntax-frontend';

describe('the # syntax= frontend', () => {
  it('is read from the parser directives only', () => {
    expect(syntaxDirective('# syntax=docker/dockerfile:1.7\nFROM x\n')).toBe('docker/dockerfile:1.7');
    expect(syntaxDirective('# escape=`\n# syntax = docker/dockerfile:1\nFROM x\n')).toBe('docker/dockerfile:1');
    expect(syntaxDirective('FROM x\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
    expect(syntaxDirective('# a comment\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
  });

  it('explains a frontend the engine could not get, with both fixes', () => {
    const message =
      'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: failed to resolve docker.io/docker/dockerfile:1: dial tcp: lookup registry-1.docker.io: no such host';
    const explained = explainFrontendFailure(message, '# syntax=docker/dockerfile:1\nFROM busybox\n')!;
    expect(explained).toContain(
      '"# syntax=docker/dockerfile:1" line asks the engine to pull that BuildKit frontend image, and it could not',
    );
    expect(explained).toContain('no such host');
    expect(explained).toContain('Remove the line');
    expect(explained).toContain('make docker/dockerfile:1 available to the engine');
  });

  it('leaves other failures alone', () => {
    expect(
      explainFrontendFailure('executor failed running [/bin/sh -c exit 3]: exit code: 3', '# syntax=docker/dockerfile:1\nFROM x\n'),
    ).toBeUndefined();
    expect(explainFrontendFailure('failed to solve with frontend dockerfile.v0: x', 'FROM x\n')).toBeUndefined();
  });
});

import {
  compilePattern,
  envValue,
  invalidPattern,
  judgeCommand,
  judgeEntrypoint,
  judgeEnv,
  judgeFile,
  judgeUser,
  sameUser,
} from './expectations';

const exited = (exitCode: number, output = '') => ({ kind: 'exited' as const, exitCode, output, truncated: false });

describe('command expectations', () => {
  it('passes on the expected exit code (0 by default) and a matching output', () => {
    expect(judgeCommand({ type: 'command', command: ['true'] }, exited(0))).toEqual({
      passed: true,
      expected: 'exit code 0',
      actual: 'exit code 0',
    });
    expect(judgeCommand({ type: 'command', command: ['x'], exitCode: 4, outputMatches: 'boom' }, exited(4, 'start\nboom\n'))).toEqual({
      passed: true,
      expected: 'exit code 4 and output matching /boom/',
      actual: 'exit code 4, output matches',
    });
  });

  it('fails with the exit code, whether the output matched, and the output', () => {
    const v = judgeCommand({ type: 'command', command: ['x'], outputMatches: 'ready' }, exited(4, 'starting\nboom\n'));
    expect(v).toEqual({
      passed: false,
      expected: 'exit code 0 and output matching /ready/',
      actual: 'exit code 4, output does not match',
      output: 'starting\nboom',
    });
    expect(judgeCommand({ type: 'command', command: ['x'], outputMatches: 'ready' }, exited(0, 'nope'))).toMatchObject({
      passed: false,
      actual: 'exit code 0, output does not match',
    });
  });

  it('anchors ^ and $ at lines of the output', () => {
    expect(
      judgeCommand({ type: 'command', command: ['x'], outputMatches: '^Python 3\\.\\d+\\.\\d+$' }, exited(0, 'warning: x\nPython 3.11.4\n'))
        .passed,
    ).toBe(true);
  });

  it('reports a timeout and a container that did not start', () => {
    expect(
      judgeCommand(
        { type: 'command', command: ['sleep', '9'] },
        { kind: 'timed-out', timeoutSeconds: 2, output: 'waiting', truncated: false },
      ),
    ).toEqual({
      passed: false,
      expected: 'exit code 0',
      actual: 'timed out after 2s (the container was killed)',
      output: 'waiting',
    });
    expect(
      judgeCommand(
        { type: 'command', command: ['nope'] },
        { kind: 'not-started', message: 'the container did not start: exec: "nope": not found' },
      ),
    ).toMatchObject({
      passed: false,
      actual: 'the container did not start: exec: "nope": not found',
    });
  });

  it('says when only the end of a long output was matched', () => {
    expect(judgeCommand({ type: 'command', command: ['x'], outputMatches: 'a' }, { ...exited(0, 'b'), truncated: true }).actual).toMatch(
      /only its end was kept/,
    );
  });
});

describe('patterns', () => {
  it('finds an invalid pattern before anything runs', () => {
    expect(invalidPattern({ type: 'command', command: ['x'], outputMatches: '(' })).toMatch(/^\/\(\/ is not a valid regular expression/);
    expect(invalidPattern({ type: 'env', variable: 'X', matches: '[' })).toMatch(/not a valid regular expression/);
    expect(invalidPattern({ type: 'command', command: ['x'], outputMatches: 'ok' })).toBeUndefined();
    expect(invalidPattern({ type: 'user', equals: 'x' })).toBeUndefined();
    expect(compilePattern('a+', 'm')).toEqual(/a+/m);
  });
});

describe('file expectations', () => {
  it('passes on the right kind, or anything for "any"', () => {
    expect(judgeFile({ type: 'file', path: '/etc', kind: 'directory' }, { found: true, kind: 'directory', via: [] })).toEqual({
      passed: true,
      expected: 'a directory at /etc',
      actual: 'a directory',
    });
    expect(judgeFile({ type: 'file', path: '/bin/sh' }, { found: true, kind: 'file', via: ['/bin/busybox'] })).toEqual({
      passed: true,
      expected: 'something at /bin/sh',
      actual: 'a symlink to /bin/busybox: a regular file',
    });
  });

  it('fails with what is there instead', () => {
    expect(judgeFile({ type: 'file', path: '/etc', kind: 'file' }, { found: true, kind: 'directory', via: [] })).toEqual({
      passed: false,
      expected: 'a regular file at /etc',
      actual: 'a directory',
    });
    expect(judgeFile({ type: 'file', path: '/missing', kind: 'file' }, { found: false, via: [] })).toMatchObject({
      passed: false,
      actual: 'nothing (no such file or directory)',
    });
    expect(judgeFile({ type: 'file', path: '/l' }, { found: false, via: ['/gone'] })).toMatchObject({
      passed: false,
      actual: 'a symlink to /gone, which does not exist',
    });
    expect(judgeFile({ type: 'file', path: '/l' }, { found: false, via: ['/a', '/l'], loop: true })).toMatchObject({
      passed: false,
      actual: expect.stringMatching(/^too many levels of symlinks/),
    });
  });
});

describe('env expectations', () => {
  const config = { Env: ['PATH=/usr/bin:/bin', 'MODE=production', 'EMPTY=', 'MODE=staging', 'BARE'] };

  it('reads the last value of a variable, as the engine does', () => {
    expect(envValue(config.Env, 'MODE')).toBe('staging');
    expect(envValue(config.Env, 'EMPTY')).toBe('');
    expect(envValue(config.Env, 'BARE')).toBe('');
    expect(envValue(config.Env, 'MISSING')).toBeUndefined();
    expect(envValue(null, 'PATH')).toBeUndefined();
  });

  it('checks equals, matches, both, or only that it is set', () => {
    expect(judgeEnv({ type: 'env', variable: 'MODE', equals: 'staging' }, config)).toEqual({
      passed: true,
      expected: 'MODE="staging"',
      actual: 'MODE="staging"',
    });
    expect(judgeEnv({ type: 'env', variable: 'MODE', equals: 'production' }, config)).toEqual({
      passed: false,
      expected: 'MODE="production"',
      actual: 'MODE="staging"',
    });
    expect(judgeEnv({ type: 'env', variable: 'PATH', matches: '(^|:)/usr/bin(:|$)' }, config).passed).toBe(true);
    expect(judgeEnv({ type: 'env', variable: 'MODE', equals: 'staging', matches: '^prod' }, config)).toMatchObject({
      passed: false,
      expected: 'MODE="staging" and MODE matching /^prod/',
    });
    expect(judgeEnv({ type: 'env', variable: 'EMPTY' }, config)).toMatchObject({ passed: true, expected: 'EMPTY set' });
    expect(judgeEnv({ type: 'env', variable: 'MISSING', equals: 'x' }, config)).toEqual({
      passed: false,
      expected: 'MISSING="x"',
      actual: 'MISSING not set',
    });
  });
});

describe('user expectations', () => {
  it('takes no USER, root and uid 0 as the same user', () => {
    expect(sameUser('root', '')).toBe(true);
    expect(sameUser('0', 'root:root')).toBe(true);
    expect(sameUser('app', 'app')).toBe(true);
    expect(sameUser('app', '1000')).toBe(false);
    expect(sameUser('root', 'app')).toBe(false);
  });

  it('says what the image sets', () => {
    expect(judgeUser({ type: 'user', equals: 'root' }, { User: '' })).toEqual({
      passed: true,
      expected: 'user "root"',
      actual: 'no USER set (root)',
    });
    expect(judgeUser({ type: 'user', equals: 'app' }, {})).toEqual({ passed: false, expected: 'user "app"', actual: 'no USER set (root)' });
    expect(judgeUser({ type: 'user', equals: 'app' }, { User: 'nobody' })).toEqual({
      passed: false,
      expected: 'user "app"',
      actual: 'user "nobody"',
    });
  });
});

describe('entrypoint expectations', () => {
  it('compares the whole array', () => {
    expect(judgeEntrypoint({ type: 'entrypoint', equals: ['/bin/false'] }, { Entrypoint: ['/bin/false'] })).toEqual({
      passed: true,
      expected: 'entrypoint ["/bin/false"]',
      actual: 'entrypoint ["/bin/false"]',
    });
    expect(judgeEntrypoint({ type: 'entrypoint', equals: ['/init'] }, { Entrypoint: ['/init', '--'] })).toMatchObject({
      passed: false,
      actual: 'entrypoint ["/init","--"]',
    });
    expect(judgeEntrypoint({ type: 'entrypoint', equals: [] }, { Entrypoint: null })).toEqual({
      passed: true,
      expected: 'entrypoint []',
      actual: 'no entrypoint',
    });
    expect(judgeEntrypoint({ type: 'entrypoint', equals: ['/init'] }, {})).toMatchObject({ passed: false, actual: 'no entrypoint' });
  });
});

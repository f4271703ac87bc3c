import { checkName } from './check-name';

describe('checkName', () => {
  it('uses the name the manifest gives', () => {
    expect(checkName({ type: 'command', name: 'python runs', command: ['python', '-V'] })).toBe('python runs');
  });

  it('names an unnamed check by what it checks', () => {
    expect(checkName({ type: 'command', command: ['python', '-V'] })).toBe('command ["python","-V"]');
    expect(checkName({ type: 'file', path: '/etc/passwd' })).toBe('file /etc/passwd');
    expect(checkName({ type: 'file', path: '/etc', kind: 'directory' })).toBe('file /etc (directory)');
    expect(checkName({ type: 'file', path: '/x', kind: 'any' })).toBe('file /x');
    expect(checkName({ type: 'env', variable: 'PATH' })).toBe('env PATH');
    expect(checkName({ type: 'env', variable: 'MODE', equals: 'prod' })).toBe('env MODE="prod"');
    expect(checkName({ type: 'env', variable: 'LANG', matches: 'UTF-8$' })).toBe('env LANG ~ /UTF-8$/');
    expect(checkName({ type: 'user', equals: 'app' })).toBe('user "app"');
    expect(checkName({ type: 'entrypoint', equals: ['/init', '--'] })).toBe('entrypoint ["/init","--"]');
  });
});

import { parsePlanArgs } from './plan-cli';

describe('parsePlanArgs', () => {
  it('reads the target, the projects and --json, in either form', () => {
    expect(parsePlanArgs(['-t', 'docker-build', '--projects=a,b', '--json'])).toEqual({
      target: 'docker-build',
      projects: ['a', 'b'],
      json: true,
    });
    expect(parsePlanArgs(['--target=docker-build', '-p', 'a'])).toEqual({ target: 'docker-build', projects: ['a'], json: false });
  });

  it('passes the affected flags on to nx', () => {
    expect(parsePlanArgs(['-t', 'docker-build', '--affected', '--base=main', '--uncommitted'])).toEqual({
      target: 'docker-build',
      affected: ['--base=main', '--uncommitted'],
      json: false,
    });
  });

  it('refuses what it cannot do, naming it', () => {
    expect(() => parsePlanArgs([])).toThrow('name the target to plan: -t docker-build');
    expect(() => parsePlanArgs(['-t', 'docker-build', '--parallel=3'])).toThrow('unknown option "--parallel=3"');
    expect(() => parsePlanArgs(['-t', 'docker-build,docker-push'])).toThrow('one target at a time');
    expect(() => parsePlanArgs(['-t', 'docker-build', '--projects=a', '--affected'])).toThrow('give one');
    expect(() => parsePlanArgs(['-t'])).toThrow('-t needs a value');
    expect(parsePlanArgs(['--help'])).toBe('help');
  });
});

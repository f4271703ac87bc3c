import { isDryRunArgv } from './dry-run-hook';

describe('dry run on the command line', () => {
  const nx = ['node', '/ws/node_modules/.bin/nx', 'run', 'app:docker-build'];
  it('sees --dry-run and --dryRun', () => {
    expect(isDryRunArgv([...nx, '--dry-run'])).toBe(true);
    expect(isDryRunArgv([...nx, '--dryRun=true'])).toBe(true);
  });
  it('sees it after -- too (Nx passes that on to the executors)', () => {
    expect(isDryRunArgv([...nx, '--', '--dry-run'])).toBe(true);
  });
  it('ignores --dry-run=false and other flags', () => {
    expect(isDryRunArgv([...nx, '--dry-run=false'])).toBe(false);
    expect(isDryRunArgv([...nx, '--dry-runner'])).toBe(false);
    expect(isDryRunArgv(nx)).toBe(false);
  });
});

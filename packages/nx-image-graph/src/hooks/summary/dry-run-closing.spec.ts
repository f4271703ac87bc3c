import { dryRunClosing } from './dry-run-closing';

const nx = (...words: string[]) => ['node', 'nx', ...words];

describe('the closing line of a dry run', () => {
  it('points at the [dry run] lines when the output style shows them', () => {
    expect(dryRunClosing(2, nx('run-many', '-t', 'docker-push', '--dry-run', '--output-style=stream'))).toBe(
      "Images: dry run, 2 image builds planned, nothing built (see each task's [dry run] lines above)",
    );
    expect(dryRunClosing(1, nx('run', 'a:docker-build', '--dry-run', '--outputStyle', 'static'))).toMatch(/lines above\)$/);
  });

  it('says how to see them when Nx may have hidden them (its default style in a CI log)', () => {
    expect(dryRunClosing(6, nx('run-many', '-t', 'docker-push', '--dry-run'))).toBe(
      'Images: dry run, 6 image builds planned, nothing built. Each task printed its [dry run] lines; where Nx did not show them, run again with --output-style=stream',
    );
  });
});

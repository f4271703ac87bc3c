import { CheckResult, countResults, formatCheckResult, formatDuration, formatFailure, formatSummary, outputExcerpt } from './check-result';

const passed: CheckResult = {
  name: 'file /etc',
  type: 'file',
  status: 'passed',
  expected: 'a directory at /etc',
  actual: 'a directory',
  durationMs: 12,
};
const failed: CheckResult = {
  name: 'ready',
  type: 'command',
  status: 'failed',
  expected: 'exit code 0 and output matching /ready/',
  actual: 'exit code 4, output does not match',
  output: 'starting\nboom',
  durationMs: 1500,
};
const notRun: CheckResult = {
  name: 'nvidia-smi',
  type: 'command',
  status: 'not-run',
  expected: 'exit code 0',
  reason: 'no GPU runtime in the engine',
  durationMs: 0,
};

describe('check results', () => {
  it('prints a pass on one line', () => {
    expect(formatCheckResult(passed)).toBe('  ✔ file /etc (12 ms)');
  });

  it('prints a failure with what was expected, what came and the output', () => {
    expect(formatCheckResult(failed).split('\n')).toEqual([
      '  ✖ ready (1.5 s)',
      '      expected: exit code 0 and output matching /ready/',
      '      actual:   exit code 4, output does not match',
      '      output:',
      '        | starting',
      '        | boom',
    ]);
  });

  it('prints a check not run with its reason', () => {
    expect(formatCheckResult(notRun)).toBe('  NOT RUN nvidia-smi (no GPU runtime in the engine)');
  });

  it('counts and sums up', () => {
    expect(countResults([passed, failed, notRun, passed])).toEqual({ passed: 2, failed: 1, notRun: 1 });
    expect(formatSummary([passed, failed, notRun, passed], 3200)).toBe('4 checks: 2 passed, 1 failed, 1 not run (3.2 s)');
    expect(formatSummary([passed], 10)).toBe('1 check: 1 passed (10 ms)');
  });

  it('names failed checks and checks not run, grouped by reason, in the closing message', () => {
    const other = { ...notRun, name: 'cuda' };
    const lines = formatFailure([passed, failed, notRun, other]).split('\n  ');
    expect(lines).toEqual([
      '1 check failed: ready',
      '2 checks not run (no GPU runtime in the engine): nvidia-smi, cuda',
      'A check that cannot run fails the target: run it where it can run, or remove it from the manifest.',
      'No results file was written.',
    ]);
  });

  it('keeps the end of long output, and shortens long lines', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const excerpt = outputExcerpt(output).split('\n');
    expect(excerpt[0]).toBe('… (10 earlier lines)');
    expect(excerpt.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
    expect(outputExcerpt('x'.repeat(210))).toBe(`${'x'.repeat(200)}… (10 more characters)`);
    expect(outputExcerpt('a\r\nb\r\n')).toBe('a\nb');
    expect(outputExcerpt('')).toBe('(no output)');
  });

  it('formats durations', () => {
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatDuration(61_000)).toBe('61.0 s');
  });
});

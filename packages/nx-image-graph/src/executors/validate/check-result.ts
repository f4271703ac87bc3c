import type { ImageCheck } from '../../inference/manifest/schema';

export type CheckStatus = 'passed' | 'failed' | 'not-run';

/** The outcome of one check, as printed and as recorded in the results file. */
export interface CheckResult {
  name: string;
  type: ImageCheck['type'];
  status: CheckStatus;
  /** What the check wants, in words ("exit code 0 and output matching /ok/"). */
  expected: string;
  /** What the image gave; absent when the check did not run. */
  actual?: string;
  /** An excerpt of a failed command's output. */
  output?: string;
  /** Why the check did not run. */
  reason?: string;
  durationMs: number;
}

export interface ResultCounts {
  passed: number;
  failed: number;
  notRun: number;
}

export function countResults(results: CheckResult[]): ResultCounts {
  return {
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    notRun: results.filter((r) => r.status === 'not-run').length,
  };
}

/** The report of one check: one line, and for a failure what was expected and what came. */
export function formatCheckResult(result: CheckResult): string {
  const took = ` (${formatDuration(result.durationMs)})`;
  if (result.status === 'passed') return `  ✔ ${result.name}${took}`;
  if (result.status === 'not-run') return `  NOT RUN ${result.name} (${result.reason})`;
  const lines = [`  ✖ ${result.name}${took}`, `      expected: ${result.expected}`, `      actual:   ${result.actual}`];
  if (result.output !== undefined) lines.push('      output:', ...result.output.split('\n').map((l) => `        | ${l}`));
  return lines.join('\n');
}

export function formatSummary(results: CheckResult[], durationMs: number): string {
  const c = countResults(results);
  const parts = [`${c.passed} passed`, ...(c.failed ? [`${c.failed} failed`] : []), ...(c.notRun ? [`${c.notRun} not run`] : [])];
  return `${results.length} check${results.length === 1 ? '' : 's'}: ${parts.join(', ')} (${formatDuration(durationMs)})`;
}

/** The closing failure message: which checks failed, which did not run and why, and that nothing was recorded. */
export function formatFailure(results: CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'failed');
  const notRun = results.filter((r) => r.status === 'not-run');
  const lines: string[] = [];
  if (failed.length) lines.push(`${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => r.name).join(', ')}`);
  const byReason = new Map<string, string[]>();
  for (const r of notRun) byReason.set(r.reason ?? '', [...(byReason.get(r.reason ?? '') ?? []), r.name]);
  for (const [reason, names] of byReason) {
    lines.push(`${names.length} check${names.length === 1 ? '' : 's'} not run (${reason}): ${names.join(', ')}`);
  }
  // A check that could not run proves nothing, so it never counts as a pass.
  if (notRun.length) lines.push('A check that cannot run fails the target: run it where it can run, or remove it from the manifest.');
  lines.push('No results file was written.');
  return lines.join('\n  ');
}

/** The end of a command's output, enough to see why it failed without flooding the log. */
export function outputExcerpt(output: string, maxLines = 20, maxLineLength = 200): string {
  const text = output.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (text === '') return '(no output)';
  const lines = text.split('\n');
  const kept = lines
    .slice(-maxLines)
    .map((l) => (l.length > maxLineLength ? `${l.slice(0, maxLineLength)}… (${l.length - maxLineLength} more characters)` : l));
  return lines.length > maxLines ? [`… (${lines.length - maxLines} earlier lines)`, ...kept].join('\n') : kept.join('\n');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

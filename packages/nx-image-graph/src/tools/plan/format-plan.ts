import { formatReasons } from '../../build/input-records/input-diff';
import type { PlanRow } from '../../build/input-records/plan-row';

const STATUSES = ['miss', 'unknown', 'remote hit', 'local hit'] as const;

/**
 * The plan as a table, in build order (parents first): task, Nx hash, cache status and why.
 * Every column labelled; with a width (a terminal), the "why" column is cut to fit it.
 */
export function formatPlan(rows: PlanRow[], target: string, remote: string, width?: number): string {
  const header = ['task', 'hash', 'cache', 'why'];
  const cells = rows.map((r) => [r.task, r.hash ?? '-', r.status, formatReasons(r.reasons)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const before = widths.slice(0, 3).reduce((n, w) => n + w + 2, 0);
  const room = width ? Math.max(8, width - before) : Infinity;
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 3 ? cut(v, room) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const counts = STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  return [
    `Plan for ${target}: ${rows.length} image build${rows.length === 1 ? '' : 's'}, parents first (remote cache: ${remote})`,
    line(header),
    line(widths.map((w, i) => '-'.repeat(i === 3 ? Math.min(w, room) : w))),
    ...cells.map(line),
    '',
    `${rows.length} image build${rows.length === 1 ? '' : 's'}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}`,
  ].join('\n');
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

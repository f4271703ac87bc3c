import type { FollowUp, SummaryRow } from './run-summary';

const ORDER = ['failed', 'skipped', 'built', 'remote cache', 'local cache'];
const FOLLOW_UPS: FollowUp[] = ['push', 'validate', 'materialize'];

/**
 * The table printed after a run: one line per image, parents first (as summaryRows orders them), totals at the bottom.
 * Every column has a label; push, validate and materialize columns appear only when such tasks
 * ran; the last column (details) is cut so a line fits `width`, as is the "why:" line under a built image.
 */
export function formatSummary(rows: SummaryRow[], width = terminalWidth()): string {
  const sorted = rows;
  const followUps = FOLLOW_UPS.filter((f) => rows.some((r) => r.after?.[f]));
  const header = ['image', 'reference', 'build', 'steps cached', 'time', 'size', ...followUps, 'details'];
  const cells = sorted.map((r) => [
    r.image,
    r.reference ?? '-',
    r.outcome,
    // A cache hit ran no step: its counts are the restored build's, in parentheses.
    r.steps ? (r.restoredSteps ? `(${r.steps.cached}/${r.steps.total})` : `${r.steps.cached}/${r.steps.total}`) : '-',
    r.outcome === 'built' && r.seconds !== undefined ? `${r.seconds.toFixed(1)}s` : '-',
    r.sizeBytes !== undefined ? formatSize(r.sizeBytes) : '-',
    ...followUps.map((f) => r.after?.[f] ?? '-'),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const last = header.length - 1;
  const before = widths.slice(0, last).reduce((n, w) => n + w + 2, 0);
  const room = Math.max(8, width - before);
  const line = (c: string[]) => c.map((v, i) => (i === last ? cut(v, room) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const counts = ORDER.map((o) => [o, rows.filter((r) => r.outcome === o).length] as const).filter(([, n]) => n > 0);
  return [
    'Images',
    line(header),
    line(widths.map((w, i) => '-'.repeat(i === last ? Math.min(w, room) : w))),
    // Why a built image was built goes on a line of its own under its row: too long for a column.
    ...cells.flatMap((c, i) => [
      line(c),
      ...(sorted[i].why ? [`  why: ${cut(sorted[i].why!, Math.max(8, width - 7))}`] : []),
      ...(sorted[i].warnings ?? []).map((w) => `  warning: ${cut(w, Math.max(8, width - 11))}`),
    ]),
    ...(rows.some((r) => r.restoredSteps) ? ['(n/m) steps cached: of the build a cache hit restored; the hit itself ran no step'] : []),
    '',
    `${rows.length} image build${rows.length === 1 ? '' : 's'}: ${counts.map(([o, n]) => `${n} ${o}`).join(', ')}`,
  ].join('\n');
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The terminal's width where known (COLUMNS where the table is written elsewhere), else 120. */
function terminalWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 120;
}

export function formatSize(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.round(n / 1e3)} kB`;
}

import type { FollowUp, SummaryRow } from './run-summary';
import { wrapText } from './wrap-text';
import { formatBytes } from '../../core/text/format-units';

const ORDER = ['failed', 'skipped', 'built', 'remote cache', 'local cache'];
const FOLLOW_UPS: FollowUp[] = ['push', 'validate', 'materialize'];
/** The narrowest the details and reference columns get before a row is stacked instead. */
const MIN_DETAILS = 12;
const MIN_REFERENCE = 20;
const GAP = '  ';
const WHY = '  why: ';
const WARNING = '  warning: ';

/**
 * The table printed after a run: one row per image build, parents first (as summaryRows orders
 * them), totals at the bottom. Every column has a label; push, validate and materialize columns
 * appear only when such tasks ran. Nothing is cut: the details and the reference wrap within the
 * width (a CI log has no terminal to widen), as do the "why:" and "warning:" lines under a row; where
 * even that leaves no room, each row is stacked as `label: value` lines.
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
    r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : '-',
    ...followUps.map((f) => r.after?.[f] ?? '-'),
    r.note ?? '',
  ]);
  const widths = columnWidths(header, cells, width);
  // Why a built image was built, and a build's warnings, go on lines of their own under its row: too long for a column.
  const under = (label: string, text: string) =>
    wrapText(text, Math.max(8, width - label.length)).map((l, i) => `${i ? ' '.repeat(label.length) : label}${l}`);
  const notes = (r: SummaryRow) => [...(r.why ? under(WHY, r.why) : []), ...(r.warnings ?? []).flatMap((w) => under(WARNING, w))];
  const body = widths
    ? [
        tableLines(header, widths),
        tableLines(
          widths.map((w) => '-'.repeat(w)),
          widths,
        ),
        ...cells.flatMap((c, i) => [...tableLines(c, widths), ...notes(sorted[i])]),
      ].flat()
    : cells.flatMap((c, i) => [...stackedLines(header, c, width), ...notes(sorted[i])]);
  const counts = ORDER.map((o) => [o, rows.filter((r) => r.outcome === o).length] as const).filter(([, n]) => n > 0);
  const footnote = rows.some((r) => r.restoredSteps)
    ? wrapText('(n/m) steps cached: of the build a cache hit restored; the hit itself ran no step', width)
    : [];
  return [
    'Images',
    ...body,
    ...footnote,
    '',
    `${rows.length} image build${rows.length === 1 ? '' : 's'}: ${counts.map(([o, n]) => `${n} ${o}`).join(', ')}`,
  ].join('\n');
}

/**
 * Each column's width: its longest cell, the details (then the reference) narrowed so a line fits
 * `width`; undefined when they cannot be narrowed enough.
 */
function columnWidths(header: string[], cells: string[][], width: number): number[] | undefined {
  const natural = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const last = header.length - 1;
  const total = (w: number[]) => w.reduce((n, x) => n + x, 0) + GAP.length * last;
  const widths = [...natural];
  const least = Math.max(header[last].length, Math.min(natural[last], MIN_DETAILS));
  widths[last] = Math.min(natural[last], Math.max(least, width - (total(widths) - widths[last])));
  if (total(widths) > width) widths[1] = Math.max(Math.min(natural[1], MIN_REFERENCE), natural[1] - (total(widths) - width));
  return total(widths) <= width ? widths : undefined;
}

/** One row: each cell wrapped to its column, as many lines as its tallest cell. */
function tableLines(cells: string[], widths: number[]): string[] {
  const wrapped = cells.map((c, i) => wrapText(c, widths[i]));
  const height = Math.max(...wrapped.map((w) => w.length));
  return Array.from({ length: height }, (_, n) =>
    wrapped
      .map((w, i) => (w[n] ?? '').padEnd(widths[i]))
      .join(GAP)
      .trimEnd(),
  );
}

/** A row too wide for any table of this width: its image on a line, then `label: value` lines. */
function stackedLines(header: string[], cells: string[], width: number): string[] {
  const lines = wrapText(`${cells[0]}: ${cells[2]}`, width);
  for (let i = 1; i < header.length; i++) {
    if (i === 2 || cells[i] === '-' || cells[i] === '') continue;
    lines.push(...wrapText(`${header[i]}: ${cells[i]}`, width - 4).map((l) => `    ${l}`));
  }
  return lines;
}

/** The terminal's width where known (COLUMNS where the table is written elsewhere), else 120. */
function terminalWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 120;
}

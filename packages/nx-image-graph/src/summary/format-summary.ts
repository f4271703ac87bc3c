import type { SummaryRow } from './run-summary';

const ORDER = ['failed', 'skipped', 'built', 'remote cache', 'local cache'];

/** The table printed after a run: one line per image, worst outcomes first, totals at the bottom. */
export function formatSummary(rows: SummaryRow[]): string {
  const sorted = [...rows].sort((a, b) => ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome) || a.image.localeCompare(b.image));
  const cells = sorted.map((r) => [
    r.image,
    r.outcome,
    r.steps ? `${r.steps.cached}/${r.steps.total}` : '',
    r.outcome === 'built' && r.seconds !== undefined ? `${r.seconds.toFixed(1)}s` : '',
    r.sizeBytes !== undefined ? formatSize(r.sizeBytes) : '',
    r.note ?? '',
  ]);
  const header = ['image', 'outcome', 'cached steps', 'time', 'size', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  const counts = ORDER.map((o) => [o, rows.filter((r) => r.outcome === o).length] as const).filter(([, n]) => n > 0);
  return [
    'Images',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `${rows.length} image build${rows.length === 1 ? '' : 's'}: ${counts.map(([o, n]) => `${n} ${o}`).join(', ')}`,
  ].join('\n');
}

export function formatSize(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.round(n / 1e3)} kB`;
}

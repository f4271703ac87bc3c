import { formatBytes } from '../../core/text/format-units';
import type { LayerReport } from './layer-report';

/** The layer report as a table in the style of the run summary, totals below. */
export function formatLayerReport(report: LayerReport): string {
  const cells = report.rows.map((r) => {
    const missing = r.parents.filter((p) => !p.inEngine).map((p) => p.image);
    const earlier = r.parents.filter((p) => !p.current).map((p) => p.image);
    const notes = [
      // Its parent was built again since: the old parent's layers stay on disk for this image.
      ...(earlier.length ? [`built on an earlier build of ${earlier.join(', ')}`] : []),
      ...(missing.length ? [`${missing.join(', ')} not in the engine: not counted as shared`] : []),
      ...(r.exact ? [] : ['layer sizes estimated']),
    ];
    return [
      r.image,
      r.parents.map((p) => p.image).join(', '),
      formatBytes(r.sizeBytes),
      formatBytes(r.ownBytes),
      r.parents.length ? formatBytes(r.sharedWithParentsBytes) : '',
      `${r.ownLayerCount}/${r.layerCount}`,
      notes.join('; '),
    ];
  });
  const header = ['image', 'parent', 'size', 'own', 'shared with parent', 'own layers', ''];
  const right = new Set([2, 3, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : right.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const t = report.totals;
  const estimated = report.rows.filter((r) => !r.exact).length;
  return [
    'Image layers',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `${t.images} image${t.images === 1 ? '' : 's'}`,
    `  sum of image sizes  ${formatBytes(t.sumOfSizesBytes).padStart(9)}  (each image counted whole, as \`docker images\` lists them)`,
    `  unique layers       ${formatBytes(t.uniqueBytes).padStart(9)}  (each layer counted once: what the engine stores)`,
    `  saved by sharing    ${formatBytes(t.savedBytes).padStart(9)}  (${t.savedPercent.toFixed(1)}%)`,
    ...(estimated
      ? [
          '',
          `The history of ${estimated} image${estimated === 1 ? '' : 's'} left some layer sizes open (a step of size 0 that may or may not have made a layer); ` +
            'run with --resolveWithSave to read them from `docker save` (slow for big images).',
        ]
      : []),
  ].join('\n');
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { layerTotals, type LayerReportRow } from '../../tools/layers/layer-report';

/** What one docker-layers task of the run wrote. */
interface LayerReportFile {
  engine?: unknown;
  images: (LayerReportRow & { sizeSources?: unknown })[];
  notBuilt?: string[];
  notInEngine?: unknown[];
}

/**
 * The run's layer report: every image the run's docker-layers tasks reported (each image's own
 * report is beside its metadata), counted together. Each image once; the totals count every
 * distinct layer once across all of them, which no single image's report can.
 */
export function combineLayerReports(reports: LayerReportFile[]): {
  images: LayerReportFile['images'];
  totals: ReturnType<typeof layerTotals>;
  notBuilt: string[];
} {
  const byId = new Map<string, LayerReportFile['images'][number]>();
  for (const r of reports) for (const row of r.images) if (!byId.has(row.imageId)) byId.set(row.imageId, row);
  const images = [...byId.values()];
  return { images, totals: layerTotals(images), notBuilt: [...new Set(reports.flatMap((r) => r.notBuilt ?? []))].sort() };
}

/**
 * Writes the run's report when docker-layers tasks ran (unless one of them wrote that file itself),
 * and says where it is. `outputFiles`: the report file of each such task that succeeded.
 */
export function writeRunLayerReport(workspaceRoot: string, outputDir: string, outputFiles: string[]): string | undefined {
  const file = `${outputDir}/image-layers.json`;
  if (outputFiles.length === 0 || outputFiles.includes(file)) return undefined;
  const reports = outputFiles.flatMap((f) => {
    const path = join(workspaceRoot, f);
    if (!existsSync(path)) return [];
    try {
      return [JSON.parse(readFileSync(path, 'utf8')) as LayerReportFile];
    } catch {
      return [];
    }
  });
  if (reports.length === 0) return undefined;
  const combined = combineLayerReports(reports);
  writeJsonAtomic(join(workspaceRoot, file), {
    generatedAt: new Date().toISOString(),
    engine: reports[0].engine,
    ...combined,
    reports: outputFiles,
  });
  const t = combined.totals;
  return `Layers of this run: ${t.images} image${t.images === 1 ? '' : 's'}, ${mb(t.sumOfSizesBytes)} as listed, ${mb(t.uniqueBytes)} of distinct layers (${t.savedPercent}% saved by sharing); written to ${file} (each image's own report is beside its metadata)`;
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

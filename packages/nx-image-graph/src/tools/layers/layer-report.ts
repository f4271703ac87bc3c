import type { ImageLayers } from './image-layers';

/** One built image to report on, as its build metadata names it. */
export interface ReportImage {
  /** `project` or `project (variant)`, as in the run summary. */
  image: string;
  project: string;
  target: string;
  variant?: string;
  imageId: string;
  references: string[];
  /** Its workspace parents: the exact images it was built on; `current` false when the parent has been built again since. */
  parents: { image: string; imageId: string; current?: boolean }[];
}

export interface LayerReportRow extends Omit<ReportImage, 'parents'> {
  parents: { image: string; imageId: string; inEngine: boolean; current: boolean }[];
  sizeBytes: number;
  /** Bytes of the layers no workspace parent has: what building this image added to the disk. */
  ownBytes: number;
  /** Bytes of the layers it has from its workspace parents (all of a FROM parent; none of a COPY --from parent). */
  sharedWithParentsBytes: number;
  layerCount: number;
  ownLayerCount: number;
  /** False when some layer sizes are estimates (see ImageLayers.exact). */
  exact: boolean;
  layers: { diffId: string; chainId: string; sizeBytes: number; own: boolean }[];
}

export interface LayerTotals {
  images: number;
  /** Every image counted whole, as `docker images` lists them. */
  sumOfSizesBytes: number;
  /** Every distinct layer counted once: what the engine stores for these images. */
  uniqueBytes: number;
  savedBytes: number;
  savedPercent: number;
  exact: boolean;
}

export interface LayerReport {
  rows: LayerReportRow[];
  totals: LayerTotals;
}

/**
 * Sizes, own bytes and bytes shared with the parents of each image, and for the set the sum of
 * the image sizes against the bytes of its distinct layers. A layer is its chain id: the same
 * diff on another parent is another layer on disk. `layersOf` has every image of `images` and
 * the parents the engine holds. Rows come parents first, each image's children after it.
 */
export function layerReport(images: readonly ReportImage[], layersOf: (imageId: string) => ImageLayers | undefined): LayerReport {
  const rows: LayerReportRow[] = [];
  for (const image of images) {
    const layers = layersOf(image.imageId);
    if (!layers) throw new Error(`no layers read for ${image.image} (${image.imageId})`);
    const parents = image.parents.map((p) => ({ ...p, layers: layersOf(p.imageId) }));
    const fromParents = new Set(parents.flatMap((p) => p.layers?.layers.map((l) => l.chainId) ?? []));
    const rowLayers = layers.layers.map((l) => ({
      diffId: l.diffId,
      chainId: l.chainId,
      sizeBytes: l.size,
      own: !fromParents.has(l.chainId),
    }));
    const shared = rowLayers.filter((l) => !l.own).reduce((a, l) => a + l.sizeBytes, 0);
    rows.push({
      ...image,
      parents: parents.map((p) => ({ image: p.image, imageId: p.imageId, inEngine: !!p.layers, current: p.current ?? true })),
      sizeBytes: layers.size,
      ownBytes: layers.size - shared,
      sharedWithParentsBytes: shared,
      layerCount: rowLayers.length,
      ownLayerCount: rowLayers.filter((l) => l.own).length,
      exact: layers.exact,
      layers: rowLayers,
    });
  }
  return { rows: treeOrder(rows), totals: layerTotals(rows) };
}

/** The set's totals: every image counted whole against every distinct layer (chain id) counted once. */
export function layerTotals(rows: readonly LayerReportRow[]): LayerTotals {
  const unique = new Map<string, number>();
  for (const row of rows) for (const l of row.layers) unique.set(l.chainId, l.sizeBytes);
  const sum = rows.reduce((a, r) => a + r.sizeBytes, 0);
  const uniqueBytes = [...unique.values()].reduce((a, b) => a + b, 0);
  return {
    images: rows.length,
    sumOfSizesBytes: sum,
    uniqueBytes,
    savedBytes: sum - uniqueBytes,
    savedPercent: sum > 0 ? Math.round(((sum - uniqueBytes) / sum) * 1000) / 10 : 0,
    exact: rows.every((r) => r.exact),
  };
}

/** Depth first from the images with no parent in the set, by name: the image stack as a tree. */
function treeOrder(rows: LayerReportRow[]): LayerReportRow[] {
  const byId = new Map(rows.map((r) => [r.imageId, r]));
  const parentOf = (r: LayerReportRow) => r.parents.find((p) => byId.has(p.imageId) && p.imageId !== r.imageId)?.imageId;
  const children = new Map<string | undefined, LayerReportRow[]>();
  for (const r of rows) children.set(parentOf(r), [...(children.get(parentOf(r)) ?? []), r]);
  const out: LayerReportRow[] = [];
  const seen = new Set<LayerReportRow>();
  const visit = (r: LayerReportRow) => {
    if (seen.has(r)) return;
    seen.add(r);
    out.push(r);
    for (const c of byName(children.get(r.imageId) ?? [])) visit(c);
  };
  for (const r of byName(children.get(undefined) ?? [])) visit(r);
  // A cycle of image ids cannot be built; still, nothing is left out.
  for (const r of byName(rows)) visit(r);
  return out;
}

function byName(rows: LayerReportRow[]): LayerReportRow[] {
  return [...rows].sort((a, b) => a.image.localeCompare(b.image));
}

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineLayerReports, writeRunLayerReport } from './run-layer-report';

const layer = (chainId: string, sizeBytes: number, own = true) => ({ diffId: chainId, chainId, sizeBytes, own });
const row = (image: string, imageId: string, layers: ReturnType<typeof layer>[], parents: string[] = []) => ({
  image,
  project: image,
  target: 'docker-build',
  imageId,
  references: [],
  parents: parents.map((p) => ({ image: p, imageId: p, inEngine: true, current: true })),
  sizeBytes: layers.reduce((a, l) => a + l.sizeBytes, 0),
  ownBytes: 0,
  sharedWithParentsBytes: 0,
  layerCount: layers.length,
  ownLayerCount: 0,
  exact: true,
  layers,
});

describe("the run's layer report", () => {
  const base = row('base', 'base', [layer('b', 5_000_000)]);
  const a = row('child-a', 'a', [layer('b', 5_000_000, false), layer('a', 1_000_000)], ['base']);
  const b = row('child-b', 'b', [layer('b', 5_000_000, false), layer('c', 1_000_000)], ['base']);

  it('counts each image once and each distinct layer once across the per-image reports', () => {
    const c = combineLayerReports([{ images: [base, a] }, { images: [base, b] }, { images: [base] }]);
    expect(c.images.map((r) => r.image)).toEqual(['base', 'child-a', 'child-b']);
    expect(c.totals).toMatchObject({ images: 3, sumOfSizesBytes: 17_000_000, uniqueBytes: 7_000_000, savedBytes: 10_000_000 });
  });

  it('is written when per-image reports ran, and not over a report a task wrote there itself', () => {
    const root = mkdtempSync(join(tmpdir(), 'nig-layers-'));
    try {
      mkdirSync(join(root, 'dist/images/a'), { recursive: true });
      writeFileSync(join(root, 'dist/images/a/docker-layers.json'), JSON.stringify({ images: [base, a] }));
      writeFileSync(join(root, 'dist/images/b.json'), JSON.stringify({ images: [base, b] }));
      const line = writeRunLayerReport(root, 'dist', ['dist/images/a/docker-layers.json', 'dist/images/b.json']);
      expect(line).toBe(
        "Layers of this run: 3 images, 17.0 MB as listed, 7.0 MB of distinct layers (58.8% saved by sharing); written to dist/image-layers.json (each image's own report is beside its metadata)",
      );
      expect(JSON.parse(readFileSync(join(root, 'dist/image-layers.json'), 'utf8')).totals.uniqueBytes).toBe(7_000_000);
      expect(writeRunLayerReport(root, 'dist', ['dist/image-layers.json'])).toBeUndefined();
      expect(writeRunLayerReport(root, 'dist', [])).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { formatLayerReport } from './format-layer-report';
import type { LayerReport, LayerReportRow } from './layer-report';

const row = (image: string, size: number, own: number, parents: LayerReportRow['parents'] = [], exact = true): LayerReportRow => ({
  image,
  project: image,
  target: 'docker-build',
  imageId: `sha256:${image}`,
  references: [],
  parents,
  sizeBytes: size,
  ownBytes: own,
  sharedWithParentsBytes: size - own,
  layerCount: 4,
  ownLayerCount: parents.length ? 1 : 4,
  exact,
  layers: [],
});

describe('formatLayerReport', () => {
  it('prints image, parent, size, own and shared with parent, then the totals', () => {
    const report: LayerReport = {
      rows: [
        row('base-cpu', 1_340_000_000, 1_340_000_000),
        row('demux', 1_390_000_000, 50_000_000, [{ image: 'base-cpu', imageId: 'b', inEngine: true, current: true }]),
      ],
      totals: {
        images: 2,
        sumOfSizesBytes: 2_730_000_000,
        uniqueBytes: 1_390_000_000,
        savedBytes: 1_340_000_000,
        savedPercent: 49.1,
        exact: true,
      },
    };
    expect(formatLayerReport(report)).toBe(
      [
        'Image layers',
        'image     parent       size      own  shared with parent  own layers',
        '--------  --------  -------  -------  ------------------  ----------',
        'base-cpu            1.34 GB  1.34 GB                             4/4',
        'demux     base-cpu  1.39 GB  50.0 MB             1.34 GB         1/4',
        '',
        '2 images',
        '  sum of image sizes    2.73 GB  (each image counted whole, as `docker images` lists them)',
        '  unique layers         1.39 GB  (each layer counted once: what the engine stores)',
        '  saved by sharing      1.34 GB  (49.1%)',
      ].join('\n'),
    );
  });

  it('notes estimated sizes and parents the engine does not hold', () => {
    const text = formatLayerReport({
      rows: [
        row('asr (cpu)', 2_000_000, 1_000_000, [{ image: 'ml-base (cpu)', imageId: 'x', inEngine: false, current: true }], false),
        row('tmdb', 2_000_000, 1_000, [{ image: 'base-cpu', imageId: 'y', inEngine: true, current: false }]),
      ],
      totals: { images: 2, sumOfSizesBytes: 4_000_000, uniqueBytes: 4_000_000, savedBytes: 0, savedPercent: 0, exact: false },
    });
    expect(text).toContain('ml-base (cpu) not in the engine: not counted as shared; layer sizes estimated');
    expect(text).toMatch(/^tmdb .* built on an earlier build of base-cpu$/m);
    expect(text).toContain('2 images\n');
    expect(text).toContain('run with --resolveWithSave');
  });
});

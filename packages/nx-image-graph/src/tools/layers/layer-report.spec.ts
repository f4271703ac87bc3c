import { chainIds } from './chain-ids';
import type { ImageLayers } from './image-layers';
import { layerReport, ReportImage } from './layer-report';

const MB = 1_000_000;
let next = 0;
const diff = () => `sha256:${(++next).toString(16).padStart(64, '0')}`;

/** An image made of its parent's layers and new ones of the given sizes. */
function image(id: string, sizes: number[], parent?: ImageLayers): ImageLayers {
  const diffIds = [...(parent?.layers.map((l) => l.diffId) ?? []), ...sizes.map(diff)];
  const all = [...(parent?.layers.map((l) => l.size) ?? []), ...sizes];
  const chains = chainIds(diffIds);
  return {
    imageId: id,
    size: all.reduce((a, b) => a + b, 0),
    layers: diffIds.map((d, i) => ({ diffId: d, chainId: chains[i], size: all[i] })),
    exact: true,
    sources: ['history'],
  };
}
const report = (name: string, id: string, parent?: [string, string]): ReportImage => ({
  image: name,
  project: name,
  target: 'docker-build',
  imageId: id,
  references: [`acme/${name}:cpu`],
  parents: parent ? [{ image: parent[0], imageId: parent[1] }] : [],
});

describe('layerReport', () => {
  // Seed 003's "Layer Sharing": base:cpu 1.34 GB; demux and tmdb +50 MB; pre-ner and post-ner +400 MB.
  const base = image('b', [1300 * MB, 40 * MB]);
  const stages = {
    demux: image('d', [50 * MB], base),
    tmdb: image('t', [50 * MB], base),
    'pre-ner': image('p', [100 * MB, 300 * MB], base),
    'post-ner': image('q', [400 * MB], base),
  };
  const all = new Map<string, ImageLayers>([['b', base], ...Object.values(stages).map((s) => [s.imageId, s] as [string, ImageLayers])]);
  const stageRows = Object.entries(stages).map(([name, s]) => report(name, s.imageId, ['base-cpu', 'b']));

  it("reproduces the seed's accounting for the stages: 6.26 GB of images in 2.24 GB of layers, 64% saved", () => {
    const r = layerReport(stageRows, (id) => all.get(id));
    expect(r.totals).toEqual({
      images: 4,
      sumOfSizesBytes: 6260 * MB,
      uniqueBytes: 2240 * MB,
      savedBytes: 4020 * MB,
      savedPercent: 64.2,
      exact: true,
    });
    const demux = r.rows.find((x) => x.image === 'demux')!;
    expect(demux).toMatchObject({
      sizeBytes: 1390 * MB,
      ownBytes: 50 * MB,
      sharedWithParentsBytes: 1340 * MB,
      layerCount: 3,
      ownLayerCount: 1,
    });
    expect(demux.parents).toEqual([{ image: 'base-cpu', imageId: 'b', inEngine: true, current: true }]);
    expect(r.rows.find((x) => x.image === 'pre-ner')).toMatchObject({ ownBytes: 400 * MB, ownLayerCount: 2 });
  });

  it('with the base in the set: it is counted once in the unique bytes and whole in the sum', () => {
    const r = layerReport([...stageRows, report('base-cpu', 'b')], (id) => all.get(id));
    expect(r.totals).toMatchObject({
      images: 5,
      sumOfSizesBytes: 7600 * MB,
      uniqueBytes: 2240 * MB,
      savedBytes: 5360 * MB,
      savedPercent: 70.5,
    });
    expect(r.rows.map((x) => x.image)).toEqual(['base-cpu', 'demux', 'post-ner', 'pre-ner', 'tmdb']);
    expect(r.rows[0]).toMatchObject({ ownBytes: 1340 * MB, sharedWithParentsBytes: 0, parents: [] });
  });

  it('counts a layer by its chain: the same diff on two parents is stored twice', () => {
    const a = image('a', [10 * MB]);
    const b = image('b2', [20 * MB]);
    const same = a.layers[0].diffId;
    const onB = {
      ...b,
      imageId: 'c',
      size: b.size + 5 * MB,
      layers: [...b.layers, { diffId: same, chainId: chainIds([b.layers[0].diffId, same])[1], size: 5 * MB }],
    };
    const layers = new Map([
      ['a', a],
      ['c', onB],
    ]);
    expect(layerReport([report('a', 'a'), report('c', 'c')], (id) => layers.get(id)).totals).toMatchObject({
      uniqueBytes: 35 * MB,
      savedBytes: 0,
    });
  });

  it('shares nothing with a COPY --from parent, and says when a parent is not in the engine', () => {
    const demux = stages.demux;
    const mux = image('m', [2 * MB], base);
    const layers = new Map<string, ImageLayers>([
      ['b', base],
      ['d', demux],
      ['m', mux],
    ]);
    const row = {
      ...report('mux', 'm'),
      parents: [
        { image: 'base-cpu', imageId: 'b' },
        { image: 'demux', imageId: 'd' },
        { image: 'gone', imageId: 'x' },
      ],
    };
    const r = layerReport([row], (id) => layers.get(id));
    expect(r.rows[0]).toMatchObject({ sharedWithParentsBytes: 1340 * MB, ownBytes: 2 * MB });
    expect(r.rows[0].parents.map((p) => p.inEngine)).toEqual([true, true, false]);
  });

  it('marks the totals inexact when an image has estimated sizes, and handles an empty set', () => {
    const rough = { ...base, exact: false };
    expect(layerReport([report('base-cpu', 'b')], () => rough).totals.exact).toBe(false);
    expect(layerReport([], () => undefined).totals).toEqual({
      images: 0,
      sumOfSizesBytes: 0,
      uniqueBytes: 0,
      savedBytes: 0,
      savedPercent: 0,
      exact: true,
    });
    expect(() => layerReport([report('x', 'nope')], () => undefined)).toThrow(/no layers read for x/);
  });
});

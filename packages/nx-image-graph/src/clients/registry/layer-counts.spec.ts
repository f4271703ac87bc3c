import { formatLayerCount, layerCounts } from './layer-counts';

describe('layerCounts', () => {
  it('counts an image pushed under several tags once per repository', () => {
    const counts = layerCounts([
      { reference: '127.0.0.1:5000/acme/x:latest', uploaded: ['l2'], existing: ['l1'] },
      { reference: '127.0.0.1:5000/acme/x:nx-1', uploaded: [], existing: ['l1', 'l2'] },
    ]);
    expect(counts).toEqual([{ repository: '127.0.0.1:5000/acme/x', layers: 2, uploaded: 1, existing: 1 }]);
    expect(formatLayerCount(counts[0])).toBe('127.0.0.1:5000/acme/x: 2 layers: 1 uploaded, 1 already there');
  });

  it('counts each registry on its own', () => {
    expect(
      layerCounts([
        { reference: '127.0.0.1:5000/acme/x:latest', uploaded: [], existing: ['l1', 'l2'] },
        { reference: '127.0.0.1:5001/acme/x:latest', uploaded: ['l1', 'l2'], existing: [] },
        { reference: '127.0.0.1:5001/acme/x:nx-1', uploaded: [], existing: ['l1', 'l2'] },
      ]),
    ).toEqual([
      { repository: '127.0.0.1:5000/acme/x', layers: 2, uploaded: 0, existing: 2 },
      { repository: '127.0.0.1:5001/acme/x', layers: 2, uploaded: 2, existing: 0 },
    ]);
  });

  it('counts none for no pushes', () => {
    expect(layerCounts([])).toEqual([]);
  });
});

import { indexHash } from './push-platforms';

describe('indexHash', () => {
  it('depends on every platform hash, not on their order', () => {
    const a = indexHash([
      { platform: 'linux/amd64', nxHash: '1' },
      { platform: 'linux/arm64', nxHash: '2' },
    ]);
    expect(a).toMatch(/^[0-9a-f]{20}$/);
    expect(
      indexHash([
        { platform: 'linux/arm64', nxHash: '2' },
        { platform: 'linux/amd64', nxHash: '1' },
      ]),
    ).toBe(a);
    expect(
      indexHash([
        { platform: 'linux/amd64', nxHash: '1' },
        { platform: 'linux/arm64', nxHash: '3' },
      ]),
    ).not.toBe(a);
  });
  it('has none when a platform was built without a hash', () => {
    expect(indexHash([{ platform: 'linux/amd64' }])).toBeUndefined();
  });
});

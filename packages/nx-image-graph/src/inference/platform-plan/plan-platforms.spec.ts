import { planPlatforms } from './plan-platforms';

describe('planPlatforms', () => {
  it('keeps a single platform as it was', () => {
    expect(planPlatforms('image.json', { platform: 'linux/arm64' })).toEqual({ platform: 'linux/arm64' });
    expect(planPlatforms('image.json', {})).toEqual({});
  });
  it('takes the image platforms unless the variant says otherwise', () => {
    const image = { platforms: ['linux/amd64', 'linux/arm64'] };
    expect(planPlatforms('image.json', image, { name: 'cpu', fields: {} })).toEqual(image);
    expect(planPlatforms('image.json', image, { name: 'cuda', fields: { platform: 'linux/amd64' } })).toEqual({ platform: 'linux/amd64' });
    expect(planPlatforms('image.json', {}, { name: 'cpu', fields: { platforms: ['linux/arm64'] } })).toEqual({
      platforms: ['linux/arm64'],
    });
  });
  it('refuses both fields at one level, naming the field', () => {
    expect(() =>
      planPlatforms('images/a/image.json', {}, { name: 'cpu', fields: { platform: 'linux/amd64', platforms: ['linux/arm64'] } }),
    ).toThrow('images/a/image.json: "variants.cpu.platform" and "variants.cpu.platforms" are both set');
  });
  it('refuses a platform listed twice', () => {
    expect(() => planPlatforms('image.json', { platforms: ['linux/amd64', 'linux/amd64'] })).toThrow(
      '"platforms" lists "linux/amd64" twice',
    );
  });
});

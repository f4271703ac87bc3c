import { cacheImageField, cacheImageRequest, cacheImageTag } from './inline-cache';

describe('the build cache image beside an inline-cache build', () => {
  it('has one tag per build: variant and, for one platform of several, the platform', () => {
    expect(cacheImageTag(undefined, undefined)).toBe('buildcache');
    expect(cacheImageTag('cpu', undefined)).toBe('buildcache-cpu');
    expect(cacheImageTag('cuda', 'linux/arm64')).toBe('buildcache-cuda-linux-arm64');
  });

  it('is asked for only with "inlineCache": true, and recorded only when made', () => {
    const tar = () => process.stdin;
    expect(cacheImageRequest({ repository: 'acme/asr', variant: 'cpu' }, tar)).toBeUndefined();
    expect(cacheImageRequest({ repository: 'acme/asr', variant: 'cpu', inlineCache: true, platform: 'linux/arm64' }, tar)?.reference).toBe(
      'acme/asr:buildcache-cpu',
    );
    expect(
      cacheImageRequest({ repository: 'acme/asr', inlineCache: true, platform: 'linux/arm64', platformTags: true }, tar)?.reference,
    ).toBe('acme/asr:buildcache-linux-arm64');
    expect(cacheImageField({ imageId: 'x' })).toEqual({});
    expect(cacheImageField({ imageId: 'x', cacheImage: { reference: 'acme/asr:buildcache', imageId: 'y' } })).toEqual({
      cacheImage: { reference: 'acme/asr:buildcache', imageId: 'y' },
    });
  });
});

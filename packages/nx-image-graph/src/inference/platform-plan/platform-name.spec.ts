import { formatPlatform, platformSlug, platformTag, platformTargetName, samePlatform } from './platform-name';

describe('platform names', () => {
  it('makes target names and tags from a platform', () => {
    expect(platformSlug('linux/arm/v7')).toBe('linux-arm-v7');
    expect(platformTargetName('docker-build-cpu', 'linux/arm64')).toBe('docker-build-cpu-linux-arm64');
    expect(platformTag('latest', 'linux/amd64')).toBe('latest-linux-amd64');
  });
  it('formats what the engine reports', () => {
    expect(formatPlatform('linux', 'arm', 'v7')).toBe('linux/arm/v7');
    expect(formatPlatform('linux', 'amd64')).toBe('linux/amd64');
  });
  it('compares platforms the way a build uses them', () => {
    expect(samePlatform('linux/arm64', 'linux/arm64/v8')).toBe(true);
    expect(samePlatform('linux/aarch64', 'linux/arm64')).toBe(true);
    expect(samePlatform('linux/amd64', 'linux/arm64')).toBe(false);
    expect(samePlatform('linux/arm/v7', 'linux/arm/v6')).toBe(false);
    expect(samePlatform('linux/arm', 'linux/arm/v7')).toBe(true);
  });
});

import { parentsForPlatform } from './parent-platforms';

const base = { reference: 'acme/base:latest', project: 'base' };
const parents = [
  { ...base, metadataFile: 'dist/base/docker-build-linux-amd64.json', platform: 'linux/amd64' },
  { ...base, metadataFile: 'dist/base/docker-build-linux-arm64.json', platform: 'linux/arm64' },
  { reference: 'acme/tools:1', project: 'tools', metadataFile: 'dist/tools/docker-build.json' },
];

describe('parentsForPlatform', () => {
  it('keeps the parent image of the build platform, and single-platform parents', () => {
    expect(parentsForPlatform(parents, 'linux/arm64').map((p) => p.metadataFile)).toEqual([
      'dist/tools/docker-build.json',
      'dist/base/docker-build-linux-arm64.json',
    ]);
  });
  it('names the platforms the parent has when it lacks the build platform', () => {
    expect(() => parentsForPlatform(parents, 'linux/s390x')).toThrow(
      'parent base ("acme/base:latest") has no linux/s390x image: it is built for linux/amd64, linux/arm64',
    );
  });
});

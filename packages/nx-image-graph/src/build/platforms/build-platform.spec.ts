import { platformBuildTags } from './build-platform';

describe('platformBuildTags', () => {
  it('suffixes each tag with the platform and keeps the plain tags for the index', () => {
    expect(platformBuildTags(['latest', '1.0'], 'acme/base', 'linux/arm64')).toEqual({
      tags: ['latest-linux-arm64', '1.0-linux-arm64'],
      references: ['acme/base:latest-linux-arm64', 'acme/base:1.0-linux-arm64'],
      indexTags: ['latest', '1.0'],
    });
  });
});

import { peerPluginWarnings } from './peer-plugins';

describe('peerPluginWarnings', () => {
  const files = ['images/a/Dockerfile', 'images/b/Dockerfile', 'images/b/image.json', 'tools/c/Dockerfile'];

  it('names @nx/docker registered beside the plugin, the directories both claim and the exclude that settles it', () => {
    expect(peerPluginWarnings(['nx-image-graph', '@nx/docker'], files)).toEqual([
      'nx.json registers both nx-image-graph and @nx/docker, and both infer targets for 3 image directories (images/a, images/b, tools/c): @nx/docker adds docker:build, docker:run and nx-release-publish there, and whichever plugin comes later in nx.json wins the targets both name. Keep one plugin per image: give @nx/docker\'s registration "exclude": ["images/**","tools/**"], or narrow nx-image-graph\'s "include" to the directories it should own.',
    ]);
  });

  it('counts only what its include and exclude leave it, and is quiet when they leave nothing', () => {
    expect(peerPluginWarnings([{ plugin: '@nx/docker', include: ['tools/**'] }], files)[0]).toMatch(/for 1 image directory \(tools\/c\)/);
    expect(peerPluginWarnings([{ plugin: '@nx/docker', exclude: ['images/**', 'tools/**'] }], files)).toEqual([]);
    expect(peerPluginWarnings(['@nx/js/typescript'], files)).toEqual([]);
  });
});

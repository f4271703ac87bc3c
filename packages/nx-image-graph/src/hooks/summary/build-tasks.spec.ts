import type { ProjectGraph } from '@nx/devkit';
import { settingsMetadata } from '../../inference/targets/target-settings';
import { buildTasksOf } from './build-tasks';

const target = (executor: string, settings: object) => ({ executor, metadata: settingsMetadata(settings) });

describe('the build tasks the summary lists', () => {
  const graph = {
    nodes: {
      plat: {
        name: 'plat',
        type: 'app',
        data: {
          root: 'images/plat',
          targets: {
            'docker-build': { executor: 'nx:noop' },
            'docker-build-linux-amd64': target('nx-image-graph:build', {
              platform: 'linux/amd64',
              platformTags: true,
              metadataFile: 'dist/images/plat/docker-build-linux-amd64.json',
            }),
            'docker-build-linux-arm64': target('nx-image-graph:build', {
              platform: 'linux/arm64',
              platformTags: true,
              metadataFile: 'dist/images/plat/docker-build-linux-arm64.json',
            }),
            'docker-push': target('nx-image-graph:push', {
              metadataFile: 'dist/images/plat/docker-build.json',
              platforms: [
                { platform: 'linux/amd64', metadataFile: 'dist/images/plat/docker-build-linux-amd64.json' },
                { platform: 'linux/arm64', metadataFile: 'dist/images/plat/docker-build-linux-arm64.json' },
              ],
            }),
          },
        },
      },
      single: {
        name: 'single',
        type: 'app',
        data: {
          root: 'images/single',
          targets: {
            'docker-build': target('nx-image-graph:build', {
              platform: 'linux/arm64',
              metadataFile: 'dist/images/single/docker-build.json',
              parents: [{ project: 'plat', metadataFile: 'dist/images/plat/docker-build-linux-arm64.json' }],
            }),
            'docker-push': target('nx-image-graph:push', { metadataFile: 'dist/images/single/docker-build.json' }),
          },
        },
      },
    },
    dependencies: {},
  } as unknown as ProjectGraph;

  it("names each platform build of a multi-platform image, and gives every one the image's push", () => {
    expect(buildTasksOf(graph).map((b) => [b.taskId, b.platform, b.pushTask])).toEqual([
      ['plat:docker-build-linux-amd64', 'linux/amd64', 'plat:docker-push'],
      ['plat:docker-build-linux-arm64', 'linux/arm64', 'plat:docker-push'],
      // "platform" alone is one image under the plain tags: no platform in its label.
      ['single:docker-build', undefined, 'single:docker-push'],
    ]);
    expect(buildTasksOf(graph)[2].parents).toEqual(['plat:docker-build-linux-arm64']);
  });
});

import { baseIdEnvName } from '../../core/nx/base-id-names';
import { rmSync } from 'node:fs';
import type { TargetConfiguration } from '@nx/devkit';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { inferFromFilesUncached } from './infer-from-files';
import { settingsOf } from './target-settings';

/** The inferred targets of each project of a throwaway workspace, and the problems printed. */
function targetsOf(files: Record<string, string>) {
  const dir = tempTree(files);
  try {
    const { projects, problems } = inferFromFilesUncached(Object.keys(files), normalizeOptions(undefined), dir);
    return {
      targets: Object.fromEntries(projects.map((p) => [p.project.name!, p.project.targets as Record<string, TargetConfiguration>])),
      problems: problems.map((p) => p.message),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const two = ['linux/amd64', 'linux/arm64'];
const base = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN uname -m > /built-on\n',
  'images/base/image.json': JSON.stringify({ repository: 'acme/base', platforms: two, registries: ['127.0.0.1:5000'] }),
};

describe('targets of a multi-platform image', () => {
  it('makes one build target per platform, with its own tags, metadata and hash input; the plain target runs them', () => {
    const { targets } = targetsOf(base);
    const t = targets.base;
    expect(t['docker-build']).toMatchObject({ executor: 'nx:noop', dependsOn: ['docker-build-linux-amd64', 'docker-build-linux-arm64'] });
    const arm = settingsOf<{ platform: string; platformTags: boolean; metadataFile: string }>(t['docker-build-linux-arm64']);
    expect(arm).toMatchObject({
      platform: 'linux/arm64',
      platformTags: true,
      metadataFile: 'dist/image-builds/images/base/docker-build-linux-arm64.json',
    });
    expect(t['docker-build-linux-arm64'].inputs).toContainEqual({ env: baseIdEnvName('busybox:1.36', 'linux/arm64') });
    expect(t['docker-build-linux-arm64'].inputs).toContainEqual({ env: 'NX_IMAGE_GRAPH_PLATFORM_linux_arm64' });
    expect(t['docker-build-linux-amd64'].inputs).toContainEqual({ env: 'NX_IMAGE_GRAPH_PLATFORM_linux_amd64' });
    // The same base, per platform: each platform's build has its own variable.
    expect(baseIdEnvName('busybox:1.36', 'linux/arm64')).not.toBe(baseIdEnvName('busybox:1.36', 'linux/amd64'));
  });

  it('gives push and materialize every platform build record', () => {
    const { targets } = targetsOf(base);
    const platforms = [
      { platform: 'linux/amd64', metadataFile: 'dist/image-builds/images/base/docker-build-linux-amd64.json' },
      { platform: 'linux/arm64', metadataFile: 'dist/image-builds/images/base/docker-build-linux-arm64.json' },
    ];
    expect(settingsOf(targets.base['docker-push'])).toMatchObject({
      metadataFile: 'dist/image-builds/images/base/docker-build.json',
      platforms,
    });
    expect(settingsOf(targets.base['docker-materialize'])).toMatchObject({ platforms });
  });

  it("builds each platform of a child on the parent's build of that platform", () => {
    const { targets } = targetsOf({
      ...base,
      'images/child/Dockerfile': 'FROM acme/base:latest\nRUN true\n',
      'images/child/image.json': JSON.stringify({ platforms: two }),
    });
    const arm = targets.child['docker-build-linux-arm64'];
    expect(arm.dependsOn).toEqual([{ projects: ['base'], target: 'docker-build-linux-arm64' }]);
    expect(settingsOf<{ parents: object[] }>(arm).parents).toEqual([
      {
        reference: 'acme/base:latest',
        project: 'base',
        metadataFile: 'dist/image-builds/images/base/docker-build-linux-arm64.json',
        registries: ['127.0.0.1:5000'],
        platform: 'linux/arm64',
      },
    ]);
  });

  it('lets a single-platform child pick its platform of the parent at build time', () => {
    const { targets } = targetsOf({ ...base, 'images/child/Dockerfile': 'FROM acme/base:latest\nRUN true\n' });
    expect(targets.child['docker-build'].dependsOn).toEqual([
      { projects: ['base'], target: 'docker-build-linux-amd64' },
      { projects: ['base'], target: 'docker-build-linux-arm64' },
    ]);
    expect(settingsOf<{ parents: { platform: string }[] }>(targets.child['docker-build']).parents.map((p) => p.platform)).toEqual(two);
  });

  it('keeps "platform": one build target under the plain name', () => {
    const { targets } = targetsOf({
      'images/one/Dockerfile': 'FROM busybox:1.36\n',
      'images/one/image.json': JSON.stringify({ platform: 'linux/arm64' }),
    });
    expect(Object.keys(targets.one).filter((t) => t.startsWith('docker-build'))).toEqual(['docker-build']);
    expect(settingsOf(targets.one['docker-build'])).toMatchObject({ platform: 'linux/arm64' });
    expect(settingsOf(targets.one['docker-build'])).not.toHaveProperty('platformTags');
  });

  it('makes per-platform targets per variant, the variant replacing the image platforms', () => {
    const { targets } = targetsOf({
      'images/v/Dockerfile': 'FROM busybox:1.36\n',
      'images/v/image.json': JSON.stringify({ platforms: two, variants: { cpu: {}, cuda: { platform: 'linux/amd64' } } }),
    });
    expect(
      Object.keys(targets.v)
        .filter((t) => t.startsWith('docker-build'))
        .sort(),
    ).toEqual(['docker-build', 'docker-build-cpu', 'docker-build-cpu-linux-amd64', 'docker-build-cpu-linux-arm64', 'docker-build-cuda']);
  });

  it('refuses "platform" and "platforms" together, naming the manifest', () => {
    const { targets, problems } = targetsOf({
      'images/x/Dockerfile': 'FROM busybox:1.36\n',
      'images/x/image.json': JSON.stringify({ platform: 'linux/amd64', platforms: two }),
    });
    expect(targets.x['docker-build'].executor).toBe('nx-image-graph:invalid');
    expect(problems).toContainEqual(expect.stringContaining('images/x/image.json: "platform" and "platforms" are both set'));
  });
});

import { rmSync } from 'node:fs';
import type { TargetConfiguration } from '@nx/devkit';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { inferFromFilesUncached } from './infer-from-files';
import { settingsOf } from './target-settings';

/** The inferred targets of each project of a throwaway workspace. */
function targetsOf(files: Record<string, string>, pluginOptions?: object) {
  const dir = tempTree(files);
  try {
    const { projects } = inferFromFilesUncached(Object.keys(files), normalizeOptions(pluginOptions as never), dir);
    return Object.fromEntries(projects.map((p) => [p.project.name!, p.project.targets as Record<string, TargetConfiguration>]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const image = (manifest: object) => ({ 'images/x/Dockerfile': 'FROM busybox:1.36\n', 'images/x/image.json': JSON.stringify(manifest) });
type PushSettings = { registries: string[]; contentTag?: boolean };

describe('push targets', () => {
  it('push an image whose repository names a registry host there, with no registries configured', () => {
    const t = targetsOf(image({ repository: 'us-docker.pkg.dev/proj/arr/x' })).x;
    expect(settingsOf<PushSettings>(t['docker-push']).registries).toEqual(['us-docker.pkg.dev']);
    expect(settingsOf<PushSettings>(t['docker-materialize']).registries).toEqual(['us-docker.pkg.dev']);
    expect(settingsOf<PushSettings>(t['docker-promote']).registries).toEqual(['us-docker.pkg.dev']);
  });

  it('add the configured registries (manifest or plugin option) after the host', () => {
    expect(
      settingsOf<PushSettings>(targetsOf(image({ repository: '127.0.0.1:5000/acme/x', registries: ['127.0.0.1:5001'] })).x['docker-push'])
        .registries,
    ).toEqual(['127.0.0.1:5000', '127.0.0.1:5001']);
    expect(
      settingsOf<PushSettings>(
        targetsOf(image({ repository: 'localhost:5000/acme/x' }), { registries: ['127.0.0.1:5001'] }).x['docker-push'],
      ).registries,
    ).toEqual(['localhost:5000', '127.0.0.1:5001']);
  });

  it("push a multi-platform image to its repository host the same way, with each platform's build record", () => {
    const t = targetsOf(image({ repository: '127.0.0.1:5000/acme/x', platforms: ['linux/amd64', 'linux/arm64'], contentTag: false })).x;
    expect(settingsOf(t['docker-push'])).toMatchObject({
      registries: ['127.0.0.1:5000'],
      contentTag: false,
      platforms: [{ platform: 'linux/amd64' }, { platform: 'linux/arm64' }],
    });
  });

  it('do not exist for a repository without a host and no registries (nothing is sent to Docker Hub unasked)', () => {
    expect(targetsOf(image({ repository: 'acme/x' })).x['docker-push']).toBeUndefined();
  });

  it('let a child materialize its parent from the host the parent repository names', () => {
    const t = targetsOf({
      ...image({ repository: '127.0.0.1:5000/acme/x' }),
      'images/child/Dockerfile': 'FROM 127.0.0.1:5000/acme/x:latest\n',
      'images/child/image.json': JSON.stringify({ repository: 'acme/child' }),
    });
    expect(settingsOf<{ parents: { registries?: string[] }[] }>(t.child['docker-build']).parents[0].registries).toEqual(['127.0.0.1:5000']);
  });

  it('push no nx-<hash> tag with "contentTag": false, per image and per variant', () => {
    const t = targetsOf(image({ repository: '127.0.0.1:5000/acme/x', contentTag: false, variants: { a: {}, b: { contentTag: true } } })).x;
    expect(settingsOf<PushSettings>(t['docker-push-a']).contentTag).toBe(false);
    expect(settingsOf<PushSettings>(t['docker-push-b']).contentTag).toBeUndefined();
    const v = targetsOf(image({ repository: '127.0.0.1:5000/acme/x', variants: { a: { contentTag: false }, b: {} } })).x;
    expect(settingsOf<PushSettings>(v['docker-push-a']).contentTag).toBe(false);
    expect(settingsOf<PushSettings>(v['docker-push-b']).contentTag).toBeUndefined();
  });

  it("keep contentTag out of the builds' inputs (it changes what is pushed, not what is built)", () => {
    const t = targetsOf(image({ repository: '127.0.0.1:5000/acme/x', variants: { a: { contentTag: false } } })).x;
    const manifestInput = t['docker-build-a'].inputs!.find((i) => typeof i === 'object' && 'json' in i) as {
      fields?: string[];
      excludeFields: string[];
    };
    expect(manifestInput.fields).toBeUndefined();
    expect(manifestInput.excludeFields).toEqual(expect.arrayContaining(['contentTag', 'variants.a.contentTag']));
  });
});

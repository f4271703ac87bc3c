import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { indexHash } from '../../core/image-records/index-hash';
import { describePromotable, pushedOf, readPromotable } from './promotable-image';

const id = (c: string) => `sha256:${c.repeat(64)}`;

describe('what a promotion tags', () => {
  const root = mkdtempSync(join(tmpdir(), 'promotable-'));
  const write = (path: string, value: object) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(value));
  };
  const platform = (p: string, c: string, nxHash: string) => ({
    schemaVersion: 1,
    project: 'plat-child',
    target: `docker-build-${p.replace('/', '-')}`,
    repository: 'acme/plat-child',
    tags: [`latest-${p.replace('/', '-')}`],
    indexTags: ['latest'],
    imageId: id(c),
    args: {},
    nxHash,
    platform: p,
  });
  write('dist/plat-child/docker-build-linux-amd64.json', platform('linux/amd64', 'a', '11'));
  write('dist/plat-child/docker-build-linux-arm64.json', platform('linux/arm64', 'b', '22'));
  const platforms = [
    { platform: 'linux/amd64', metadataFile: 'dist/plat-child/docker-build-linux-amd64.json' },
    { platform: 'linux/arm64', metadataFile: 'dist/plat-child/docker-build-linux-arm64.json' },
  ];

  it("is the index over a multi-platform build's images: the index tags and the index hash, from the platforms' records", () => {
    const read = readPromotable(root, { metadataFile: 'dist/plat-child/docker-build.json', platforms });
    if ('error' in read) throw new Error(read.error);
    expect(read.image).toEqual({
      project: 'plat-child',
      target: 'docker-build',
      repository: 'acme/plat-child',
      tags: ['latest'],
      args: {},
      nxHash: indexHash([
        { platform: 'linux/amd64', nxHash: '11' },
        { platform: 'linux/arm64', nxHash: '22' },
      ]),
      platforms: [
        { platform: 'linux/amd64', imageId: id('a') },
        { platform: 'linux/arm64', imageId: id('b') },
      ],
    });
    expect(describePromotable(read.image)).toBe('the index over linux/amd64 aaaaaaaaaaaa, linux/arm64 bbbbbbbbbbbb');
    // The push record of exactly these platform images gives the index's digests; another's gives nothing.
    const index = [{ reference: '127.0.0.1:5000/acme/plat-child:latest', digest: `sha256:${'c'.repeat(64)}` }];
    expect(
      pushedOf(
        {
          index,
          platforms: [
            { platform: 'linux/arm64', imageId: id('b') },
            { platform: 'linux/amd64', imageId: id('a') },
          ],
        },
        read.image,
      ),
    ).toEqual(index);
    expect(
      pushedOf(
        {
          index,
          platforms: [
            { platform: 'linux/amd64', imageId: id('a') },
            { platform: 'linux/arm64', imageId: id('d') },
          ],
        },
        read.image,
      ),
    ).toEqual([]);
  });

  it('names what is missing, and how to get it, when a platform was never built here', () => {
    const read = readPromotable(root, {
      metadataFile: 'dist/other/docker-build.json',
      platforms: [{ platform: 'linux/amd64', metadataFile: 'dist/other/docker-build-linux-amd64.json' }],
    });
    expect(read).toEqual({
      error: expect.stringMatching(/no image metadata at .*docker-build-linux-amd64\.json; build and push it first/),
    });
  });
});

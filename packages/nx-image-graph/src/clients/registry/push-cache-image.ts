import type Docker from 'dockerode';
import type { ImageMetadata } from '../../core/image-records/image-metadata';
import { pushImage, PushResult } from './push-image';
import { registryReference } from '../../inference/references/registry-reference';

/**
 * Pushes a build's cache image (engine/inline-cache.ts) beside the image, under its own tag
 * (`buildcache...`) in every registry: what another machine's `"cacheFrom"` names. A build restored
 * from Nx's cache has no cache image in this engine: the machine that built it pushed it; said, not failed.
 */
export async function pushCacheImage(
  docker: Docker,
  m: Pick<ImageMetadata, 'repository' | 'cacheImage'>,
  registries: string[],
  opts: { retries?: number; log?: (line: string) => void },
): Promise<{ results: PushResult[]; note?: string }> {
  if (!m.cacheImage) return { results: [] };
  const tag = m.cacheImage.reference.slice(m.cacheImage.reference.lastIndexOf(':') + 1);
  const here = await docker
    .getImage(m.cacheImage.imageId)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!here)
    return {
      results: [],
      note: `build cache image ${m.cacheImage.reference} is not in this engine (the build came from a cache): the machine that built it pushed it`,
    };
  const results: PushResult[] = [];
  for (const registry of registries)
    results.push(await pushImage(docker, m.cacheImage.imageId, registryReference(registry, m.repository, tag), opts));
  return { results };
}

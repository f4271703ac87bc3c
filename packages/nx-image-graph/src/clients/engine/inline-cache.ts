import type Docker from 'dockerode';

/**
 * Inline cache without it entering the image id. BuildKit's inline cache (`BUILDKIT_INLINE_CACHE`)
 * writes `moby.buildkit.cache.v0` into the image config, and that metadata holds when each cache
 * record was created: the same inputs built on two machines, every step cached, gave two image ids
 * (and the images built on them rebuilt everywhere). So the recorded image is built without it, and
 * the cache metadata goes into a second image, its "build cache image": the same build solved again
 * with BUILDKIT_INLINE_CACHE=1 (every step cached: the same layers, only the config differs), tagged
 * `<repository>:buildcache[-<variant>][-<os>-<arch>]` and pushed beside the image. Another machine's
 * `"cacheFrom"` names that reference and gets the layers, so its build gives the same image id.
 */
export const INLINE_CACHE_ARG = 'BUILDKIT_INLINE_CACHE';

/** The tag of a build's cache image: one per build, the newest push of it in each registry. */
export function cacheImageTag(variant: string | undefined, platform: string | undefined): string {
  return ['buildcache', variant, platform?.replace(/\//g, '-')].filter(Boolean).join('-');
}

export interface CacheImage {
  /** `repository:tag` in the engine. */
  reference: string;
  imageId: string;
}

/**
 * Tags the cache image, after checking it holds exactly the recorded image's layers (a step solved
 * anew would give other layers, and another machine would then build another image from it).
 * Returns why not, when it does not.
 */
export async function keepCacheImage(
  docker: Docker,
  imageId: string,
  cacheImageId: string,
  reference: string,
): Promise<CacheImage | { problem: string }> {
  const [image, cache] = await Promise.all([docker.getImage(imageId).inspect(), docker.getImage(cacheImageId).inspect()]);
  const layers = (i: { RootFS?: { Layers?: string[] } }) => (i.RootFS?.Layers ?? []).join(',');
  if (layers(image) !== layers(cache)) return { problem: `its layers are not the image's (a step was solved anew)` };
  const at = reference.lastIndexOf(':');
  await docker.getImage(cacheImageId).tag({ repo: reference.slice(0, at), tag: reference.slice(at + 1) });
  return { reference, imageId: cacheImageId };
}

/** For a build with `"inlineCache": true`: its cache image request (the build's own platform in the tag for one platform of several). */
export function cacheImageRequest(
  options: { inlineCache?: boolean; repository: string; variant?: string; platform?: string; platformTags?: boolean },
  context: () => NodeJS.ReadableStream,
): { reference: string; context: () => NodeJS.ReadableStream } | undefined {
  if (!options.inlineCache) return undefined;
  return {
    reference: `${options.repository}:${cacheImageTag(options.variant, options.platformTags ? options.platform : undefined)}`,
    context,
  };
}

/** The metadata field for a build's cache image, when its build made one. */
export function cacheImageField(outcome: object): { cacheImage?: CacheImage } {
  const cacheImage = (outcome as { cacheImage?: CacheImage }).cacheImage;
  return cacheImage ? { cacheImage } : {};
}

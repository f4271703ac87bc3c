import type Docker from 'dockerode';
import { engineFacts, nativePlatform, platformProblem } from './engine-platform';
import { formatPlatform, platformTag, samePlatform } from '../../inference/platform-plan/platform-name';

/**
 * One platform's build of a multi-platform image tags its image `<tag>-<os>-<arch>`: the engine's
 * store holds one image per tag, and the plain tags name the index once pushed. The plain tags are
 * kept as `indexTags` for the push.
 */
export function platformBuildTags(
  tags: string[],
  repository: string,
  platform: string,
): { tags: string[]; references: string[]; indexTags: string[] } {
  const own = tags.map((t) => platformTag(t, platform));
  return { tags: own, references: own.map((t) => `${repository}:${t}`), indexTags: tags };
}

/**
 * Why the engine cannot build for the platform a build asks for, if it cannot: checked before
 * anything is sent, not left to the first RUN step's "exec format error".
 */
export async function checkBuildPlatform(
  docker: Docker,
  engine: { name: string; version: string; address: string; os?: string; arch?: string },
  platform: string | undefined,
): Promise<{ problem?: string; note?: string }> {
  // No platform asked for: the engine's own, which needs no emulator and no question to the engine.
  if (!platform) return {};
  const native = await nativePlatform(docker, engine);
  if (samePlatform(platform, native)) return {};
  return platformProblem(platform, await engineFacts(docker, engine, native));
}

/** A workspace parent pinned for a build of a declared platform must be an image of that platform. */
export async function parentPlatformProblem(
  docker: Docker,
  parents: { project: string; reference: string; imageId: string }[],
  platform: string | undefined,
): Promise<string | undefined> {
  if (!platform) return undefined;
  for (const p of parents) {
    const image = (await docker
      .getImage(p.imageId)
      .inspect()
      .catch(() => undefined)) as { Os?: string; Architecture?: string; Variant?: string } | undefined;
    if (!image?.Os || !image.Architecture) continue;
    const theirs = formatPlatform(image.Os, image.Architecture, image.Variant);
    if (!samePlatform(theirs, platform)) {
      return `parent ${p.project} ("${p.reference}") is a ${theirs} image, and this build is for ${platform}: BuildKit would look for a ${platform} image of "${p.reference}" in a registry instead. Give ${p.project} "platforms" that include ${platform}`;
    }
  }
  return undefined;
}

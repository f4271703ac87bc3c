import { samePlatform } from '../../inference/platform-plan/platform-name';

/** A workspace parent as the build executor gets it; `platform` when the parent is built per platform. */
export interface PlatformParent {
  reference: string;
  project: string;
  metadataFile: string;
  registries?: string[];
  platform?: string;
}

export class ParentPlatformError extends Error {}

/**
 * A parent built for several platforms is listed once per platform: the build keeps the one of its
 * own platform, so each platform of a child is built on the parent's image of that platform.
 */
export function parentsForPlatform<T extends PlatformParent>(parents: T[], platform: string): T[] {
  const kept: T[] = [];
  const byReference = new Map<string, T[]>();
  for (const p of parents) {
    if (!p.platform) kept.push(p);
    else byReference.set(p.reference, [...(byReference.get(p.reference) ?? []), p]);
  }
  for (const [reference, options] of byReference) {
    const match = options.find((o) => samePlatform(o.platform!, platform));
    if (!match) {
      throw new ParentPlatformError(
        `parent ${options[0].project} ("${reference}") has no ${platform} image: it is built for ${options.map((o) => o.platform).join(', ')}. ` +
          `Add "${platform}" to its "platforms", or build this image for one of those`,
      );
    }
    kept.push(match);
  }
  return kept;
}

import type { NormalizedOptions } from '../options/plugin-options';
import type { ImageProject, ResolvedBuild } from '../definitions/image-project';
import { platformTargetName } from '../platform-plan/platform-name';

/**
 * Where an image's build records go (metadata, image id, inputs): a folder of their own under the
 * output directory, never `dist/<project root>`, where Nx's own build targets write (a build that
 * copies `dist/apps/api` would ship them, and restoring that build from the cache would replace them).
 */
export function recordsDirOf(outputDir: string, projectRoot: string): string {
  return `${outputDir}/image-builds/${projectRoot === '.' ? 'root' : projectRoot}`;
}

/** The metadata file a build writes (and Nx caches); its image id file sits beside it. */
export function metadataFileOf(outputDir: string, projectRoot: string, targetName: string): string {
  return `${recordsDirOf(outputDir, projectRoot)}/${targetName}.json`;
}

/** A target of one build: `<base>` for an image without variants, `<base>-<variant>` per variant. */
export function variantTargetName(base: string, variant?: string): string {
  return variant ? `${base}-${variant}` : base;
}

/** For push, materialize and promote of a multi-platform build: each platform's build record. */
export function platformBuilds(
  project: ImageProject,
  build: ResolvedBuild,
  options: NormalizedOptions,
): { platforms?: { platform: string; metadataFile: string }[] } {
  if (!build.platforms) return {};
  return {
    platforms: build.platforms.map((p) => ({
      platform: p,
      metadataFile: metadataFileOf(options.outputDir, project.definition.root, platformTargetName(build.targetName, p)),
    })),
  };
}

import type { TargetConfiguration } from '@nx/devkit';
import type { NormalizedOptions } from '../options/plugin-options';
import type { ImageProject } from '../definitions/image-project';
import { metadataFileOf, platformBuilds, variantTargetName } from './target-names';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';
import { settingsMetadata } from './target-settings';

export const PROMOTE_TARGET = 'docker-promote';
/** The target `nx release publish` runs on every project of a release. */
export const RELEASE_PUBLISH_TARGET = 'nx-release-publish';
/** What `nx release version` uses for an image (release/version-actions.js in the package). */
export const VERSION_ACTIONS = `${PLUGIN_NAME}/release/version-actions`;

/**
 * docker-promote (per variant, and one for all variants that forwards the command line to them):
 * version tags on what docker-push pushed. It depends on nothing: it promotes what is already in
 * the registry, and must not rebuild or push again.
 */
export function promoteTargets(
  project: ImageProject,
  options: NormalizedOptions,
  registries: string[],
): Record<string, TargetConfiguration> {
  const variants = project.builds.map((b) => b.variant).filter((v): v is string => !!v);
  const targets: Record<string, TargetConfiguration> = {};
  for (const b of project.builds) {
    targets[variantTargetName(PROMOTE_TARGET, b.variant)] = {
      executor: `${PLUGIN_NAME}:promote`,
      // Not cached, as a push: it acts on the registry.
      cache: false,
      metadata: {
        description: `Tag the pushed ${project.repository}${b.variant ? ` (${b.variant})` : ''}${b.platforms ? ` (its index over ${b.platforms.join(', ')})` : ''} with a version (--tag=1.2.0, --release-version=1.2.0, --scheme) in ${registries.join(', ')}, registry-side`,
        technologies: ['docker'],
        ...settingsMetadata({
          metadataFile: metadataFileOf(options.outputDir, project.definition.root, b.targetName),
          ...platformBuilds(project, b, options),
          registries,
          indexFile: `${options.outputDir}/images.json`,
          ...(variants.length ? { variants } : {}),
        }),
      },
    };
  }
  if (variants.length) {
    targets[PROMOTE_TARGET] = {
      executor: 'nx:noop',
      cache: false,
      dependsOn: variants.map((v) => ({ target: variantTargetName(PROMOTE_TARGET, v), params: 'forward' as const })),
      metadata: {
        description: `Tag every pushed variant of ${project.repository} (${variants.join(', ')}) with a version`,
        technologies: ['docker'],
      },
    };
  }
  return targets;
}

/**
 * nx-release-publish: the release version on the image, after its pushes (which build first, a
 * cache hit where nothing changed): `nx release` then ships what CI built, without rebuilding it.
 */
export function releasePublishTarget(
  project: ImageProject,
  options: NormalizedOptions,
  registries: string[],
  manifestFile: string,
): TargetConfiguration {
  return {
    executor: `${PLUGIN_NAME}:release-publish`,
    cache: false,
    dependsOn: project.builds.map((b) => variantTargetName(options.pushTargetName, b.variant)),
    metadata: {
      description: `Tag the pushed ${project.repository} with its release version (nx release) in ${registries.join(', ')}, registry-side`,
      technologies: ['docker'],
      ...settingsMetadata({
        builds: project.builds.map((b) => ({
          metadataFile: metadataFileOf(options.outputDir, project.definition.root, b.targetName),
          ...(b.variant ? { variant: b.variant } : {}),
          ...platformBuilds(project, b, options),
        })),
        registries,
        indexFile: `${options.outputDir}/images.json`,
        manifestFile,
      }),
    },
  };
}

/** The project's `release` configuration: its version lives in its manifest (release/image-version-actions). */
export function imageReleaseConfig(manifestName: string): {
  version: { versionActions: string; versionActionsOptions: { manifest: string } };
} {
  return { version: { versionActions: VERSION_ACTIONS, versionActionsOptions: { manifest: manifestName } } };
}

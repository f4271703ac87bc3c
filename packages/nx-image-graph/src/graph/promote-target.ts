import type { TargetConfiguration } from '@nx/devkit';
import type { NormalizedOptions } from '../plugins/options';
import type { ImageProject } from './image-project';
import { metadataFileOf, PLUGIN_NAME, variantTargetName } from './image-targets';
import { settingsMetadata } from './target-settings';

export const PROMOTE_TARGET = 'docker-promote';

/**
 * docker-promote (per variant, and one for all variants that forwards the command line to them):
 * version tags on what docker-push pushed. It depends on nothing: it promotes what is already in
 * the registry, and must not rebuild or push again.
 */
export function promoteTargets(project: ImageProject, options: NormalizedOptions, registries: string[]): Record<string, TargetConfiguration> {
  const variants = project.builds.map((b) => b.variant).filter((v): v is string => !!v);
  const targets: Record<string, TargetConfiguration> = {};
  for (const b of project.builds) {
    targets[variantTargetName(PROMOTE_TARGET, b.variant)] = {
      executor: `${PLUGIN_NAME}:promote`,
      metadata: {
        description: `Tag the pushed ${project.repository}${b.variant ? ` (${b.variant})` : ''} with a version (--tag=1.2.0, --version, --scheme) in ${registries.join(', ')}, registry-side`,
        technologies: ['docker'],
        ...settingsMetadata({
          metadataFile: metadataFileOf(options.outputDir, project.definition.root, b.targetName),
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
      dependsOn: variants.map((v) => ({ target: variantTargetName(PROMOTE_TARGET, v), params: 'forward' as const })),
      metadata: { description: `Tag every pushed variant of ${project.repository} (${variants.join(', ')}) with a version`, technologies: ['docker'] },
    };
  }
  return targets;
}

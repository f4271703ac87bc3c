import { posix } from 'node:path';
import { DEFAULT_PROJECT_NAME_STYLE } from './project-names';
import { PluginOptionsError } from './plugin-options-error';
import type { ImageGraphPluginOptions } from './plugin-options-schema';

export { PluginOptionsError } from './plugin-options-error';
export type { ImageGraphPluginOptions } from './plugin-options-schema';
export type NormalizedOptions = Required<ImageGraphPluginOptions>;

/** The schema, loaded when there are options to check. */
export function validateOptions(raw: unknown): ImageGraphPluginOptions {
  return (require('./plugin-options-schema') as typeof import('./plugin-options-schema')).validateOptions(raw);
}

/** The one place options are validated and defaults decided. Throws PluginOptionsError. */
export function normalizeOptions(raw: unknown, validate: (raw: unknown) => ImageGraphPluginOptions = validateOptions): NormalizedOptions {
  // No options (the usual registration) need no schema: zod is the costliest module a fresh plugin worker would load.
  const o =
    raw === undefined || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)
      ? {}
      : validate(raw);
  const options: NormalizedOptions = {
    buildTargetName: o.buildTargetName ?? 'docker-build',
    pushTargetName: o.pushTargetName ?? 'docker-push',
    validateTargetName: o.validateTargetName ?? 'docker-validate',
    layersTargetName: o.layersTargetName ?? 'docker-layers',
    materializeTargetName: o.materializeTargetName ?? 'docker-materialize',
    dockerfiles: o.dockerfiles ?? ['Dockerfile', 'Containerfile'],
    manifest: o.manifest ?? 'image.json',
    outputDir: posix.normalize((o.outputDir ?? 'dist').replace(/\\/g, '/')).replace(/\/+$/, '') || '.',
    ignoredOwners: o.ignoredOwners ?? [],
    registries: o.registries ?? [],
    hashExternalBases: o.hashExternalBases ?? true,
    materialize: o.materialize ?? 'check',
    buildTargets: o.buildTargets ?? 'command',
    projectNames: o.projectNames ?? DEFAULT_PROJECT_NAME_STYLE,
  };
  const targets = (['buildTargetName', 'pushTargetName', 'validateTargetName', 'layersTargetName', 'materializeTargetName'] as const).map(
    (k) => [k, options[k]] as const,
  );
  const clash = targets.find(([k, v]) => targets.some(([k2, v2]) => k2 !== k && v2 === v));
  if (clash) {
    const other = targets.find(([k, v]) => k !== clash[0] && v === clash[1])![0];
    throw new PluginOptionsError(
      `nx.json: nx-image-graph options "${clash[0]}" and "${other}" are both "${clash[1]}"; give each target its own name`,
    );
  }
  return options;
}

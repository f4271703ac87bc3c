import type { TargetConfiguration } from '@nx/devkit';
import { manifestSchema } from '../manifest/schema';

type InputDefinition = Exclude<TargetConfiguration['inputs'], undefined>[number];

/** Manifest fields no build reads: checks are the validate target's, registries and contentTag the push target's, version the release's, inputs are hashed as files. */
const NOT_READ_BY_BUILDS = new Set(['$schema', 'version', 'checks', 'registries', 'contentTag', 'inputs', 'variants']);

/**
 * The manifest as one build or one validation reads it, as an Nx input that hashes only those
 * fields: the image-wide fields and this variant's own, never another variant's.
 */
export function manifestFieldsInput(manifestFile: string, reader: 'build' | 'checks', variant?: string): InputDefinition {
  const json = `{workspaceRoot}/${manifestFile}`;
  // A dotted variant name cannot be addressed by Nx's dot paths: hash every variant then.
  const own = variant && !variant.includes('.') ? `variants.${variant}` : 'variants';
  if (reader === 'checks') return { json, fields: ['checks', variant ? `${own}.checks` : 'variants'] } as InputDefinition;
  const fields = [...Object.keys(manifestSchema.shape).filter((k) => !NOT_READ_BY_BUILDS.has(k)), ...(variant ? [own] : [])];
  return { json, fields, ...(variant ? { excludeFields: [`${own}.checks`, `${own}.contentTag`] } : {}) } as InputDefinition;
}

import type { TargetConfiguration } from '@nx/devkit';

type InputDefinition = Exclude<TargetConfiguration['inputs'], undefined>[number];

/**
 * Manifest fields no build reads: checks are the validate target's, registries and contentTag the push target's, version the release's, inputs are hashed as files.
 * timeoutMinutes a build reads, but it only bounds how long the build may take: the same inputs make the same image whatever it is.
 */
const NOT_READ_BY_BUILDS = ['$schema', 'version', 'checks', 'registries', 'contentTag', 'inputs', 'timeoutMinutes'];

/**
 * The manifest as one build or one validation reads it, as an Nx input that hashes only those
 * fields: the image-wide fields and this variant's own, never another variant's.
 * A build's input names what it leaves out, not what it reads: the manifest schema is strict (no
 * other key gets this far), and a short deny-list keeps every build's configuration small, which
 * every Nx command pays for.
 */
export function manifestFieldsInput(
  manifestFile: string,
  reader: 'build' | 'checks',
  variant?: string,
  variants: readonly string[] = [],
): InputDefinition {
  const json = `{workspaceRoot}/${manifestFile}`;
  // A dotted variant name cannot be addressed by Nx's dot paths: such a variant is hashed whole, as its own and as another's.
  const addressable = (v: string) => !v.includes('.');
  const own = variant && addressable(variant) ? `variants.${variant}` : 'variants';
  if (reader === 'checks') return { json, fields: ['checks', variant ? `${own}.checks` : 'variants'] } as InputDefinition;
  if (!variant) return { json, excludeFields: [...NOT_READ_BY_BUILDS, 'variants'] } as InputDefinition;
  const others = variants.filter((v) => v !== variant && addressable(v)).map((v) => `variants.${v}`);
  const ownPushFields = addressable(variant) ? [`${own}.checks`, `${own}.contentTag`] : [];
  return { json, excludeFields: [...NOT_READ_BY_BUILDS, ...others, ...ownPushFields] } as InputDefinition;
}

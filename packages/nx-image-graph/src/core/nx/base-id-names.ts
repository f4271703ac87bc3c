import { createHash } from 'node:crypto';

/**
 * The environment variables that stand for external bases in the Nx hash. Each build of an image on
 * an external base has an `{ env }` input per base; the plugin's preTasksExecution hook sets them
 * to the base's id in the engine before Nx hashes (base-id-env.ts), so a re-pulled base
 * invalidates exactly the builds on it, with no process started per base.
 */
export const BASE_ID_ENV_PREFIX = 'NX_IMAGE_GRAPH_BASE_';
const PLATFORM_ENV_PREFIX = 'NX_IMAGE_GRAPH_PLATFORM_';

/** One hashed base of one build: which variable, for which reference and platform. */
export interface BaseIdInput {
  env: string;
  reference: string;
  platform?: string;
}

/** Readable and unique: the reference's characters, then a digest of reference and platform. */
export function baseIdEnvName(reference: string, platform?: string): string {
  const digest = createHash('sha256')
    .update(`${platform ?? ''}|${reference}`)
    .digest('hex')
    .slice(0, 10);
  return `${BASE_ID_ENV_PREFIX}${reference.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 48)}_${digest}`;
}

/** A platform build's own input: the platform, which its files alone do not tell apart. */
export function platformEnvName(platform: string): string {
  return `${PLATFORM_ENV_PREFIX}${platform.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/** The bases a build hashes (none with `hashExternalBases: false`; `scratch` is no image). */
export function baseIdInputs(externals: { reference: string }[], platform: string | undefined, hashExternalBases: boolean): BaseIdInput[] {
  if (!hashExternalBases) return [];
  return externals
    .filter((e) => e.reference !== 'scratch')
    .map((e) => ({ env: baseIdEnvName(e.reference, platform), reference: e.reference, ...(platform ? { platform } : {}) }));
}

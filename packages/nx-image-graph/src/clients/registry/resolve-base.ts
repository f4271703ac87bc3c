import { parseImageReference } from '../../inference/dockerfile';
import { RegistryApi, RegistryUnreachableError } from './registry-api';
import type { LockEntry } from '../../inference/lock/lock-file';

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Where a reference is served: registry host (for credentials), API host, repository path, tag. */
export function registryLocation(reference: string): { host: string; apiHost: string; repository: string; tag: string } | undefined {
  const parsed = parseImageReference(reference);
  if (!parsed || parsed.digest) return undefined;
  const registry = parsed.registry ?? 'docker.io';
  const hub = DOCKER_HUB.has(registry.toLowerCase());
  return {
    host: hub ? 'index.docker.io' : registry,
    apiHost: hub ? 'registry-1.docker.io' : registry,
    repository: hub && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository,
    tag: parsed.tag ?? 'latest',
  };
}

export type Resolved = { entry: LockEntry; note?: string } | { error: string };

/** What resolving needs from outside: the registry's digest for a tag, the engine's image id for a reference. */
export interface Resolvers {
  registryDigest(host: string, apiHost: string, repository: string, tag: string): Promise<string | undefined>;
  engineImageId(reference: string): Promise<string | undefined>;
}

export const registryDigest: Resolvers['registryDigest'] = (host, apiHost, repository, tag) =>
  new RegistryApi(host, process.env, apiHost).manifestDigest(repository, tag);

/**
 * The current digest of an external base: its registry's manifest digest; the local engine's image
 * id only when the registry cannot be reached at all (said in the note). A registry that answers
 * "no such tag" or refuses is an error, never a reason to take the engine's image instead.
 */
export async function resolveBase(reference: string, resolvers: Resolvers): Promise<Resolved> {
  const where = registryLocation(reference);
  if (!where) return { error: `${reference}: not an image reference a registry serves` };
  try {
    const digest = await resolvers.registryDigest(where.host, where.apiHost, where.repository, where.tag);
    if (!digest) return { error: `${reference}: ${where.apiHost} has no ${where.repository}:${where.tag}` };
    return { entry: { reference, digest, source: 'registry' } };
  } catch (e) {
    if (!(e instanceof RegistryUnreachableError)) return { error: `${reference}: ${(e as Error).message}` };
    const id = await resolvers.engineImageId(reference).catch(() => undefined);
    if (!id) return { error: `${reference}: ${e.message}, and the engine does not have the image either` };
    return {
      entry: { reference, digest: id, source: 'engine' },
      note: `${where.apiHost} not reachable (${e.message.replace(/^registry \S+ /, '')}): locked to the engine's image id`,
    };
  }
}

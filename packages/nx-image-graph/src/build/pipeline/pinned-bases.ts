import { parseImageReference } from '../../inference/dockerfile';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { RegistryApi, RegistryUnreachableError } from '../../clients/registry/registry-api';

/**
 * A base pinned by digest (`FROM busybox@sha256:…`, or by images.lock.json) that the engine does not
 * hold: BuildKit would fetch it from its registry and fail with that registry's raw error ("no such
 * host", "not found"), naming neither the Dockerfile line nor the lock. Asked here, before the build,
 * only for such bases: the registry's answer says whether the digest exists, and where.
 */
export interface PinnedBase {
  /** As the Dockerfile names it (the lock's key for a locked base). */
  reference: string;
  /** The digest the build would fetch. */
  digest: string;
  /** Whether the digest comes from the lock (else from the Dockerfile, at `line`). */
  locked: boolean;
  line?: number;
}

/** Whether the registry has the manifest: false for "not found"; throws RegistryUnreachableError when it cannot be asked. */
export type HasManifest = (host: string, apiHost: string, repository: string, digest: string) => Promise<boolean>;

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export const registryHasManifest: HasManifest = async (host, apiHost, repository, digest) =>
  (await new RegistryApi(host, process.env, apiHost).manifestDigest(repository, digest)) !== undefined;

/** The first pinned base the engine lacks and its registry cannot give, said with the file and the fix; undefined when all can be had. */
export async function unavailablePinnedBase(
  bases: PinnedBase[],
  dockerfile: string,
  has: HasManifest = registryHasManifest,
): Promise<string | undefined> {
  for (const base of bases) {
    const parsed = parseImageReference(base.reference);
    if (!parsed) continue;
    const registry = parsed.registry ?? 'docker.io';
    const hub = DOCKER_HUB.has(registry.toLowerCase());
    const apiHost = hub ? 'registry-1.docker.io' : registry;
    const repository = hub && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
    const where = base.locked
      ? `${base.reference} is locked in ${LOCK_FILE} to ${base.digest}`
      : `${dockerfile}:${base.line}: "${base.reference}" names digest ${base.digest}`;
    const fix = base.locked
      ? `run \`npx nx-image-graph-lock ${base.reference}\` to lock what its registry has now, or load the locked image into the engine`
      : 'fix the digest in the Dockerfile, or load the image into the engine';
    try {
      if (await has(hub ? 'index.docker.io' : registry, apiHost, repository, base.digest)) continue;
      return `${where}, which the registry ${apiHost} does not have for ${repository} (not found), and the engine does not hold it either; ${fix}`;
    } catch (e) {
      const reason = (e as Error).message.replace(/^registry \S+ /, '');
      if (e instanceof RegistryUnreachableError) {
        return `${where}; the engine does not hold it, and its registry ${apiHost} cannot be reached to fetch it (${reason}); pull or load it into the engine where the registry can be reached, or ${fix.replace(/, or load the (locked )?image into the engine$/, '')}`;
      }
      return `${where}; the engine does not hold it, and its registry ${apiHost} ${reason}`;
    }
  }
  return undefined;
}

/** The bases of a build the engine does not hold that are pinned by digest: by the lock, or in the Dockerfile. */
export function pinnedBasesToFetch(
  bases: { reference: string; imageId?: string; digest?: string }[],
  dependencies: { reference: string; line: number }[],
): PinnedBase[] {
  return bases.flatMap((b): PinnedBase[] => {
    if (b.imageId) return [];
    if (b.digest) return [{ reference: b.reference, digest: b.digest, locked: true }];
    const digest = parseImageReference(b.reference)?.digest;
    return digest
      ? [{ reference: b.reference, digest, locked: false, line: dependencies.find((d) => d.reference === b.reference)?.line }]
      : [];
  });
}

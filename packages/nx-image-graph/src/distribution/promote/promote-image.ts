import { splitReference } from '../../inference/references/registry-reference';
import { RegistryApi, RegistryApiError } from '../../clients/registry/registry-api';

export interface Promoted {
  /** The manifest copied, found by its digest (from the push record) or by the content tag. */
  source: string;
  digest: string;
  mediaType: string;
  /** `registry/repo:tag` for every new tag, all with `digest`. */
  references: string[];
}

/**
 * Puts `tags` on an image already in a registry, on the registry side: the manifest (or
 * multi-platform index) is read by digest, or by its content tag `nx-<hash>`, and put back
 * byte for byte under each tag, so every tag has the same digest. Nothing is pulled or built;
 * the layers (and an index's platform manifests) are already in the repository.
 */
export async function promoteImage(
  sourceReference: string,
  knownDigest: string | undefined,
  tags: string[],
  apiFor: (host: string) => RegistryApi,
): Promise<Promoted> {
  const { repo, tag } = splitReference(sourceReference);
  const slash = repo.indexOf('/');
  const host = repo.slice(0, slash);
  const path = repo.slice(slash + 1);
  const api = apiFor(host);
  const by = knownDigest ?? tag;
  const manifest = await api.getManifest(path, by);
  if (!manifest) {
    throw new RegistryApiError(
      `registry ${host} has no ${path}${knownDigest ? `@${knownDigest}` : `:${tag}`}: push the build first (its docker-push target), then promote`,
    );
  }
  const references: string[] = [];
  for (const t of tags) {
    const digest = await api.putManifest(path, t, manifest);
    if (digest !== manifest.digest) throw new RegistryApiError(`registry ${host} stored ${path}:${t} as ${digest}, not ${manifest.digest}`);
    references.push(`${repo}:${t}`);
  }
  return { source: `${repo}@${manifest.digest}`, digest: manifest.digest, mediaType: manifest.mediaType, references };
}

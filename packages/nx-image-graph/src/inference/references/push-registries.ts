import { parseImageReference } from '../dockerfile';
import { registryReference } from './registry-reference';

/** The registry host a repository names (`us-docker.pkg.dev/proj/arr/x`), by Docker's reference rules; none for `acme/x`. */
export function repositoryHost(repository: string): string | undefined {
  return parseImageReference(repository)?.registry;
}

/**
 * Where an image is pushed, as `docker push` would and then some: the host its repository names
 * (with no `registries` needed), then the configured registries. A repository without a host is
 * not sent to Docker Hub unasked: it is pushed only to the configured registries. Registries that
 * would give the same reference are listed once.
 */
export function pushRegistries(repository: string, configured: string[]): string[] {
  const host = repositoryHost(repository);
  const seen = new Set<string>();
  return [...(host ? [host] : []), ...configured].filter((r) => {
    const reference = registryReference(r, repository, 'x');
    if (seen.has(reference)) return false;
    seen.add(reference);
    return true;
  });
}

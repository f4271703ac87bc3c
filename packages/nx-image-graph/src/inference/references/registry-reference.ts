import { parseImageReference } from '../dockerfile';

/**
 * The reference an image gets in a registry: `<registry>/<repository>:<tag>`. The registry may
 * carry a path (`registry.example.com/team`); a host already in the repository is replaced.
 */
export function registryReference(registry: string, repository: string, tag: string): string {
  const parsed = parseImageReference(repository);
  const repo = parsed?.repository ?? repository;
  return `${registry.replace(/\/+$/, '')}/${repo}:${tag}`;
}

/** Splits `host/path/repo:tag` into the parts dockerode's push and tag calls take. */
export function splitReference(reference: string): { repo: string; tag: string } {
  const at = reference.lastIndexOf(':');
  const slash = reference.lastIndexOf('/');
  return at > slash ? { repo: reference.slice(0, at), tag: reference.slice(at + 1) } : { repo: reference, tag: 'latest' };
}

/** The tag derived from the Nx task hash: known before the build, unique to its inputs. */
export function contentTag(nxHash: string): string {
  return `nx-${nxHash}`;
}

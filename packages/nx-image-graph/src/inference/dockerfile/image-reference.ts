/**
 * Image references as Docker reads them (github.com/distribution/reference): `[registry/]repository[:tag][@digest]`.
 * We keep what the user wrote (no `docker.io/library/` added) and normalise only for comparison.
 */

export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const REGISTRY = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageReference(ref: string): ImageReference | undefined {
  if (ref === '' || /\s/.test(ref)) return undefined;

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }

  // The tag follows the last ':' of the last path component (a ':' before a '/' is a registry port).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }

  if (rest.length === 0 || rest.length > MAX_NAME_LENGTH) return undefined;

  // Docker's rule (splitDockerDomain): the first component is a registry host only if it looks like one.
  // Upper case also marks a host, because repository names must be lower case.
  let registry: string | undefined;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
      if (!REGISTRY.test(registry)) return undefined;
    }
  }
  if (!repository.split('/').every((c) => PATH_COMPONENT.test(c))) return undefined;

  return {
    ...(registry !== undefined ? { registry } : {}),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export function formatImageReference(parts: ImageReference): string {
  return `${parts.registry ? `${parts.registry}/` : ''}${parts.repository}${parts.tag ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}

/**
 * A repository name for comparing references: Docker Hub's host names and its implicit `library/`
 * are dropped (`docker.io/library/ubuntu` and `ubuntu` are the same image), other registries are kept.
 */
export function normalizeRepository(repository: string, registry?: string): string {
  if (registry !== undefined && !DOCKER_HUB.has(registry.toLowerCase())) return `${registry}/${repository}`;
  return repository.startsWith('library/') ? repository.slice('library/'.length) : repository;
}

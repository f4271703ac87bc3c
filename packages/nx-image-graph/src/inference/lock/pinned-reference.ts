import { formatImageReference, parseImageReference } from '../dockerfile';

/** `repository@digest` for a reference locked by registry digest: the tag is dropped, the digest alone names the manifest. */
export function pinnedReference(reference: string, digest: string): string {
  const parsed = parseImageReference(reference);
  if (!parsed) return `${reference}@${digest}`;
  return formatImageReference({ ...(parsed.registry ? { registry: parsed.registry } : {}), repository: parsed.repository, digest });
}

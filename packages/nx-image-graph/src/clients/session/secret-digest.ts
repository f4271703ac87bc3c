import { createHash } from 'node:crypto';

/**
 * The digest a secret marked "hashValue" is known by (in the Nx hash through bin/secret-digest.js, and
 * in the build's inputs label): SHA-256 with a domain prefix, so it is not the plain SHA-256 of a token.
 * Never the value.
 */
export function secretValueDigest(value: Buffer | string | undefined): string {
  return value === undefined ? 'absent' : `sha256:${createHash('sha256').update('nx-image-graph secret\0').update(value).digest('hex')}`;
}

/** The lock of external bases, at the workspace root. */
export const LOCK_FILE = 'images.lock.json';

/**
 * The key of a reference in the file: the reference with each "." written "~". Nx's JSON field
 * inputs split their paths at dots, and a build's input names its bases' entries by key; "~" never
 * occurs in an image reference, so the key still names exactly one reference.
 * Apart from the file's schema (zod), which the graph never needs.
 */
export function lockKey(reference: string): string {
  return reference.split('.').join('~');
}

import type { TargetConfiguration } from '@nx/devkit';
import { parseImageReference } from '../dockerfile';
import { LOCK_FILE, lockKey } from './lock-key';

type InputDefinition = Exclude<TargetConfiguration['inputs'], undefined>[number];

/**
 * References a lock can pin: not `scratch`, not one already pinned by a digest in the Dockerfile,
 * and a plain reference (one left with a variable only the build knows, such as $TARGETARCH, is not).
 */
export function lockable(reference: string): boolean {
  const parsed = parseImageReference(reference);
  return reference.toLowerCase() !== 'scratch' && !!parsed && !parsed.digest;
}

/**
 * A build's input on the lock: only the entries of its own external bases, through Nx's JSON field
 * input (as manifest-fields.ts does for image.json), so moving one base's entry changes the hashes
 * of the builds on that base and of no other. Without a lock file the input hashes as absent, and
 * writing the first lock changes the hashes of exactly the builds on the bases it pins.
 */
export function lockEntriesInput(references: readonly string[]): InputDefinition[] {
  const fields = [...new Set(references.filter(lockable).map((r) => `bases.${lockKey(r)}`))].sort();
  return fields.length ? [{ json: `{workspaceRoot}/${LOCK_FILE}`, fields } as InputDefinition] : [];
}

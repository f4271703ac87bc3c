import type { BaseLock } from '../../inference/lock/lock-file';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { pinnedReference } from '../../inference/lock/pinned-reference';

/** How the build treats one external base under the lock. */
export interface LockedBase {
  /** What the build inspects and pulls: `repository@digest` for a registry entry, else the reference. */
  reference: string;
  /** The registry digest the sent Dockerfile names, for a registry entry. */
  digest?: string;
  /** The image id the engine must hold under the reference, for an engine entry. */
  engineId?: string;
}

export function lockedBase(reference: string, lock: BaseLock | undefined): LockedBase {
  const entry = lock?.get(reference);
  if (entry?.source === 'registry') return { reference: pinnedReference(reference, entry.digest), digest: entry.digest };
  if (entry?.source === 'engine') return { reference, engineId: entry.digest };
  return { reference };
}

/**
 * An engine entry pins a local image: a build on another image under that reference fails, it never
 * runs on it. Undefined when the engine holds the locked image.
 */
export function engineLockProblem(reference: string, locked: string, engineHas: string | undefined, project: string): string | undefined {
  if (engineHas === locked) return undefined;
  return (
    `${reference} is locked to ${locked} in ${LOCK_FILE} (the engine's image, its registry was not reachable when locked) ` +
    `but the engine ${engineHas ? `has ${engineHas}` : 'does not have it'}. Load the locked image, or lock what the engine has now ` +
    `with \`npx nx-image-graph-lock ${reference}\` and run \`nx run ${project}\` again`
  );
}

/** A base the lock does not name, in a workspace that has one: said, since it is not pinned. */
export function unlockedNote(reference: string): string {
  return `${reference} is not in ${LOCK_FILE}: built on whatever it points at now; \`npx nx-image-graph-lock\` pins it`;
}

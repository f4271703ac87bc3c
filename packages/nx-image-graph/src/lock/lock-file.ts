import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Zod from 'zod';
import { writeFileAtomic } from '../fs/write-atomic';
import { LOCK_FILE, lockKey } from './lock-key';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The file's schema, built when a lock is read: the run hook loads this module, and most workspaces have no lock. */
function lockSchema() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof Zod;
  const entry = z.strictObject({
    reference: z.string().min(1),
    digest: z.string().regex(DIGEST, 'a digest such as "sha256:<64 hex digits>"'),
    source: z.enum(['registry', 'engine']),
  });
  return z.strictObject({ lockfileVersion: z.literal(1), bases: z.record(z.string(), entry) });
}

/**
 * How one base is pinned: `registry` is the manifest (or index) digest its registry serves for the
 * reference, which the build then pulls by digest; `engine` is the local image id, when the
 * reference's registry could not be reached, which the build checks before it starts.
 */
export type LockEntry = Zod.infer<ReturnType<typeof lockSchema>>['bases'][string];
/** Entries by reference (as written in the Dockerfiles). */
export type BaseLock = Map<string, LockEntry>;

export class LockFileError extends Error {}

export function lockPath(workspaceRoot: string): string {
  return join(workspaceRoot, LOCK_FILE);
}

/** The lock, or undefined when the workspace has none. Bad content is one error naming the file and the field. */
export function readLock(workspaceRoot: string): BaseLock | undefined {
  const path = lockPath(workspaceRoot);
  if (!existsSync(path)) return undefined;
  return parseLock(readFileSync(path, 'utf8'));
}

export function parseLock(text: string): BaseLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LockFileError(`${LOCK_FILE} is not valid JSON (${(e as Error).message}); fix it or write it again with \`npx nx-image-graph-lock\``);
  }
  const parsed = lockSchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LockFileError(`${LOCK_FILE}: ${issue.path.length ? `"${issue.path.join('.')}"` : 'the file'}: ${issue.message}; fix it or write it again with \`npx nx-image-graph-lock\``);
  }
  const lock: BaseLock = new Map();
  for (const [key, entry] of Object.entries(parsed.data.bases)) {
    // A hand-edited key that names another reference would pin one base and hash another.
    if (key !== lockKey(entry.reference)) throw new LockFileError(`${LOCK_FILE}: "bases.${key}" holds "${entry.reference}", whose key is "${lockKey(entry.reference)}"; fix the key or write the file again with \`npx nx-image-graph-lock\``);
    lock.set(entry.reference, entry);
  }
  return lock;
}

/** The file's text: keys sorted, one field per line, so a moved base is a one-line diff. */
export function formatLock(lock: BaseLock): string {
  const bases: Record<string, LockEntry> = {};
  for (const reference of [...lock.keys()].sort()) {
    const e = lock.get(reference)!;
    bases[lockKey(reference)] = { reference: e.reference, digest: e.digest, source: e.source };
  }
  return JSON.stringify({ lockfileVersion: 1, bases }, null, 2) + '\n';
}

export function writeLock(workspaceRoot: string, lock: BaseLock): void {
  writeFileAtomic(lockPath(workspaceRoot), formatLock(lock));
}

/**
 * The lock after an update: the references the graph uses now, each from `resolved` when it was
 * resolved again, else as it was locked. Entries no build uses any more are dropped.
 */
export function mergeLock(previous: BaseLock | undefined, used: readonly string[], resolved: ReadonlyMap<string, LockEntry>): BaseLock {
  const next: BaseLock = new Map();
  for (const reference of used) {
    const entry = resolved.get(reference) ?? previous?.get(reference);
    if (entry) next.set(reference, entry);
  }
  return next;
}

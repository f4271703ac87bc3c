import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic';
import { LOCK_FILE, lockKey } from './lock-key';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * How one base is pinned: `registry` is the manifest (or index) digest its registry serves for the
 * reference, which the build then pulls by digest; `engine` is the local image id, when the
 * reference's registry could not be reached, which the build checks before it starts.
 */
export interface LockEntry {
  reference: string;
  digest: string;
  source: 'registry' | 'engine';
}
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
  const problem = lockProblem(json);
  if (problem) throw new LockFileError(`${LOCK_FILE}: ${problem.path.length ? `"${problem.path.join('.')}"` : 'the file'}: ${problem.message}; fix it or write it again with \`npx nx-image-graph-lock\``);
  const lock: BaseLock = new Map();
  for (const [key, entry] of Object.entries((json as { bases: Record<string, LockEntry> }).bases)) {
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

/**
 * The first thing wrong with a lock file's content, by its path: checked by hand, not with the
 * schema library the graph uses, because every build reads the lock and a build loads no more than it needs.
 */
export function lockProblem(json: unknown): { path: string[]; message: string } | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const extra = (o: Record<string, unknown>, keys: string[], path: string[]) => {
    const unknown = Object.keys(o).filter((k) => !keys.includes(k));
    return unknown.length ? { path, message: `unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}` } : undefined;
  };
  if (!isObject(json)) return { path: [], message: 'expected an object' };
  const top = extra(json, ['lockfileVersion', 'bases'], []);
  if (top) return top;
  if (json.lockfileVersion !== 1) return { path: ['lockfileVersion'], message: 'expected 1' };
  if (!isObject(json.bases)) return { path: ['bases'], message: 'expected an object' };
  for (const [key, entry] of Object.entries(json.bases)) {
    const at = ['bases', key];
    if (!isObject(entry)) return { path: at, message: 'expected an object' };
    const wrong = extra(entry, ['reference', 'digest', 'source'], at);
    if (wrong) return wrong;
    if (typeof entry.reference !== 'string' || !entry.reference) return { path: [...at, 'reference'], message: 'a non-empty string' };
    if (typeof entry.digest !== 'string' || !DIGEST.test(entry.digest)) return { path: [...at, 'digest'], message: 'a digest such as "sha256:<64 hex digits>"' };
    if (entry.source !== 'registry' && entry.source !== 'engine') return { path: [...at, 'source'], message: 'expected "registry" or "engine"' };
  }
  return undefined;
}

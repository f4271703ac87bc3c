import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/fs/write-atomic';
import { LOCK_FILE, lockKey } from './lock-key';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const SOURCES = ['registry', 'engine'] as const;

/**
 * How one base is pinned: `registry` is the manifest (or index) digest its registry serves for the
 * reference, which the build then pulls by digest; `engine` is the local image id, when the
 * reference's registry could not be reached, which the build checks before it starts.
 */
export interface LockEntry {
  reference: string;
  digest: string;
  source: (typeof SOURCES)[number];
}
/** Entries by reference (as written in the Dockerfiles). */
export type BaseLock = Map<string, LockEntry>;

export class LockFileError extends Error {}

export function lockPath(workspaceRoot: string): string {
  return join(workspaceRoot, LOCK_FILE);
}

/**
 * The lock as read: its good entries, and what is wrong with the file as a whole or with single
 * entries (by the reference they pin). The graph blocks only the builds on a base whose entry is
 * bad, and every build on a locked base when the file itself is; no schema library, since the
 * graph reads it on every computation.
 */
export interface LockReading {
  lock: BaseLock;
  fileProblem?: string;
  entryProblems: Map<string, string>;
}

const AGAIN = 'write it again with `npx nx-image-graph-lock`';

export function inspectLock(text: string): LockReading {
  const lock: BaseLock = new Map();
  const entryProblems = new Map<string, string>();
  const failed = (fileProblem: string): LockReading => ({ lock, fileProblem, entryProblems });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return failed(`${LOCK_FILE} is not valid JSON (${(e as Error).message}); fix it or ${AGAIN}`);
  }
  if (!isObject(json) || !('lockfileVersion' in json) || !isObject(json.bases)) {
    return failed(`${LOCK_FILE}: not a lock of base images (an object with "lockfileVersion": 1 and "bases"); ${AGAIN}`);
  }
  if (json.lockfileVersion !== 1) {
    return failed(
      `${LOCK_FILE}: "lockfileVersion" is ${JSON.stringify(json.lockfileVersion)}, but this nx-image-graph reads version 1; ${AGAIN}, or use the nx-image-graph that wrote it`,
    );
  }
  const unknown = Object.keys(json).filter((k) => k !== 'lockfileVersion' && k !== 'bases');
  if (unknown.length) return failed(`${LOCK_FILE}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; remove it or ${AGAIN}`);
  for (const [key, entry] of Object.entries(json.bases)) {
    const reference =
      isObject(entry) && typeof entry.reference === 'string' && entry.reference !== '' ? entry.reference : key.split('~').join('.');
    const problem = entryProblem(key, entry);
    if (problem)
      entryProblems.set(reference, `${LOCK_FILE}: ${problem}; write the entry again with \`npx nx-image-graph-lock ${reference}\``);
    else lock.set(reference, { reference, digest: (entry as LockEntry).digest, source: (entry as LockEntry).source });
  }
  return { lock, entryProblems };
}

function entryProblem(key: string, entry: unknown): string | undefined {
  const at = `"bases.${key}`;
  if (!isObject(entry)) return `${at}" is not an entry { "reference", "digest", "source" }`;
  const unknown = Object.keys(entry).filter((k) => !['reference', 'digest', 'source'].includes(k));
  if (unknown.length) return `${at}" has unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`;
  if (typeof entry.reference !== 'string' || entry.reference === '') return `${at}.reference" must name the image, e.g. "busybox:1.36"`;
  if (typeof entry.digest !== 'string' || !DIGEST.test(entry.digest))
    return `${at}.digest" ${JSON.stringify(entry.digest ?? null)} is not a digest such as "sha256:<64 hex digits>"`;
  if (!SOURCES.includes(entry.source as LockEntry['source']))
    return `${at}.source" must be "registry" or "engine"; got ${JSON.stringify(entry.source ?? null)}`;
  // A hand-edited key that names another reference would pin one base and hash another.
  if (key !== lockKey(entry.reference)) return `${at}" holds "${entry.reference}", whose key is "${lockKey(entry.reference)}"; fix the key`;
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The lock, or undefined when the workspace has none. Bad content is one error naming the file and the field. */
export function readLock(workspaceRoot: string): BaseLock | undefined {
  const path = lockPath(workspaceRoot);
  if (!existsSync(path)) return undefined;
  return parseLock(readFileSync(path, 'utf8'));
}

/** The reading of the workspace's lock, or undefined when it has none. */
export function readLockReading(workspaceRoot: string): LockReading | undefined {
  const path = lockPath(workspaceRoot);
  return existsSync(path) ? inspectLock(readFileSync(path, 'utf8')) : undefined;
}

/**
 * The lock for a build on `bases`: its good entries; a problem only when it concerns one of these
 * bases (a bad entry of another base blocks the builds on that one, not this).
 */
export function readLockFor(workspaceRoot: string, bases: readonly string[]): BaseLock | undefined {
  const reading = readLockReading(workspaceRoot);
  if (!reading) return undefined;
  if (reading.fileProblem) throw new LockFileError(reading.fileProblem);
  const problem = bases.map((b) => reading.entryProblems.get(b)).find(Boolean);
  if (problem) throw new LockFileError(problem);
  return reading.lock;
}

/** All of it must be right (the lock command rewrites the whole file). */
export function parseLock(text: string): BaseLock {
  const { lock, fileProblem, entryProblems } = inspectLock(text);
  const problem = fileProblem ?? [...entryProblems.values()][0];
  if (problem) throw new LockFileError(problem);
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

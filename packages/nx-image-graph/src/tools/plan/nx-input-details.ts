import { BASE_ID_ENV_PREFIX } from '../../core/nx/base-id-names';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/fs/write-atomic';

/**
 * Nx's per-input hashes of a task (its hash details: input name -> hash), kept by task hash in the
 * plugin's folder of Nx's cache directory. Nx gives them to no executor, only to the run's
 * postTasksExecution hook, after the outputs were cached: so they are kept by hash, not beside the
 * metadata. Hashes and input names only (file patterns, env var names), never a value.
 */
export type NxInputHashes = Record<string, string>;

function pathOf(cacheDir: string, hash: string): string {
  return join(cacheDir, 'nx-image-graph', 'nx-inputs', `${hash}.json`);
}

export function saveNxInputHashes(cacheDir: string, hash: string, nodes: NxInputHashes): void {
  const path = pathOf(cacheDir, hash);
  // A hash always has the same inputs.
  if (!existsSync(path)) writeJsonAtomic(path, nodes, 0);
}

export function readNxInputHashes(cacheDir: string, hash: string): NxInputHashes | undefined {
  try {
    return JSON.parse(readFileSync(pathOf(cacheDir, hash), 'utf8')) as NxInputHashes;
  } catch {
    return undefined;
  }
}

/**
 * Nx hashes a list of workspace-wide files (`workspace:[nx.json,.gitignore,...]`) as one input: a
 * change to any of them changes the one hash, which says nothing of which file it was. So the
 * hashes are kept with a hash of each such file (`file:<path>`) beside them, and a reason names
 * only the files whose hash moved. Only plain paths (no globs), only lists of a few files.
 */
export function withFileHashes(nodes: NxInputHashes, workspaceRoot: string): NxInputHashes {
  const out: NxInputHashes = { ...nodes };
  for (const key of Object.keys(nodes)) {
    const files = plainFiles(key);
    if (!files) continue;
    for (const f of files) out[`file:${f}`] ??= fileHash(join(workspaceRoot, f));
  }
  return out;
}

/** The files of a `workspace:[...]` input, when they are a few plain paths. */
function plainFiles(key: string): string[] | undefined {
  const m = /^workspace:\[(.*)\]$/.exec(key);
  if (!m) return undefined;
  const files = m[1].split(',').map((f) => f.replace(/^\{workspaceRoot\}\//, ''));
  return files.length <= 20 && files.every((f) => f && !/[*?[\]{}!]/.test(f)) ? files : undefined;
}

function fileHash(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return 'absent';
  }
}

/**
 * The Nx inputs whose hash differs from the recorded build's, named for a person. The build's own
 * files, its parents' image ids and its external bases' ids are named more precisely by the
 * plugin's record (input-diff.ts): those inputs are left out unless the record found nothing, and a
 * manifest's fields when the record names a changed arg or setting.
 */
export function nxInputReasons(before: NxInputHashes, now: NxInputHashes, recordReasons: string[]): string[] {
  const reasons: string[] = [];
  const changed = [...new Set([...Object.keys(now), ...Object.keys(before)])]
    .sort()
    .filter((key) => !key.startsWith('file:') && before[key] !== now[key]);
  const lockChanged = changed.some(isLockInput);
  for (const key of changed) {
    if (coveredByRecord(key, recordReasons)) continue;
    if (key.startsWith(`env:${BASE_ID_ENV_PREFIX}`)) {
      // The record compares the base's image id: it did not move. The variable moved because the base was
      // locked (its lock entry, named below, now stands for it), unlocked, or the engine could not be asked.
      if (!lockChanged)
        reasons.push(
          `how external base ${baseName(key)} is hashed changed, not its image id (pinned or unpinned in ${LOCK_FILE}, or the engine not reachable)`,
        );
      continue;
    }
    if (key in before && key in now && plainFiles(key)) {
      reasons.push(filesReason(plainFiles(key)!, before, now));
      continue;
    }
    reasons.push(`${describeNxInput(key)} ${!(key in before) ? 'added' : !(key in now) ? 'removed' : 'changed'}`);
  }
  return reasons;
}

/** The files of one Nx input whose own hash moved; where the record has none, the input's files as "one of". */
function filesReason(files: string[], before: NxInputHashes, now: NxInputHashes): string {
  const known = files.every((f) => `file:${f}` in before && `file:${f}` in now);
  const moved = known ? files.filter((f) => before[`file:${f}`] !== now[`file:${f}`]) : [];
  if (moved.length)
    return `${moved.map((f) => (now[`file:${f}`] === 'absent' ? `${f} removed` : before[`file:${f}`] === 'absent' ? `${f} added` : `${f} changed`)).join(', ')} (an Nx input)`;
  const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')}…` : files.join(', ');
  return files.length === 1
    ? `Nx input ${files[0]} changed`
    : `one of ${shown} changed (Nx hashes them as one input; which one is not recorded)`;
}

function coveredByRecord(key: string, recordReasons: string[]): boolean {
  if (!recordReasons.length) return false;
  // An external base's id: the record names the base whose id moved (and only then is it the id that moved).
  if (key.startsWith(`env:${BASE_ID_ENV_PREFIX}`)) return recordReasons.some((r) => r.startsWith('base '));
  // A manifest's fields are the build's args and settings: named by the record when those changed.
  if (key.startsWith('json:'))
    return !isLockInput(key) && recordReasons.some((r) => r.startsWith('arg ') || r === 'build settings changed');
  if (key.includes('.image-id')) return true;
  // The build's files (and its ancestors', which make a parent rebuild); not the workspace-wide files.
  return key.startsWith('workspace:[') && !key.includes('{workspaceRoot}/nx.json');
}

const isLockInput = (key: string) => key.startsWith(`json:{workspaceRoot}/${LOCK_FILE}[`);

/** `NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789` -> `busybox_1_36` (the variable's readable part). */
function baseName(key: string): string {
  return key.slice(`env:${BASE_ID_ENV_PREFIX}`.length).replace(/_[0-9a-f]{10}$/, '');
}

/** `workspace:[{workspaceRoot}/nx.json,...]` -> `Nx input nx.json, .gitignore…`, and so on. */
export function describeNxInput(key: string): string {
  const files = (list: string) => {
    const items = list.split(',').map((f) => f.replace(/^\{workspaceRoot\}\//, ''));
    return items.length > 2 ? `${items.slice(0, 2).join(', ')}…` : items.join(', ');
  };
  let m: RegExpExecArray | null;
  if ((m = /^workspace:\[(.*)\]$/.exec(key))) return `Nx input ${files(m[1])}`;
  if (isLockInput(key)) {
    // `bases.busybox:1~36`: the lock keys write "." as "~".
    const refs = key
      .slice(key.indexOf('[') + 1, -1)
      .split(',')
      .map((f) =>
        f
          .replace(/^bases\./, '')
          .split('~')
          .join('.'),
      );
    return `${LOCK_FILE} entr${refs.length === 1 ? 'y' : 'ies'} of ${refs.join(', ')}`;
  }
  // Nx writes a JSON input that leaves fields out as `json:<file>![fields]`.
  if ((m = /^json:\{workspaceRoot\}\/(.*?)!?\[/.exec(key))) return `${m[1]} (the fields it reads)`;
  if ((m = /^([^:]+):ProjectConfiguration$/.exec(key))) return `Nx project configuration of ${m[1]}`;
  if (key.startsWith(`env:${BASE_ID_ENV_PREFIX}`))
    return `the id of external base ${key.slice(`env:${BASE_ID_ENV_PREFIX}`.length).replace(/_[0-9a-f]{10}$/, '')} in the engine`;
  if ((m = /^env:(.*)$/.exec(key))) return `env ${m[1]}`;
  if ((m = /^runtime:(.*)$/.exec(key))) return `runtime input "${m[1].length > 40 ? `${m[1].slice(0, 39)}…` : m[1]}"`;
  if (key === 'AllExternalDependencies') return 'external dependencies';
  return `Nx input ${key}`;
}

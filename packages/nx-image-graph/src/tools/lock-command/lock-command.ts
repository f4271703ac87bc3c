import { formatLock, mergeLock, type BaseLock, type LockEntry } from '../../inference/lock/lock-file';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { registryLocation, resolveBase, type Resolvers } from '../../clients/registry/resolve-base';
import { RegistryUnreachableError } from '../../clients/registry/registry-api';

export const LOCK_USAGE = `Usage: npx nx-image-graph-lock [reference ...]   write or update ${LOCK_FILE} (all external bases, or only those named)
       npx nx-image-graph-lock --check               exit 1 when a locked base moved upstream or a base is not locked`;

export interface LockArgs {
  check: boolean;
  only: string[];
}

export function parseLockArgs(argv: readonly string[]): LockArgs | 'help' {
  const args: LockArgs = { check: false, only: [] };
  for (const a of argv) {
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--check') args.check = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.only.push(a);
  }
  if (args.check && args.only.length) throw new Error('--check checks every locked base; name no references with it');
  return args;
}

/** What the command reads and writes: the graph's external bases, the lock file, the registries and the engine. */
export interface LockIo extends Resolvers {
  /** Each external base reference the graph's builds use, with the builds that use it. */
  usedBases(): Promise<Map<string, string[]>>;
  readLock(): BaseLock | undefined;
  writeLockText(text: string): void;
  lockText(): string | undefined;
  print(line: string): void;
}

const short = (digest: string) => digest.slice(0, 19);

/** Writes or updates the lock: the named bases (default: all) resolved again, the others kept as locked. */
export async function updateLock(args: LockArgs, io: LockIo): Promise<number> {
  const used = await io.usedBases();
  const previous = io.readLock();
  const unknown = args.only.filter((r) => !used.has(r));
  if (unknown.length) {
    io.print(
      `✖ ${unknown.map((r) => `"${r}"`).join(', ')}: no build uses ${unknown.length > 1 ? 'these' : 'this'} as an external base (${[...used.keys()].join(', ') || 'none'})`,
    );
    return 1;
  }
  const wanted = args.only.length ? args.only : [...used.keys()];
  const results = await Promise.all(wanted.map(async (r) => [r, await resolveBase(r, io)] as const));
  const errors = results.flatMap(([, r]) => ('error' in r ? [r.error] : []));
  if (errors.length) {
    // All or nothing: a lock with some bases silently left out would look complete.
    for (const e of errors) io.print(`✖ ${e}`);
    io.print(`${LOCK_FILE} was not written.`);
    return 1;
  }
  const resolved = new Map<string, LockEntry>();
  for (const [reference, r] of results) {
    if (!('entry' in r)) continue;
    resolved.set(reference, r.entry);
    const before = previous?.get(reference);
    const users = used.get(reference)!.join(', ');
    const what = !before ? 'locked' : before.digest === r.entry.digest ? 'unchanged' : `moved from ${short(before.digest)}`;
    io.print(`  ${reference} -> ${r.entry.digest} (${r.entry.source}) ${what}; used by ${users}`);
    if (r.note) io.print(`    NOTE: ${r.note}`);
  }
  const next = mergeLock(previous, [...used.keys()].sort(), resolved);
  for (const reference of previous?.keys() ?? []) if (!next.has(reference)) io.print(`  ${reference}: dropped, no build uses it`);
  const text = formatLock(next);
  if (text === io.lockText()) {
    io.print(`✔ ${LOCK_FILE} is up to date (${next.size} base${next.size === 1 ? '' : 's'})`);
    return 0;
  }
  io.writeLockText(text);
  io.print(`✔ wrote ${LOCK_FILE} (${next.size} base${next.size === 1 ? '' : 's'}); the builds on a changed entry rebuild`);
  return 0;
}

/** CI's check: every base the graph uses is locked, and each still has its locked digest where it was locked from. */
export async function checkLock(io: LockIo): Promise<number> {
  const lock = io.readLock();
  if (!lock) {
    io.print(`✖ no ${LOCK_FILE} in the workspace; write it with \`npx nx-image-graph-lock\``);
    return 1;
  }
  const used = await io.usedBases();
  const problems: string[] = [];
  let ok = 0;
  for (const [reference, users] of [...used.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = lock.get(reference);
    if (!entry) {
      problems.push(`${reference} (used by ${users.join(', ')}) is not locked; run \`npx nx-image-graph-lock ${reference}\``);
      continue;
    }
    const current = await currentDigest(entry, io);
    if ('error' in current) problems.push(`${reference}: cannot check it: ${current.error}`);
    else if (current.digest !== entry.digest) {
      problems.push(
        `${reference} moved: locked ${entry.digest}, ${entry.source === 'registry' ? 'the registry has' : 'the engine has'} ${current.digest ?? 'nothing'} now ` +
          `(used by ${users.join(', ')}); run \`npx nx-image-graph-lock ${reference}\` to take it`,
      );
    } else ok++;
  }
  for (const reference of lock.keys())
    if (!used.has(reference)) io.print(`  NOTE: ${reference} is locked but no build uses it; \`npx nx-image-graph-lock\` drops it`);
  for (const p of problems) io.print(`✖ ${p}`);
  if (problems.length) return 1;
  io.print(`✔ ${ok} external base${ok === 1 ? '' : 's'} match ${LOCK_FILE}`);
  return 0;
}

/** Where an entry was locked from, asked again: the registry for a registry entry, the engine for an engine entry. */
async function currentDigest(entry: LockEntry, io: Resolvers): Promise<{ digest: string | undefined } | { error: string }> {
  if (entry.source === 'engine') return { digest: await io.engineImageId(entry.reference).catch(() => undefined) };
  const where = registryLocation(entry.reference);
  if (!where) return { error: 'not an image reference a registry serves' };
  try {
    return { digest: await io.registryDigest(where.host, where.apiHost, where.repository, where.tag) };
  } catch (e) {
    return { error: e instanceof RegistryUnreachableError ? `${e.message} (it was locked from the registry)` : (e as Error).message };
  }
}

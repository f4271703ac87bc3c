import { createProjectGraphAsync, workspaceRoot, type ProjectGraph } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { connectEngine } from '../clients/engine/engine-client';
import { type ImageGraphMetadata } from '../inference/targets/image-targets';
import { METADATA_KEY } from '../core/nx/metadata-key';
import { lockPath, readLock } from '../inference/lock/lock-file';
import { writeFileAtomic } from '../core/fs/write-atomic';
import { checkLock, LOCK_USAGE, parseLockArgs, updateLock, type LockIo } from '../tools/lock-command/lock-command';
import { lockable } from '../inference/lock/lock-input';
import { registryDigest } from '../clients/registry/resolve-base';

/**
 * Each external base of the graph's builds (what the plugin inferred), with the builds on it; and
 * the references no lock can pin (a variable only the build knows), to be named, not skipped silently.
 */
export function externalBases(graph: ProjectGraph): { used: Map<string, string[]>; unpinnable: string[] } {
  const used = new Map<string, string[]>();
  const unpinnable = new Set<string>();
  for (const [name, node] of Object.entries(graph.nodes)) {
    const meta = (node.data.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY] as ImageGraphMetadata | undefined;
    for (const build of meta?.builds ?? []) {
      for (const e of build.externals) {
        if (!lockable(e.reference)) {
          if (e.reference.toLowerCase() !== 'scratch' && !e.reference.includes('@')) unpinnable.add(e.reference);
          continue;
        }
        const users = used.get(e.reference) ?? [];
        users.push(`${name}:${build.targetName}`);
        used.set(e.reference, users);
      }
    }
  }
  return { used: new Map([...used.entries()].sort(([a], [b]) => a.localeCompare(b))), unpinnable: [...unpinnable].sort() };
}

/** nx-image-graph-lock: writes, updates or checks images.lock.json. Exit code 0 ok, 1 failed or moved, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseLockArgs>;
  try {
    args = parseLockArgs(argv);
  } catch (e) {
    process.stderr.write(`✖ nx-image-graph-lock: ${(e as Error).message}\n${LOCK_USAGE}\n`);
    return 2;
  }
  if (args === 'help') return (process.stdout.write(`${LOCK_USAGE}\n`), 0);
  let engine: ReturnType<typeof connectEngine> | undefined;
  const io: LockIo = {
    usedBases: async () => {
      const { used, unpinnable } = externalBases(await createProjectGraphAsync({ exitOnError: false }));
      for (const r of unpinnable)
        process.stdout.write(`  NOTE: ${r} is not locked: not a plain image reference (a variable only the build knows)\n`);
      return used;
    },
    readLock: () => readLock(workspaceRoot),
    lockText: () => (existsSync(lockPath(workspaceRoot)) ? readFileSync(lockPath(workspaceRoot), 'utf8') : undefined),
    writeLockText: (text) => writeFileAtomic(lockPath(workspaceRoot), text),
    registryDigest,
    // Asked only when a registry cannot be reached, or for an engine entry.
    engineImageId: async (reference) => {
      engine ??= connectEngine();
      const { docker } = await engine;
      return (
        await docker
          .getImage(reference)
          .inspect()
          .catch(() => undefined)
      )?.Id;
    },
    print: (line) => process.stdout.write(`${line}\n`),
  };
  try {
    return args.check ? await checkLock(io) : await updateLock(args, io);
  } catch (e) {
    process.stderr.write(`✖ nx-image-graph-lock: ${(e as Error).message}\n`);
    return 1;
  }
}

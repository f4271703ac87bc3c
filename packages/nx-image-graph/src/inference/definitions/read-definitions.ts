import { DefinitionCache, extraGlobsOf } from './definition-cache';
import type { ImageDirectory } from './discover-images';
import type { ImageDefinition } from './image-definition';

/** Hashes of the files under each root plus its extra globs (Nx's workspace-context hashing, as its own plugins use). */
export type HashRoots = (roots: string[], extraGlobs: string[][]) => Promise<string[]>;

/**
 * Every directory's definition, from the cache when none of its files changed, else read anew.
 * A directory that cannot be read yields its error, for the graph to report. Without hashes
 * (an Nx that cannot give them) everything is read: slower, never stale.
 */
export async function readDefinitions(
  dirs: ImageDirectory[],
  read: (dir: ImageDirectory) => ImageDefinition,
  cache: DefinitionCache,
  hashRoots: HashRoots,
): Promise<Map<string, ImageDefinition | Error>> {
  const result = new Map<string, ImageDefinition | Error>();
  let hashes: string[] | undefined;
  try {
    hashes = await hashRoots(
      dirs.map((d) => d.root),
      dirs.map((d) => cache.extraGlobs(d.root)),
    );
  } catch {
    hashes = undefined;
  }
  const rehash: { dir: ImageDirectory; globs: string[]; definition: ImageDefinition }[] = [];
  dirs.forEach((dir, i) => {
    const cached = hashes && cache.get(dir.root, hashes[i]);
    if (cached) return void result.set(dir.root, cached);
    try {
      const definition = read(dir);
      result.set(dir.root, definition);
      const globs = extraGlobsOf(definition);
      // The hash must cover what the definition was read from; a new context outside the directory needs another hash.
      if (hashes && sameList(globs, cache.extraGlobs(dir.root))) cache.set(dir.root, hashes[i], globs, definition);
      else if (hashes) rehash.push({ dir, globs, definition });
    } catch (e) {
      result.set(dir.root, e as Error);
    }
  });
  if (rehash.length) {
    try {
      const again = await hashRoots(
        rehash.map((r) => r.dir.root),
        rehash.map((r) => r.globs),
      );
      rehash.forEach((r, i) => cache.set(r.dir.root, again[i], r.globs, r.definition));
    } catch {
      // Not cached this time: read again next time.
    }
  }
  cache.save(new Set(dirs.map((d) => d.root)));
  return result;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

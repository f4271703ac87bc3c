import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ImageDefinition } from './image-definition';
import { writeJsonAtomic } from '../../core/fs/write-atomic';

interface Entry {
  hash: string;
  /** Globs besides `<root>/**` the definition was read from: a context or Dockerfile outside the directory. */
  extraGlobs: string[];
  definition: ImageDefinition;
}

/**
 * Image definitions by a hash of every file they were read from (Nx's own file hashes, as its
 * plugins do), kept in memory (the daemon lives long) and on disk between runs: a warm graph
 * reads again only the image directories whose files changed.
 */
export class DefinitionCache {
  private entries = new Map<string, Entry>();
  private dirty = false;

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: [string, Entry][] };
      if (saved.version === VERSION) this.entries = new Map(saved.entries);
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
  }

  /** The globs a directory's hash must cover, as far as its last reading knows. */
  extraGlobs(root: string): string[] {
    return this.entries.get(root)?.extraGlobs ?? [];
  }

  get(root: string, hash: string): ImageDefinition | undefined {
    const entry = this.entries.get(root);
    return entry?.hash === hash ? entry.definition : undefined;
  }

  set(root: string, hash: string, extraGlobs: string[], definition: ImageDefinition): void {
    this.entries.set(root, { hash, extraGlobs, definition });
    this.dirty = true;
  }

  /** Keeps only the directories that still exist, and writes atomically. */
  save(roots: Set<string>): void {
    for (const root of this.entries.keys()) {
      if (!roots.has(root)) {
        this.entries.delete(root);
        this.dirty = true;
      }
    }
    if (!this.file || !this.dirty) return;
    writeJsonAtomic(this.file, { version: VERSION, entries: [...this.entries] }, 0);
    this.dirty = false;
  }
}

// 3: definitions carry the graph-time checks of issue 25 (sizes, encodings, tag args, network) and each build's copies (issue 22).
const VERSION = 3;

/** What a definition was read from beyond its own directory. */
export function extraGlobsOf(definition: ImageDefinition): string[] {
  const inside = (p: string) => p === definition.root || p.startsWith(`${definition.root}/`) || definition.root === '.';
  const globs = new Set<string>();
  // An image that shares its directory has a file for its root: its manifest is beside it, not below it.
  if (definition.manifestFile && !inside(definition.manifestFile)) globs.add(definition.manifestFile);
  for (const b of definition.builds) {
    if (!inside(b.context)) globs.add(b.context === '.' ? '**/*' : `${b.context}/**/*`);
    if (!inside(b.dockerfile)) globs.add(b.dockerfile);
  }
  return [...globs].sort();
}

export function definitionCacheFile(cacheDirectory: string, optionsHash: string): string {
  return join(cacheDirectory, 'nx-image-graph', `definitions-${optionsHash}.json`);
}

export const rootGlob = (root: string) => (root === '.' ? '**/*' : posix.join(root, '**/*'));

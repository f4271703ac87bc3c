import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileModel, readDockerfile } from '../dockerfile';
import { writeJsonAtomic } from '../../core/fs/write-atomic';

/**
 * Parsed Dockerfiles by content hash, kept in memory (the Nx daemon lives long) and on disk
 * between runs, so a graph recomputation re-parses only the Dockerfiles that changed.
 */
export class DockerfileModelCache {
  private entries = new Map<string, DockerfileModel>();
  private dirty = false;
  private used = new Set<string>();

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: [string, DockerfileModel][] };
      if (saved.version === CACHE_VERSION) this.entries = new Map(saved.entries);
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
  }

  read(text: string, file: string): DockerfileModel {
    const key = createHash('sha1').update(file).update('\0').update(text).digest('hex');
    this.used.add(key);
    let model = this.entries.get(key);
    if (!model) {
      model = readDockerfile(text, file);
      this.entries.set(key, model);
      this.dirty = true;
    }
    return model;
  }

  /** Writes what this run used (dropping entries no Dockerfile has any more), atomically. */
  save(): void {
    if (!this.file || (!this.dirty && this.used.size === this.entries.size)) return;
    const kept = [...this.entries].filter(([k]) => this.used.has(k));
    this.entries = new Map(kept);
    writeJsonAtomic(this.file, { version: CACHE_VERSION, entries: kept }, 0);
    this.dirty = false;
    this.used = new Set();
  }
}

// 2: the reader reports dangling continuations and bad --chmod modes.
const CACHE_VERSION = 2;

export function modelCacheFile(cacheDirectory: string, optionsHash: string): string {
  return join(cacheDirectory, 'nx-image-graph', `dockerfiles-${optionsHash}.json`);
}

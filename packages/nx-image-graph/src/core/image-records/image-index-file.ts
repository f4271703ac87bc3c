import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeJsonAtomic } from '../fs/write-atomic';

/** One entry of the workspace-wide image file that deploy jobs read: where each image is, by digest. */
export interface PublishedImage {
  project: string;
  variant?: string;
  repository: string;
  /** The image's id; absent for a multi-platform image, whose images are in `platforms`. */
  imageId?: string;
  tags: string[];
  pushed: { reference: string; digest: string }[];
  /** A multi-platform image: each platform's image and where it was pushed (by digest). */
  platforms?: { platform: string; imageId: string; pushed: { reference: string; digest: string }[] }[];
  /** Version tags put on the pushed manifest by docker-promote (same digest). */
  promoted?: { reference: string; digest: string }[];
  updated: string;
}

/**
 * Merges entries into the workspace-wide file under a lock directory, so parallel push tasks
 * never lose each other's entries; the file itself is replaced atomically.
 */
export async function updateImageIndex(
  path: string,
  key: string,
  entry: PublishedImage | ((previous: PublishedImage | undefined) => PublishedImage),
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 300) throw new Error(`could not lock ${path} (remove ${lock} if no nx process is running)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    let index: Record<string, PublishedImage> = {};
    try {
      index = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      index = {};
    }
    index[key] = typeof entry === 'function' ? entry(index[key]) : entry;
    const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
    writeJsonAtomic(path, sorted);
  } finally {
    rmdirSync(lock);
  }
}

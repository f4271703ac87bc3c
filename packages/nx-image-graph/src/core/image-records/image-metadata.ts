import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a build records (the file Nx caches): enough to find, pin and push the exact image elsewhere. */
export interface ImageMetadata {
  schemaVersion: 1;
  project: string;
  target: string;
  variant?: string;
  repository: string;
  tags: string[];
  /** `repository:tag` for every tag. */
  references: string[];
  imageId: string;
  size: number;
  created: string;
  args: Record<string, string>;
  nxHash?: string;
  /** `target`: the parent's own build target (absent in records of older plugins). */
  parents: { project: string; target?: string; reference: string; imageId: string }[];
  /** External bases; `digest` when images.lock.json pinned one by its registry digest. */
  bases: { reference: string; imageId?: string; digest?: string }[];
  /** Steps of the build, cached and in all; unknown for an image the engine had for these inputs whose build is not recorded here. */
  steps?: { total: number; cached: number };
  durationMs: number;
  engine: { name: string; version: string; apiVersion: string; builder: 'buildkit' | 'classic' };
  git?: { sha: string };
  /** Set when this is one platform's image of a multi-platform build (its tags then end in -<os>-<arch>). */
  platform?: string;
  /** The image's own tags, which the index over its platforms gets when pushed (and the engine's platform when materialized). */
  indexTags?: string[];
  /** With `"inlineCache": true`: the build cache image made beside it (engine/inline-cache.ts), pushed with it. */
  cacheImage?: { reference: string; imageId: string };
  /** The digest of the build's own inputs, also the image's `nx-image-graph.inputs` label (executors/build/input-digest.ts). */
  inputsDigest?: string;
  /** Not built by this run: `engine`, the engine had an image of these exact inputs; `registry`, pulled by nx-<hash> (reuseFromRegistry). */
  reused?: 'engine' | 'registry';
  /** Filled by docker-push: registry reference -> digest. */
  pushed?: { reference: string; digest: string }[];
}

/** How the closing line and the run summary say a build found its image in the engine: nothing was built. */
export const ENGINE_SAME_INPUTS = 'engine: same inputs as';

export class MetadataError extends Error {}

export function readImageMetadata(path: string): ImageMetadata {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MetadataError(`no image metadata at ${path}`);
  }
  const m = JSON.parse(text) as ImageMetadata;
  if (m.schemaVersion !== 1 || !/^sha256:[0-9a-f]{64}$/.test(m.imageId))
    throw new MetadataError(`${path} is not image metadata this plugin wrote`);
  return m;
}

/** Writes the metadata and its image-id file atomically: readers see the old pair or the new, never half of one. */
export function writeImageMetadata(path: string, idPath: string, metadata: ImageMetadata): void {
  mkdirSync(dirname(path), { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(idPath + suffix, metadata.imageId + '\n');
  writeFileSync(path + suffix, JSON.stringify(metadata, null, 2) + '\n');
  renameSync(idPath + suffix, idPath);
  renameSync(path + suffix, path);
}

export function removeTemporaryFiles(path: string, idPath: string): void {
  for (const p of [path, idPath]) rmSync(`${p}.${process.pid}.tmp`, { force: true });
}

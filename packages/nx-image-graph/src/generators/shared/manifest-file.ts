import { Tree, writeJson } from '@nx/devkit';
import { posix } from 'node:path';
import { parseManifest } from '../../inference/manifest/read-manifest';
import type { ImageManifest } from '../../inference/manifest/schema';
import { PLUGIN_NAME } from './plugin-registrations';

/** `$schema` for a manifest in `root`: the JSON Schema the installed package ships, so editors check and complete it. */
export function schemaPath(root: string): string {
  return posix.relative(root === '.' ? '' : root, `node_modules/${PLUGIN_NAME}/image.schema.json`);
}

/** A manifest from the Tree, checked by the plugin's own schema (a broken one is reported, not overwritten). */
export function readManifestFile(tree: Tree, file: string): ImageManifest | undefined {
  const text = tree.read(file, 'utf-8');
  return text === null ? undefined : parseManifest(text, file);
}

/**
 * Writes a manifest after checking it against the schema, so a generator never leaves one the plugin
 * rejects. `$schema` comes first, as a reader expects it.
 */
export function writeManifestFile(tree: Tree, file: string, manifest: ImageManifest): void {
  const { $schema, ...rest } = manifest;
  const ordered: ImageManifest = { ...($schema ? { $schema } : {}), ...rest };
  parseManifest(JSON.stringify(ordered), file);
  writeJson(tree, file, ordered);
}

/**
 * Puts files back as they were if a generator fails half-way. Nx drops a failed generator's Tree anyway;
 * this keeps the Tree clean for a caller that runs the generator inside its own (and for the specs).
 */
export async function allOrNothing<T>(tree: Tree, files: string[], body: () => Promise<T>): Promise<T> {
  const saved = files.map((f) => [f, tree.read(f)] as const);
  try {
    return await body();
  } catch (e) {
    for (const [f, content] of saved) {
      if (content === null) {
        if (tree.exists(f)) tree.delete(f);
      } else tree.write(f, content);
    }
    throw e;
  }
}

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nxCacheDir, nxHashArray } from '../../core/nx/nx-helpers';
import { PLUGIN_VERSION } from '../../core/nx/plugin-version';
import { validateOptions } from './plugin-options';
import type { ImageGraphPluginOptions } from './plugin-options-schema';

/**
 * Options this plugin version has already found valid, remembered on disk by their JSON: every
 * Nx command starts a fresh plugin worker, and the schema library costs it ~80 ms to load just to
 * say again that nx.json is fine. Invalid options are never remembered, so they are reported each time.
 */
export function validateOptionsOnce(raw: unknown): ImageGraphPluginOptions {
  const marker = join(nxCacheDir(), 'nx-image-graph', `options-${nxHashArray([PLUGIN_VERSION, JSON.stringify(raw)])}`);
  if (existsSync(marker)) return raw as ImageGraphPluginOptions;
  const options = validateOptions(raw);
  try {
    mkdirSync(join(marker, '..'), { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // A read-only cache only costs the next run the check.
  }
  return options;
}

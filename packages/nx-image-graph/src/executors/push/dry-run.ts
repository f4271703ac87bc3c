import type { ExecutorContext } from '@nx/devkit';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../dry-run/dry-run-hook';
import { imageLabel, recordedImage } from '../../dry-run/recorded-image';
import { contentTag, registryReference } from '../../registry/registry-reference';
import type { PushExecutorOptions } from './executor';

/** `--dry-run` of docker-push: the references it would push to each registry, from the recorded build. */
export function pushDryRun(options: PushExecutorOptions, context: ExecutorContext): { success: boolean } {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const { metadata: m, missing } = recordedImage(context.root, options.metadataFile);
  print(`[dry run] ${imageLabel(context.projectName, m?.variant)}: would push to ${options.registries.join(', ')}`);
  if (m) {
    print(`  image ${m.imageId} (made present in the engine first if it came from the cache)`);
    const tags = [...m.tags, ...(options.contentTag !== false && m.nxHash ? [contentTag(m.nxHash)] : [])];
    for (const registry of options.registries) for (const tag of tags) print(`  ${registryReference(registry, m.repository, tag)}`);
  } else print(`  ${missing}`);
  print(`  digests would go to ${options.metadataFile.replace(/\.json$/, '.push.json')} and ${options.indexFile ?? 'dist/images.json'}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}

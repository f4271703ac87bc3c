import type { ExecutorContext } from '@nx/devkit';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../core/nx/dry-run-hook';
import { imageLabel, recordedImage } from '../../core/image-records/recorded-image';
import { contentTag, registryReference } from '../../inference/references/registry-reference';
import type { PushExecutorOptions } from './push-options';
import { buildInThisRun } from './build-in-this-run';

/**
 * `--dry-run` of docker-push: the references it would push to each registry. The image is the one
 * this run's build gives: the recorded one when the build would be a cache hit of it, else a new
 * one whose content tag is nx-<the build's hash in this run>, not the recorded build's.
 */
export async function pushDryRun(options: PushExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const { metadata: m, missing } = recordedImage(context.root, options.metadataFile);
  print(`[dry run] ${imageLabel(context.projectName, m?.variant)}: would push to ${options.registries.join(', ')}`);
  const run = await buildInThisRun(context, options.metadataFile);
  if (m && run.hash === m.nxHash) {
    print(
      `  image ${m.imageId} (its build is a cache hit of the recorded one; made present in the engine first if it came from the cache)`,
    );
  } else if (m || run.hash) {
    print(
      `  the image this run's build gives (${run.note})${m ? `; the recorded image ${m.imageId} is an earlier build's (nx-${m.nxHash})` : ''}`,
    );
  }
  if (m) {
    const hash = run.hash ?? (m.nxHash === undefined ? undefined : '<hash>');
    const tags = [...m.tags, ...(options.contentTag !== false && hash ? [contentTag(hash)] : [])];
    for (const registry of options.registries) for (const tag of tags) print(`  ${registryReference(registry, m.repository, tag)}`);
  } else print(`  ${missing}`);
  print(`  digests would go to ${options.metadataFile.replace(/\.json$/, '.push.json')} and ${options.indexFile ?? 'dist/images.json'}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}

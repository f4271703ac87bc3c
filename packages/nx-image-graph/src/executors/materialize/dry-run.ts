import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../core/nx/dry-run-hook';
import { imageLabel, recordedImage } from '../../core/image-records/recorded-image';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { contentTag, registryReference } from '../../inference/references/registry-reference';

/** `--dry-run` of docker-materialize: the exact image it would make the engine hold, and where it would look for it. */
export function materializeDryRun(
  options: { metadataFile: string; registries?: string[] },
  context: ExecutorContext,
): { success: boolean } {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const { metadata: m, missing } = recordedImage(context.root, options.metadataFile);
  if (!m) {
    print(`[dry run] ${imageLabel(context.projectName)}: ${missing}`);
  } else {
    print(`[dry run] ${imageLabel(context.projectName, m.variant)}: would make the engine hold ${m.imageId} as ${m.references.join(', ')}`);
    const where = ['the engine (re-tag by id)'];
    const tag = m.nxHash ? contentTag(m.nxHash) : m.tags[0];
    for (const r of options.registries ?? []) if (tag) where.push(`${registryReference(r, m.repository, tag)} (pull, id checked)`);
    const archive = join(context.root, options.metadataFile).replace(/\.json$/, ARCHIVE_SUFFIX);
    if (existsSync(archive)) where.push(`the cached archive ${options.metadataFile.replace(/\.json$/, ARCHIVE_SUFFIX)}`);
    print(`  looking in: ${where.join(', then ')}`);
  }
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}

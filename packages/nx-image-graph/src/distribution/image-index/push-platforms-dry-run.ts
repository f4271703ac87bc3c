import type { ExecutorContext } from '@nx/devkit';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../core/nx/dry-run-hook';
import { imageLabel, recordedImage } from '../../core/image-records/recorded-image';
import { contentTag, registryReference } from '../../inference/references/registry-reference';
import { indexHash, type PlatformBuild } from './push-platforms';
import { buildInThisRun } from '../push/build-in-this-run';

/** `--dry-run` of a multi-platform push: each platform's references, then the index's, from the recorded builds. */
export async function pushPlatformsDryRun(
  options: { metadataFile: string; registries: string[]; platforms: PlatformBuild[]; indexFile?: string; contentTag?: boolean },
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  // Each platform's image as this run's build gives it: its hash in this run, not the recorded build's.
  const recorded = [];
  for (const p of options.platforms) {
    const r = recordedImage(context.root, p.metadataFile);
    const run = await buildInThisRun(context, p.metadataFile);
    const metadata =
      r.metadata && run.hash !== r.metadata.nxHash ? { ...r.metadata, nxHash: run.hash ?? '<hash>', imageId: `(${run.note})` } : r.metadata;
    recorded.push({ ...p, ...r, metadata });
  }
  const first = recorded.find((r) => r.metadata)?.metadata;
  print(
    `[dry run] ${imageLabel(context.projectName, first?.variant)}: would push ${options.platforms.map((p) => p.platform).join(', ')} and an index over them to ${options.registries.join(', ')}`,
  );
  for (const r of recorded) {
    const m = r.metadata;
    if (!m) {
      print(`  ${r.platform}: ${r.missing}`);
      continue;
    }
    const tags = [...m.tags, ...(options.contentTag !== false && m.nxHash ? [contentTag(m.nxHash)] : [])];
    print(`  ${r.platform}: image ${m.imageId}`);
    for (const registry of options.registries) for (const tag of tags) print(`    ${registryReference(registry, m.repository, tag)}`);
  }
  if (recorded.every((r) => r.metadata)) {
    const ms = recorded.map((r) => ({ ...r.metadata!, platform: r.platform }));
    const hash = ms.some((m) => m.nxHash === '<hash>') ? '<hash>' : indexHash(ms);
    const tags = [...new Set(ms.flatMap((m) => m.indexTags ?? [])), ...(options.contentTag !== false && hash ? [contentTag(hash)] : [])];
    for (const registry of options.registries)
      for (const tag of tags) print(`  index ${registryReference(registry, ms[0].repository, tag)}`);
  }
  print(`  digests would go to ${options.metadataFile.replace(/\.json$/, '.push.json')} and ${options.indexFile ?? 'dist/images.json'}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}

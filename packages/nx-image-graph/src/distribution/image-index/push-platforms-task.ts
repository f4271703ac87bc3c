import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { connectEngine } from '../../clients/engine/engine-client';
import { formatSeconds } from '../../core/text/format-units';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { updateImageIndex } from '../../core/image-records/image-index-file';
import { formatLayerCount, layerCounts } from '../../clients/registry/layer-counts';
import { pushPlatforms, type PlatformBuild } from './push-platforms';

/**
 * The push target of a multi-platform build: the platforms' images and the index over them, then
 * the record `<target>.push.json` (index digest and each platform's digests) and dist/images.json.
 */
export async function pushPlatformsTask(
  options: {
    metadataFile: string;
    registries: string[];
    platforms: PlatformBuild[];
    indexFile?: string;
    contentTag?: boolean;
    retries?: number;
  },
  context: ExecutorContext,
  print: (line: string) => void,
  fail: (message: string) => { success: boolean },
): Promise<{ success: boolean }> {
  const started = Date.now();
  const metadataPath = join(context.root, options.metadataFile);
  const target = options.metadataFile.replace(/^.*\//, '').replace(/\.json$/, '');
  let pushed;
  try {
    const { docker } = await connectEngine();
    pushed = await pushPlatforms(docker, options.platforms, {
      root: context.root,
      target,
      registries: options.registries,
      contentTag: options.contentTag,
      retries: options.retries,
      log: print,
    });
  } catch (e) {
    const message = (e as Error).message;
    return fail(/no image metadata/.test(message) ? `${message}; run its docker-build first` : message);
  }
  const { record, results } = pushed;
  writeJsonAtomic(metadataPath.replace(/\.json$/, '.push.json'), record);
  await updateImageIndex(
    join(context.root, options.indexFile ?? 'dist/images.json'),
    record.variant ? `${record.project}:${record.variant}` : record.project,
    {
      project: record.project,
      ...(record.variant ? { variant: record.variant } : {}),
      repository: record.repository,
      tags: record.tags,
      pushed: record.index,
      platforms: record.platforms,
      updated: new Date().toISOString(),
    },
  );
  for (const p of record.platforms) print(`  ${p.platform}: ${p.pushed.map((r) => `${r.reference}@${r.digest}`).join(' ')}`);
  for (const r of record.index) print(`  index ${r.reference}@${r.digest}`);
  // Once per repository: platform images share layers, and their tags all find them there.
  const counts = layerCounts(results);
  for (const c of counts) print(`  ${formatLayerCount(c)}`);
  const uploaded = counts.reduce((n, c) => n + c.uploaded, 0);
  print(
    `✔ ${context.projectName}: pushed ${record.platforms.length} platform images (${record.platforms.map((p) => p.platform).join(', ')}) and an index under ${record.index.length} references ` +
      `to ${options.registries.join(', ')}: ${uploaded} layers uploaded, ${formatSeconds((Date.now() - started) / 1000)}`,
  );
  return { success: true };
}

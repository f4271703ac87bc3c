import type { ExecutorContext } from '@nx/devkit';
import { executorSettings, missingSettings } from '../../inference/targets/target-settings';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { pushDryRun } from '../../distribution/push/push-dry-run';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { join } from 'node:path';
import { connectEngine } from '../../clients/engine/engine-client';
import { formatSeconds } from '../../core/text/format-units';
import { materializeImage } from '../../build/materialize/materialize-image';
import { readImageMetadata } from '../../core/image-records/image-metadata';
import { updateImageIndex } from '../../core/image-records/image-index-file';
import { pushImage, PushResult } from '../../clients/registry/push-image';
import { pushCacheImage } from '../../clients/registry/push-cache-image';
import { contentTag, registryReference } from '../../inference/references/registry-reference';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { pushPlatformsTask } from '../../distribution/image-index/push-platforms-task';
import { pushPlatformsDryRun } from '../../distribution/image-index/push-platforms-dry-run';
import type { PushExecutorOptions } from '../../distribution/push/push-options';
import { formatLayerCount, layerCounts } from '../../clients/registry/layer-counts';

/**
 * docker-push: the exact recorded image (materialized if it came from the cache) goes to every
 * registry under every tag; digests land in `<target>.push.json` and the workspace-wide index.
 */
export default async function pushExecutor(options: PushExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('push', options, context);
  if (refused) return refused;
  // Inferred targets keep their settings in metadata (see graph/target-settings.ts).
  options = executorSettings(options, context).settings;
  const missing = missingSettings(options, ['metadataFile', 'registries']);
  if (missing) {
    process.stderr.write(`\n✖ ${context.projectName}:${context.targetName}: ${missing}\n`);
    return { success: false };
  }
  if (dryRunRequested(options))
    return options.platforms?.length
      ? pushPlatformsDryRun({ ...options, platforms: options.platforms }, context)
      : pushDryRun(options, context);
  const started = Date.now();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const label = context.projectName!;
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    return { success: false };
  };
  if (options.platforms?.length) return pushPlatformsTask({ ...options, platforms: options.platforms }, context, print, fail);
  const metadataPath = join(context.root, options.metadataFile);
  let m;
  try {
    m = readImageMetadata(metadataPath);
  } catch (e) {
    return fail(`${(e as Error).message}; run its docker-build first`);
  }
  let docker;
  try {
    ({ docker } = await connectEngine());
    await materializeImage(docker, m, { registries: options.registries, archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) }, print);
  } catch (e) {
    return fail((e as Error).message);
  }
  const tags = [...m.tags, ...(options.contentTag !== false && m.nxHash ? [contentTag(m.nxHash)] : [])];
  const results: PushResult[] = [];
  try {
    for (const registry of options.registries) {
      for (const tag of tags)
        results.push(
          await pushImage(docker, m.imageId, registryReference(registry, m.repository, tag), { retries: options.retries, log: print }),
        );
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  let cache;
  try {
    cache = await pushCacheImage(docker, m, options.registries, { retries: options.retries, log: print });
  } catch (e) {
    return fail((e as Error).message);
  }
  const pushed = results.map((r) => ({ reference: r.reference, digest: r.digest }));
  const record = {
    project: m.project,
    target: m.target,
    imageId: m.imageId,
    pushed,
    ...(cache.results.length ? { cacheImage: cache.results.map((r) => ({ reference: r.reference, digest: r.digest })) } : {}),
  };
  const recordPath = metadataPath.replace(/\.json$/, '.push.json');
  writeJsonAtomic(recordPath, record);
  await updateImageIndex(join(context.root, options.indexFile ?? 'dist/images.json'), m.variant ? `${m.project}:${m.variant}` : m.project, {
    project: m.project,
    ...(m.variant ? { variant: m.variant } : {}),
    repository: m.repository,
    imageId: m.imageId,
    tags: m.tags,
    pushed,
    updated: new Date().toISOString(),
  });
  // Once per image per registry: a second tag finds the layers the first one just uploaded.
  const counts = layerCounts(results);
  const uploaded = counts.reduce((n, c) => n + c.uploaded, 0);
  const existing = counts.reduce((n, c) => n + c.existing, 0);
  for (const r of results) print(`  ${r.reference}@${r.digest}`);
  for (const c of counts) print(`  ${formatLayerCount(c)}`);
  for (const r of cache.results) print(`  build cache image ${r.reference}@${r.digest}`);
  if (cache.note) print(`  NOTE: ${cache.note}`);
  print(
    `✔ ${label}${m.variant ? ` (${m.variant})` : ''}: pushed ${results.length} references to ${options.registries.join(', ')}: ${uploaded} layers uploaded, ${existing} already there, ${formatSeconds((Date.now() - started) / 1000)}`,
  );
  return { success: true };
}

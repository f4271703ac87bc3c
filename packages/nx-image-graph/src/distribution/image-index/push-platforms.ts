import type Docker from 'dockerode';
import { join } from 'node:path';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { materializeImage } from '../../build/materialize/materialize-image';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import { pushImage, PushResult } from '../../clients/registry/push-image';
import { pushCacheImage } from '../../clients/registry/push-cache-image';
import { RegistryApi } from '../../clients/registry/registry-api';
import { contentTag, registryReference, splitReference } from '../../inference/references/registry-reference';
import { imageIndex, manifestDescriptor, putImageIndex } from './image-index';
import { indexHash } from '../../core/image-records/index-hash';

export { indexHash };

/** One platform's build, as the push target of a multi-platform image lists it. */
export interface PlatformBuild {
  platform: string;
  metadataFile: string;
}

export interface PlatformsPushRecord {
  project: string;
  target: string;
  variant?: string;
  repository: string;
  /** The index, under the image's tags and nx-<hash>, in every registry. */
  index: { reference: string; digest: string }[];
  platforms: { platform: string; imageId: string; pushed: { reference: string; digest: string }[] }[];
  /** The index's tags, as the image's configured tags expanded. */
  tags: string[];
  nxHash?: string;
}

/**
 * docker-push of a multi-platform image: each platform's recorded image (materialized if it came
 * from the cache) under its own tags (`latest-linux-arm64`, nx-<its hash>), then one OCI image index
 * over them under the image's tags and nx-<index hash>, in every registry.
 */
export async function pushPlatforms(
  docker: Docker,
  builds: PlatformBuild[],
  opts: { root: string; target: string; registries: string[]; contentTag?: boolean; retries?: number; log: (line: string) => void },
): Promise<{ record: PlatformsPushRecord; results: PushResult[] }> {
  const recorded: (ImageMetadata & { platform: string })[] = builds.map((b) => {
    const m = readImageMetadata(join(opts.root, b.metadataFile));
    return { ...m, platform: m.platform ?? b.platform };
  });
  const results: PushResult[] = [];
  const platforms: PlatformsPushRecord['platforms'] = [];
  const digests = new Map<string, Map<string, string>>(); // registry -> platform -> manifest digest
  for (const [i, m] of recorded.entries()) {
    const metadataPath = join(opts.root, builds[i].metadataFile);
    await materializeImage(docker, m, { registries: opts.registries, archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) }, opts.log);
    const tags = [...m.tags, ...(opts.contentTag !== false && m.nxHash ? [contentTag(m.nxHash)] : [])];
    const pushed: { reference: string; digest: string }[] = [];
    for (const registry of opts.registries) {
      for (const tag of tags) {
        const r = await pushImage(docker, m.imageId, registryReference(registry, m.repository, tag), {
          retries: opts.retries,
          log: opts.log,
        });
        results.push(r);
        pushed.push({ reference: r.reference, digest: r.digest });
        if (!digests.has(registry)) digests.set(registry, new Map());
        digests.get(registry)!.set(m.platform, r.digest);
      }
    }
    // With inline cache, each platform's build cache image goes beside it (engine/inline-cache.ts).
    const cache = await pushCacheImage(docker, m, opts.registries, { retries: opts.retries, log: opts.log });
    for (const r of cache.results) opts.log(`  ${m.platform}: build cache image ${r.reference}@${r.digest}`);
    if (cache.note) opts.log(`  NOTE: ${cache.note}`);
    platforms.push({ platform: m.platform, imageId: m.imageId, pushed });
  }

  const first = recorded[0];
  const tags = [...new Set(recorded.flatMap((m) => m.indexTags ?? []))];
  const hash = indexHash(recorded);
  const indexTags = [...tags, ...(opts.contentTag !== false && hash ? [contentTag(hash)] : [])];
  const index: PlatformsPushRecord['index'] = [];
  for (const registry of opts.registries) {
    const { repo } = splitReference(registryReference(registry, first.repository, 'x'));
    const host = repo.split('/')[0];
    const repository = repo.slice(host.length + 1);
    const api = new RegistryApi(host);
    const manifests = [];
    for (const m of recorded) {
      const digest = digests.get(registry)!.get(m.platform)!;
      manifests.push({ platform: m.platform, digest, ...(await manifestDescriptor(api, repository, digest)) });
    }
    const body = imageIndex(manifests);
    for (const tag of indexTags) index.push({ reference: `${repo}:${tag}`, digest: await putImageIndex(api, repository, tag, body) });
  }
  return {
    record: {
      project: first.project,
      target: opts.target,
      ...(first.variant ? { variant: first.variant } : {}),
      repository: first.repository,
      index,
      platforms,
      tags,
      ...(hash ? { nxHash: hash } : {}),
    },
    results,
  };
}

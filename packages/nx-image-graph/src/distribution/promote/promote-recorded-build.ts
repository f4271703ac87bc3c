import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { updateImageIndex } from '../../core/image-records/image-index-file';
import { contentTag, registryReference } from '../../inference/references/registry-reference';
import { describePromotable, PlatformBuild, PromotableImage, pushedOf, PushRecordFile, readPromotable } from './promotable-image';
import { promoteImage, Promoted } from './promote-image';
import { RegistryApi } from '../../clients/registry/registry-api';

export interface RecordedBuild {
  /** The build's image metadata, relative to the workspace (its push record sits beside it). */
  metadataFile: string;
  /** A multi-platform build: each platform's build record; the index over them is promoted. */
  platforms?: PlatformBuild[];
  registries: string[];
  indexFile?: string;
}

export interface PromoteOutcome {
  success: boolean;
  /** What to print, in order (the caller owns the terminal). */
  lines: string[];
  /** Why it failed, when it did. */
  error?: string;
}

/** A build's recorded image (or a multi-platform build's index), or why it cannot be promoted. */
export function readRecordedImage(
  root: string,
  build: Pick<RecordedBuild, 'metadataFile' | 'platforms'>,
): { metadata: PromotableImage } | { error: string } {
  const read = readPromotable(root, build);
  return 'error' in read ? read : { metadata: read.image };
}

/**
 * Copies the exact image a build recorded to `tags` in every registry it was pushed to,
 * registry-side (promote-image), then records the tags in `<target>.promote.json` and the
 * workspace's images.json. Shared by docker-promote and nx-release-publish.
 */
export async function promoteRecordedBuild(
  root: string,
  build: RecordedBuild,
  m: PromotableImage,
  tags: string[],
  name: string,
  dryRun: boolean,
): Promise<PromoteOutcome> {
  const metadataPath = join(root, build.metadataFile);
  // The digest each registry got, from the push record of this exact image; else the content tag finds it.
  const recordPath = metadataPath.replace(/\.json$/, '.push.json');
  const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as PushRecordFile) : undefined;
  const pushed = pushedOf(record, m);
  const sources = build.registries.map((registry) => {
    const byContent = m.nxHash ? registryReference(registry, m.repository, contentTag(m.nxHash)) : undefined;
    const prefix = registryReference(registry, m.repository, '');
    const hit = pushed.find((p) => p.reference === byContent) ?? pushed.find((p) => p.reference.startsWith(prefix));
    return { registry, reference: hit?.reference ?? byContent, digest: hit?.digest };
  });
  const unfindable = sources.find((s) => !s.reference);
  if (unfindable)
    return {
      success: false,
      lines: [],
      error: `no push record of ${describePromotable(m)} for ${unfindable.registry} and no Nx hash to find it by (nx-<hash>); run its docker-push first`,
    };

  if (dryRun) {
    return {
      success: true,
      lines: [
        `[dry run] ${name}: would tag ${tags.join(', ')}`,
        ...sources.map(
          (s) =>
            `  ${s.digest ? `${s.reference!.replace(/:[^:/]+$/, '')}@${s.digest} (push record)` : `${s.reference} (looked up by content tag)`} -> ${tags.map((t) => registryReference(s.registry, m.repository, t)).join(', ')}`,
        ),
        '  dry run: nothing tagged or written; no registry contacted',
      ],
    };
  }

  const apis = new Map<string, RegistryApi>();
  const apiFor = (host: string) => apis.get(host) ?? apis.set(host, new RegistryApi(host)).get(host)!;
  const results: Promoted[] = [];
  for (const s of sources) {
    try {
      results.push(await promoteImage(s.reference!, s.digest, tags, apiFor));
    } catch (e) {
      return { success: false, lines: [], error: (e as Error).message };
    }
  }
  const promoted = results.flatMap((r) => r.references.map((reference) => ({ reference, digest: r.digest })));
  const identity = m.imageId ? { imageId: m.imageId } : { platforms: m.platforms };
  writeJsonAtomic(metadataPath.replace(/\.json$/, '.promote.json'), {
    project: m.project,
    target: m.target,
    ...identity,
    tags,
    promoted,
    promotedAt: new Date().toISOString(),
  });
  await updateImageIndex(
    join(root, build.indexFile ?? 'dist/images.json'),
    m.variant ? `${m.project}:${m.variant}` : m.project,
    (previous) => {
      // The entry the push wrote for this very image (or index) keeps its pushes and earlier promotions.
      const same =
        !!previous &&
        (m.imageId ? previous.imageId === m.imageId : pushedOf({ index: previous.pushed, platforms: previous.platforms }, m).length > 0);
      return {
        project: m.project,
        ...(m.variant ? { variant: m.variant } : {}),
        repository: m.repository,
        ...(m.imageId ? { imageId: m.imageId } : {}),
        tags: [...new Set([...(same ? previous!.tags : m.tags), ...tags])],
        pushed: same ? previous!.pushed : [],
        ...(same && previous!.platforms ? { platforms: previous!.platforms } : {}),
        promoted: [
          ...(same ? (previous!.promoted ?? []).filter((p) => !promoted.some((n) => n.reference === p.reference)) : []),
          ...promoted,
        ],
        updated: new Date().toISOString(),
      };
    },
  );
  return {
    success: true,
    lines: [
      ...results.map(
        (r) =>
          `  ${r.source} (${r.mediaType.replace(/^application\//, '')}) -> ${r.references.map((x) => x.slice(x.lastIndexOf(':') + 1)).join(', ')}`,
      ),
      `✔ ${name}: tagged ${tags.join(', ')} in ${build.registries.join(', ')}, registry-side (no pull, no build)`,
    ],
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../fs/write-atomic';
import { updateImageIndex } from '../metadata/image-index-file';
import { ImageMetadata, readImageMetadata } from '../metadata/image-metadata';
import { contentTag, registryReference } from '../registry/registry-reference';
import { promoteImage, Promoted } from './promote-image';
import { RegistryApi } from './registry-api';

export interface RecordedBuild {
  /** The build's image metadata, relative to the workspace (its push record sits beside it). */
  metadataFile: string;
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

/** A build's recorded image, or why it cannot be promoted. */
export function readRecordedImage(root: string, build: Pick<RecordedBuild, 'metadataFile'>): { metadata: ImageMetadata } | { error: string } {
  try {
    return { metadata: readImageMetadata(join(root, build.metadataFile)) };
  } catch (e) {
    return { error: `${(e as Error).message}; build and push it first (a cached docker-build restores it)` };
  }
}

/**
 * Copies the exact image a build recorded to `tags` in every registry it was pushed to,
 * registry-side (promote-image), then records the tags in `<target>.promote.json` and the
 * workspace's images.json. Shared by docker-promote and nx-release-publish.
 */
export async function promoteRecordedBuild(root: string, build: RecordedBuild, m: ImageMetadata, tags: string[], name: string, dryRun: boolean): Promise<PromoteOutcome> {
  const metadataPath = join(root, build.metadataFile);
  // The digest each registry got, from the push record of this exact image; else the content tag finds it.
  const recordPath = metadataPath.replace(/\.json$/, '.push.json');
  const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as { imageId?: string; pushed?: { reference: string; digest: string }[] }) : undefined;
  const pushed = record?.imageId === m.imageId ? (record.pushed ?? []) : [];
  const sources = build.registries.map((registry) => {
    const byContent = m.nxHash ? registryReference(registry, m.repository, contentTag(m.nxHash)) : undefined;
    const prefix = registryReference(registry, m.repository, '');
    const hit = pushed.find((p) => p.reference === byContent) ?? pushed.find((p) => p.reference.startsWith(prefix));
    return { registry, reference: hit?.reference ?? byContent, digest: hit?.digest };
  });
  const unfindable = sources.find((s) => !s.reference);
  if (unfindable) return { success: false, lines: [], error: `no push record of ${m.imageId.slice(7, 19)} for ${unfindable.registry} and no Nx hash to find it by (nx-<hash>); run its docker-push first` };

  if (dryRun) {
    return {
      success: true,
      lines: [
        `[dry run] ${name}: would tag ${tags.join(', ')}`,
        ...sources.map((s) => `  ${s.digest ? `${s.reference!.replace(/:[^:/]+$/, '')}@${s.digest} (push record)` : `${s.reference} (looked up by content tag)`} -> ${tags.map((t) => registryReference(s.registry, m.repository, t)).join(', ')}`),
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
  writeJsonAtomic(metadataPath.replace(/\.json$/, '.promote.json'), { project: m.project, target: m.target, imageId: m.imageId, tags, promoted, promotedAt: new Date().toISOString() });
  await updateImageIndex(join(root, build.indexFile ?? 'dist/images.json'), m.variant ? `${m.project}:${m.variant}` : m.project, (previous) => ({
    project: m.project,
    ...(m.variant ? { variant: m.variant } : {}),
    repository: m.repository,
    imageId: m.imageId,
    tags: [...new Set([...(previous?.imageId === m.imageId ? previous.tags : m.tags), ...tags])],
    pushed: previous?.imageId === m.imageId ? previous.pushed : [],
    promoted: [...(previous?.imageId === m.imageId ? (previous.promoted ?? []).filter((p) => !promoted.some((n) => n.reference === p.reference)) : []), ...promoted],
    updated: new Date().toISOString(),
  }));
  return {
    success: true,
    lines: [
      ...results.map((r) => `  ${r.source} (${r.mediaType.replace(/^application\//, '')}) -> ${r.references.map((x) => x.slice(x.lastIndexOf(':') + 1)).join(', ')}`),
      `✔ ${name}: tagged ${tags.join(', ')} in ${build.registries.join(', ')}, registry-side (no pull, no build)`,
    ],
  };
}

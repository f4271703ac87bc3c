import { join } from 'node:path';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import { indexHash } from '../../core/image-records/index-hash';

/** One platform's build of a multi-platform image, as its targets list it. */
export interface PlatformBuild {
  platform: string;
  metadataFile: string;
}

/**
 * What docker-promote and nx-release-publish put tags on: one build's image, or the OCI index a
 * multi-platform build's push wrote over its platforms' images. A multi-platform build records no
 * metadata of its own (each platform's build does), so its index is known by its platforms' images
 * and found by the push record's digest or its content tag `nx-<index hash>`.
 */
export interface PromotableImage {
  project: string;
  target: string;
  variant?: string;
  repository: string;
  /** The image's own tags (an index: the tags the index was pushed under). */
  tags: string[];
  args: Record<string, string>;
  /** The Nx hash whose content tag `nx-<hash>` names it in a registry (an index: the index hash). */
  nxHash?: string;
  /** A single image: its id. */
  imageId?: string;
  /** An index: each platform's image. */
  platforms?: { platform: string; imageId: string }[];
}

/** The build's image (or index), or why it cannot be promoted. `platforms`: a multi-platform build's per-platform builds. */
export function readPromotable(
  root: string,
  build: { metadataFile: string; platforms?: PlatformBuild[] },
): { image: PromotableImage } | { error: string } {
  const hint = 'build and push it first (a cached docker-build restores it)';
  try {
    if (!build.platforms?.length) {
      const m = readImageMetadata(join(root, build.metadataFile));
      return {
        image: {
          project: m.project,
          target: m.target,
          ...(m.variant ? { variant: m.variant } : {}),
          repository: m.repository,
          tags: m.tags,
          args: m.args,
          ...(m.nxHash ? { nxHash: m.nxHash } : {}),
          imageId: m.imageId,
        },
      };
    }
    const recorded: (ImageMetadata & { platform: string })[] = build.platforms.map((p) => ({
      ...readImageMetadata(join(root, p.metadataFile)),
      platform: p.platform,
    }));
    const first = recorded[0];
    const hash = indexHash(recorded);
    return {
      image: {
        project: first.project,
        target: build.metadataFile.replace(/^.*\//, '').replace(/\.json$/, ''),
        ...(first.variant ? { variant: first.variant } : {}),
        repository: first.repository,
        tags: [...new Set(recorded.flatMap((m) => m.indexTags ?? []))],
        args: first.args,
        ...(hash ? { nxHash: hash } : {}),
        platforms: recorded.map((m) => ({ platform: m.platform, imageId: m.imageId })),
      },
    };
  } catch (e) {
    return { error: `${(e as Error).message}; ${hint}` };
  }
}

/** A push record (`<target>.push.json`) of a single image or of a multi-platform index. */
export interface PushRecordFile {
  imageId?: string;
  pushed?: { reference: string; digest: string }[];
  index?: { reference: string; digest: string }[];
  platforms?: { platform: string; imageId: string }[];
}

/** What the push record says was pushed of exactly this image (or index); nothing when it records another. */
export function pushedOf(record: PushRecordFile | undefined, image: PromotableImage): { reference: string; digest: string }[] {
  if (!record) return [];
  if (image.imageId) return record.imageId === image.imageId ? (record.pushed ?? []) : [];
  const same =
    (record.platforms ?? []).length === image.platforms!.length &&
    image.platforms!.every((p) => record.platforms!.some((q) => q.platform === p.platform && q.imageId === p.imageId));
  return same ? (record.index ?? []) : [];
}

/** For messages: the image's short id, or its platforms'. */
export function describePromotable(image: PromotableImage): string {
  return image.imageId
    ? image.imageId.slice(7, 19)
    : `the index over ${image.platforms!.map((p) => `${p.platform} ${p.imageId.slice(7, 19)}`).join(', ')}`;
}

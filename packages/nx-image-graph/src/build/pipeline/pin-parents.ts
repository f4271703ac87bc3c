import type Docker from 'dockerode';
import { join } from 'node:path';
import { parseImageReference } from '../../inference/dockerfile';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { materializeImage } from '../materialize/materialize-image';
import { ImageMetadata, MetadataError, readImageMetadata } from '../../core/image-records/image-metadata';
import { parentPlatformProblem } from '../platforms/build-platform';
import { parentsForPlatform } from '../platforms/parent-platforms';
import { lockReferences } from '../platforms/reference-lock';
import { BuildFailure } from './build-failure';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';

export class ParentImageError extends Error {}

/**
 * Makes the engine hold, under each reference the Dockerfile uses, exactly the parent image its
 * build recorded (by id), so the child is built on that image and on no other, whatever the
 * tag pointed at before (a build outside Nx, a branch switch).
 */
export async function pinParents(
  docker: Docker,
  parents: BuildExecutorOptions['parents'],
  workspaceRoot: string,
  log: (line: string) => void = () => undefined,
): Promise<{ project: string; target: string; reference: string; imageId: string }[]> {
  const pinned: { project: string; target: string; reference: string; imageId: string }[] = [];
  for (const parent of parents) {
    let metadata: ImageMetadata;
    const metadataPath = join(workspaceRoot, parent.metadataFile);
    try {
      metadata = readImageMetadata(metadataPath);
    } catch (e) {
      const why = e instanceof MetadataError ? e.message : String(e);
      throw new ParentImageError(
        `parent ${parent.project} ("${parent.reference}") has no build record: ${why}. Build it first: nx run ${parent.project}:docker-build`,
      );
    }
    const imageId = metadata.imageId;
    const ref = parseImageReference(parent.reference);
    if (!ref) throw new ParentImageError(`parent reference "${parent.reference}" is not a valid image reference`);
    const repo = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
    const pin = `${repo}:${ref.tag ?? 'latest'}`;
    // One request in the usual case: the image is here and every tag it needs already names it.
    const here = await docker
      .getImage(imageId)
      .inspect()
      .catch(() => undefined);
    if (here) onBuildById.set(imageId, !!here.Config?.OnBuild?.length);
    if (!here || ![...metadata.references, pin].every((r) => here.RepoTags?.includes(r))) {
      // Removed since, or restored from a cache on a machine that never built it: fetch exactly that image.
      try {
        await materializeImage(
          docker,
          metadata,
          { registries: parent.registries ?? [], archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) },
          log,
        );
      } catch (e) {
        throw new ParentImageError(`parent ${parent.project} ("${parent.reference}"): ${(e as Error).message}`);
      }
      await docker.getImage(imageId).tag({ repo, tag: ref.tag ?? 'latest' });
    }
    pinned.push({ project: parent.project, target: metadata.target, reference: parent.reference, imageId });
  }
  return pinned;
}

/** Whether an image has ONBUILD triggers, by id: an id names one image config, so an answer holds for the process's life. */
const onBuildById = new Map<string, boolean>();

export async function parentHasOnBuild(docker: Docker, imageId: string): Promise<boolean> {
  if (!onBuildById.has(imageId)) {
    const onBuild = await docker
      .getImage(imageId)
      .inspect()
      .then(
        (i) => !!i.Config?.OnBuild?.length,
        () => undefined,
      );
    if (onBuild === undefined) return false;
    onBuildById.set(imageId, onBuild);
  }
  return onBuildById.get(imageId)!;
}

/** The parents a build is recorded on, without touching the engine (a build reused from a registry). */
export function recordedParents(
  parents: BuildExecutorOptions['parents'],
  workspaceRoot: string,
): { project: string; target: string; reference: string; imageId: string }[] {
  return parents.flatMap((p) => {
    try {
      const m = readImageMetadata(join(workspaceRoot, p.metadataFile));
      return [{ project: p.project, target: m.target, reference: p.reference, imageId: m.imageId }];
    } catch {
      return [];
    }
  });
}

/**
 * The parents of a build of `platform` pinned in the engine (a parent built per platform: its image
 * of that platform). Per-platform parent images share a tag in the engine, so their references stay
 * held (platforms/reference-lock.ts) until the build calls `release`.
 */
export async function pinBuildParents(
  docker: Docker,
  engineAddress: string,
  build: { parents: BuildExecutorOptions['parents']; platform?: string; root: string },
  platform: string | undefined,
  log: (line: string) => void,
): Promise<{ parents: { project: string; reference: string; imageId: string }[]; release: () => void }> {
  let release = () => undefined as void;
  try {
    const own = platform ? parentsForPlatform(build.parents, platform) : build.parents;
    release = await lockReferences(
      engineAddress,
      own.filter((p) => p.platform).map((p) => p.reference),
      log,
    );
    const parents = await pinParents(docker, own, build.root, log);
    const mismatch = await parentPlatformProblem(docker, parents, build.platform);
    if (mismatch) throw new Error(mismatch);
    return { parents, release };
  } catch (e) {
    release();
    throw new BuildFailure((e as Error).message);
  }
}

import type Docker from 'dockerode';
import { join } from 'node:path';
import { parseImageReference } from '../../dockerfile';
import { MetadataError, readImageMetadata } from '../../metadata/image-metadata';
import type { BuildExecutorOptions } from './schema';

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
): Promise<{ project: string; reference: string; imageId: string }[]> {
  const pinned: { project: string; reference: string; imageId: string }[] = [];
  for (const parent of parents) {
    let imageId: string;
    try {
      imageId = readImageMetadata(join(workspaceRoot, parent.metadataFile)).imageId;
    } catch (e) {
      const why = e instanceof MetadataError ? e.message : String(e);
      throw new ParentImageError(`parent ${parent.project} ("${parent.reference}") has no build record: ${why}. Build it first: nx run ${parent.project}:docker-build`);
    }
    try {
      await docker.getImage(imageId).inspect();
    } catch {
      throw new ParentImageError(
        `parent ${parent.project} ("${parent.reference}") was recorded as ${imageId}, but the engine does not have that image ` +
          `(removed, or the record came from another machine's cache). Rebuild it with: nx run ${parent.project}:docker-build --skip-nx-cache`,
      );
    }
    const ref = parseImageReference(parent.reference);
    if (!ref) throw new ParentImageError(`parent reference "${parent.reference}" is not a valid image reference`);
    const repo = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
    await docker.getImage(imageId).tag({ repo, tag: ref.tag ?? 'latest' });
    pinned.push({ project: parent.project, reference: parent.reference, imageId });
  }
  return pinned;
}

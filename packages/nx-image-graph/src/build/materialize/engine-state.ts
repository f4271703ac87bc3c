import type Docker from 'dockerode';
import type { ImageMetadata } from '../../core/image-records/image-metadata';
import { splitReference } from '../../inference/references/registry-reference';
import { materializeImage, type ImageSources } from './materialize-image';

/** What the engine holds for a build Nx took from its cache. */
export type EngineState =
  { kind: 'present'; retagged: string[] } | { kind: 'materialized'; from: 'registry' | 'archive' } | { kind: 'missing'; reason: string };

/**
 * After a cache hit: the engine must hold the recorded image under its tags, or the run must say it
 * does not. A local hit re-points tags that moved since (by id, no pull). With `materialize` on, a
 * missing image is fetched (registry by nx-<hash>, or the cached archive); otherwise it is named.
 */
export async function reconcileCacheHit(
  docker: Docker,
  m: ImageMetadata,
  sources: ImageSources,
  materialize: boolean,
): Promise<EngineState> {
  const present = await docker
    .getImage(m.imageId)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) {
    const retagged: string[] = [];
    for (const ref of m.references) {
      const current = await docker
        .getImage(ref)
        .inspect()
        .then(
          (i) => i.Id,
          () => undefined,
        );
      if (current === m.imageId) continue;
      const { repo, tag } = splitReference(ref);
      await docker.getImage(m.imageId).tag({ repo, tag });
      retagged.push(ref);
    }
    return { kind: 'present', retagged };
  }
  if (!materialize) return { kind: 'missing', reason: 'not in this engine' };
  try {
    const from = await materializeImage(docker, m, sources);
    return { kind: 'materialized', from: from === 'engine' ? 'registry' : from };
  } catch (e) {
    return { kind: 'missing', reason: `not in this engine, and could not be fetched: ${(e as Error).message.split('\n')[0]}` };
  }
}

import type Docker from 'dockerode';
import { createReadStream, existsSync } from 'node:fs';
import type { ImageMetadata } from '../../core/image-records/image-metadata';
import { pullImage } from '../../clients/registry/push-image';
import { contentTag, registryReference, splitReference } from '../../inference/references/registry-reference';

export class MaterializeError extends Error {}

export interface ImageSources {
  /** Registries the image's push target sends it to. */
  registries: string[];
  /** An image archive kept in the cache outputs, when archives are on. */
  archive?: string;
}

/**
 * Makes the engine hold exactly the image a build recorded, under all of its tags, wherever it
 * comes from: the engine itself (re-tag by id), a registry (pull, then check the id), or an
 * archive from the cache outputs. Otherwise says which image, which hash, what was tried and the fixes.
 */
export async function materializeImage(
  docker: Docker,
  m: ImageMetadata,
  sources: ImageSources,
  log: (line: string) => void = () => undefined,
): Promise<'engine' | 'registry' | 'archive'> {
  const tagAll = async () => {
    for (const ref of m.references) {
      const { repo, tag } = splitReference(ref);
      await docker.getImage(m.imageId).tag({ repo, tag });
    }
  };
  const present = () =>
    docker
      .getImage(m.imageId)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  if (await present()) {
    await tagAll();
    return 'engine';
  }
  const tried: string[] = [];
  const tags = [...(m.nxHash ? [contentTag(m.nxHash)] : []), ...m.tags];
  for (const registry of sources.registries) {
    for (const tag of tags) {
      const ref = registryReference(registry, m.repository, tag);
      const pulled = await pullImage(docker, ref, m.platform);
      if (pulled.imageId === m.imageId) {
        log(`  ${m.project}: pulled ${ref} (${m.imageId.slice(7, 19)})`);
        await tagAll();
        return 'registry';
      }
      tried.push(
        pulled.imageId
          ? `${ref}: holds ${pulled.imageId.slice(7, 19)}, another image`
          : `${ref}: ${pulled.error?.split('\n')[0] ?? 'not found'}`,
      );
    }
  }
  if (sources.archive && existsSync(sources.archive)) {
    const stream = (await docker.loadImage(createReadStream(sources.archive))) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      stream.on('data', () => undefined);
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    if (await present()) {
      log(`  ${m.project}: loaded ${m.imageId.slice(7, 19)} from ${sources.archive}`);
      await tagAll();
      return 'archive';
    }
    tried.push(`archive ${sources.archive}: does not hold ${m.imageId}`);
  } else {
    tried.push(sources.archive ? `archive ${sources.archive}: absent` : 'archive: off');
  }
  if (sources.registries.length === 0) tried.unshift('registries: none configured');
  throw new MaterializeError(
    `image ${m.references[0] ?? m.repository} (${m.imageId}) of ${m.project}:${m.target}${m.nxHash ? `, Nx hash ${m.nxHash},` : ''} is not in this engine (removed since, or restored from the Nx cache on a machine that never built it).\n` +
      `  Tried: ${tried.join('; ')}.\n` +
      `  Fixes: rebuild it here (nx run ${m.project}:${m.target} --skip-nx-cache); push it from the machine that built it (registries in image.json, then nx run ${m.project}:docker-push); ` +
      `or keep an image archive in the cache outputs ("archive": true in image.json).`,
  );
}

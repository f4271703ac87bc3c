import type Docker from 'dockerode';
import { join } from 'node:path';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { materializeImage } from '../../build/materialize/materialize-image';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import { parseImageReference } from '../../inference/dockerfile';
import { formatPlatform, samePlatform } from '../../inference/platform-plan/platform-name';
import type { PlatformBuild } from './push-platforms';

/**
 * docker-materialize of a multi-platform image: the engine's own platform, as `docker pull` of the
 * index would give it: that platform's recorded image (from the engine, a registry or the archive),
 * under its own tags and the image's plain tags, so `docker run acme/base:latest` runs it.
 */
export async function materializePlatforms(
  docker: Docker,
  builds: PlatformBuild[],
  opts: { root: string; registries: string[]; log: (line: string) => void },
): Promise<{ metadata: ImageMetadata; how: 'engine' | 'registry' | 'archive'; references: string[] }> {
  const version = (await docker.version()) as unknown as { Os: string; Arch: string };
  const native = formatPlatform(version.Os, version.Arch);
  const build = builds.find((b) => samePlatform(b.platform, native));
  if (!build)
    throw new Error(
      `this engine runs ${native}, and the image is built for ${builds.map((b) => b.platform).join(', ')} only; add "${native}" to its "platforms"`,
    );
  const metadataPath = join(opts.root, build.metadataFile);
  const m = readImageMetadata(metadataPath);
  const how = await materializeImage(
    docker,
    m,
    { registries: opts.registries, archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) },
    opts.log,
  );
  const references = (m.indexTags ?? []).map((t) => `${m.repository}:${t}`);
  for (const ref of references) {
    const parsed = parseImageReference(ref);
    await docker.getImage(m.imageId).tag({
      repo: parsed?.registry ? `${parsed.registry}/${parsed.repository}` : (parsed?.repository ?? m.repository),
      tag: parsed?.tag ?? 'latest',
    });
  }
  return { metadata: m, how, references: [...m.references, ...references] };
}

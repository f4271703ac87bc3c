import { createHash } from 'node:crypto';
import { RegistryApi, RegistryApiError } from '../../clients/registry/registry-api';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** One platform's image manifest, as the index lists it. */
export interface PlatformManifest {
  platform: string;
  digest: string;
  mediaType: string;
  size: number;
}

/** The OCI image index over the platforms' manifests: its exact bytes and their digest. */
export function imageIndex(manifests: PlatformManifest[]): { body: string; digest: string } {
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: manifests.map((m) => {
      const [os, architecture, variant] = m.platform.split('/');
      return { mediaType: m.mediaType, digest: m.digest, size: m.size, platform: { os, architecture, ...(variant ? { variant } : {}) } };
    }),
  });
  return { body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/** The media type and size of a manifest the registry holds, which the index must state exactly. */
export async function manifestDescriptor(
  api: RegistryApi,
  repository: string,
  digest: string,
): Promise<{ mediaType: string; size: number }> {
  const manifest = await api.getManifest(repository, digest);
  if (!manifest) throw new RegistryApiError(`registry ${api.host} has no manifest ${repository}@${digest}`);
  return { mediaType: manifest.mediaType, size: manifest.body.length };
}

/** Puts the index under `tag`; returns the digest the registry stored it under (that of its bytes). */
export async function putImageIndex(
  api: RegistryApi,
  repository: string,
  tag: string,
  index: { body: string; digest: string },
): Promise<string> {
  const digest = await api.putManifest(repository, tag, { body: Buffer.from(index.body), mediaType: OCI_INDEX, digest: index.digest });
  if (digest !== index.digest)
    throw new RegistryApiError(`registry ${api.host} stored the index ${repository}:${tag} as ${digest}, not ${index.digest}`);
  return digest;
}

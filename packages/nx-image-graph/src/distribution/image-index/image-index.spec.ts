import { createHash } from 'node:crypto';
import { imageIndex, OCI_INDEX } from './image-index';

describe('imageIndex', () => {
  it('lists each platform manifest with its platform, and is addressed by the digest of its bytes', () => {
    const { body, digest } = imageIndex([
      { platform: 'linux/amd64', digest: 'sha256:aa', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 528 },
      { platform: 'linux/arm/v7', digest: 'sha256:bb', mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 530 },
    ]);
    const parsed = JSON.parse(body);
    expect(parsed.mediaType).toBe(OCI_INDEX);
    expect(parsed.manifests.map((m: { platform: object }) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    expect(digest).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
  });
});

import Docker from 'dockerode';

/** The engine the e2e suite brought up (DOCKER_HOST or the default socket). */
export const docker = new Docker(
  process.env.DOCKER_HOST?.startsWith('unix://') ? { socketPath: process.env.DOCKER_HOST.slice(7) } : undefined,
);

export async function imageIdOf(reference: string): Promise<string | undefined> {
  return docker
    .getImage(reference)
    .inspect()
    .then(
      (i) => i.Id,
      () => undefined,
    );
}

/**
 * Removes every tag that starts with `prefix` (tests clean up what they built). By tag, never by
 * image id: a test that tagged a shared base under its own name (busybox:1.36 as `<prefix>/base`)
 * would otherwise take the base from the engine, and every test after it would fail.
 */
export async function removeImages(prefix: string): Promise<void> {
  const images = await docker.listImages();
  for (const image of images) {
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(prefix))) {
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
    }
  }
}

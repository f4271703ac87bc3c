import Docker from 'dockerode';

/** The engine the e2e suite brought up (DOCKER_HOST or the default socket). */
export const docker = new Docker(process.env.DOCKER_HOST?.startsWith('unix://') ? { socketPath: process.env.DOCKER_HOST.slice(7) } : undefined);

export async function imageIdOf(reference: string): Promise<string | undefined> {
  return docker
    .getImage(reference)
    .inspect()
    .then((i) => i.Id, () => undefined);
}

/** Removes every image whose repository starts with `prefix` (tests clean up what they built). */
export async function removeImages(prefix: string): Promise<void> {
  const images = await docker.listImages();
  for (const image of images) {
    if ((image.RepoTags ?? []).some((t) => t.startsWith(prefix))) {
      await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
    }
  }
}

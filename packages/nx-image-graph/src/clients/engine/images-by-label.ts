import type Docker from 'dockerode';

/**
 * The image the engine holds with `label=value`. The `candidates` (an image the build recorded for
 * these inputs) are asked first, by id: one inspect, a few ms. Otherwise one GET /images/json with a
 * label filter, whose cost grows with the number of images in the engine (tens of ms at a few
 * hundred). Several can carry the label (a build with --no-cache gives a new image of the same
 * inputs): the one already tagged with one of `references` is kept where it is, else the newest.
 */
export async function imageByLabel(
  docker: Docker,
  label: string,
  value: string,
  references: string[],
  candidates: string[] = [],
): Promise<string | undefined> {
  for (const id of candidates) {
    const image = await docker
      .getImage(id)
      .inspect()
      .catch(() => undefined);
    if (image?.Config?.Labels?.[label] === value) return image.Id;
  }
  const images = await docker.listImages({ filters: JSON.stringify({ label: [`${label}=${value}`] }) } as Docker.ListImagesOptions);
  if (!images.length) return undefined;
  const tagged = images.find((i) => (i.RepoTags ?? []).some((t) => references.includes(t)));
  return (tagged ?? [...images].sort((a, b) => b.Created - a.Created)[0]).Id;
}

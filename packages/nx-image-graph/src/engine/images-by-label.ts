import type Docker from 'dockerode';

/**
 * The image the engine holds with `label=value`, by one GET /images/json with a label filter.
 * Several can carry it (a build with --no-cache gives a new image of the same inputs): the one
 * already tagged with one of `references` is kept where it is, else the newest.
 */
export async function imageByLabel(docker: Docker, label: string, value: string, references: string[]): Promise<string | undefined> {
  const images = await docker.listImages({ filters: JSON.stringify({ label: [`${label}=${value}`] }) } as Docker.ListImagesOptions);
  if (!images.length) return undefined;
  const tagged = images.find((i) => (i.RepoTags ?? []).some((t) => references.includes(t)));
  return (tagged ?? [...images].sort((a, b) => b.Created - a.Created)[0]).Id;
}

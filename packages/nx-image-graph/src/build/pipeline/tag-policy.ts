/**
 * Options that do not make the build another image: tags, cache use, pulling, and the credentials a
 * build is given (`--secret`, `--ssh`: like docker, BuildKit keeps them out of the image and its cache
 * key, so they are not what the image is made of; a secret whose value should rebuild the image says
 * `"hashValue": true` in the manifest). The others (`--build-arg`, `--platform`, ...) change it.
 */
const NOT_CONTENT = new Set(['tags', 'noCache', 'pull', 'dryRun', 'dry-run', 'skipNxCache', 'secret', 'ssh']);

/**
 * A run with command-line overrides (`--build-arg=MAX_JOBS=4`) builds another image than the
 * configured one: it is recorded under its own Nx hash, and the image's configured tags stay on the
 * configured image, unless `--tags` says where this one goes.
 */
export function tagPolicy(tags: string[], overrides: string[], nxHash: string | undefined): { tags: string[]; note?: string } {
  const content = overrides.filter((o) => !NOT_CONTENT.has(o) && !o.startsWith('_'));
  if (content.length === 0 || overrides.includes('tags')) return { tags };
  const own = nxHash ? [`nx-${nxHash}`] : [];
  return {
    tags: own,
    note:
      `built with ${content.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} given on the command line: recorded under this run's hash` +
      `${own.length ? ` and tagged ${own[0]}` : ''}; the configured tags (${tags.join(', ')}) were not moved. Pass --tags to tag it`,
  };
}

import picomatch from 'picomatch';
import { posix } from 'node:path';

type PluginRegistration = string | { plugin: string; include?: string[]; exclude?: string[] };

/** Plugins that infer their own targets from the same Dockerfiles, and the file names they look for. */
const PEERS: Record<string, { files: RegExp; what: string }> = {
  '@nx/docker': { files: /^Dockerfile$/, what: 'docker:build, docker:run and nx-release-publish' },
};

/**
 * Nx's own `@nx/docker` (a team migrating from it) infers targets for every directory with a
 * Dockerfile, beside ours: its `nx-release-publish` replaces or shadows ours, its `docker:build`
 * builds unpinned to the parent, and it names directories this plugin leaves alone. Say so once,
 * naming both registrations and the `exclude` that settles it, rather than let one take over.
 */
export function peerPluginWarnings(plugins: PluginRegistration[] | undefined, imageDockerfiles: string[]): string[] {
  const warnings: string[] = [];
  for (const registration of plugins ?? []) {
    const name = typeof registration === 'string' ? registration : registration.plugin;
    const peer = PEERS[name];
    if (!peer) continue;
    const include = typeof registration === 'string' ? undefined : registration.include;
    const exclude = typeof registration === 'string' ? undefined : registration.exclude;
    const included = include?.length ? picomatch(include) : () => true;
    const excluded = exclude?.length ? picomatch(exclude) : () => false;
    const shared = [
      ...new Set(
        imageDockerfiles.filter((f) => peer.files.test(posix.basename(f)) && included(f) && !excluded(f)).map((f) => posix.dirname(f)),
      ),
    ].sort();
    if (shared.length === 0) continue;
    const globs = [...new Set(shared.map((d) => (d.includes('/') ? `${d.split('/')[0]}/**` : d)))];
    warnings.push(
      `nx.json registers both nx-image-graph and ${name}, and both infer targets for ${shared.length} image director${shared.length === 1 ? 'y' : 'ies'} ` +
        `(${shared.slice(0, 5).join(', ')}${shared.length > 5 ? `, and ${shared.length - 5} more` : ''}): ${name} adds ${peer.what} there, and whichever plugin comes later in nx.json wins the targets both name. ` +
        `Keep one plugin per image: give ${name}'s registration "exclude": ${JSON.stringify(globs)}, or narrow nx-image-graph's "include" to the directories it should own.`,
    );
  }
  return warnings;
}

import type { TargetConfiguration } from '@nx/devkit';
import { isAbsolute, posix } from 'node:path';
import type { SecretSource } from './secret-sources';

type InputDefinition = Exclude<TargetConfiguration['inputs'], undefined>[number];

interface SessionManifest {
  secrets?: Record<string, SecretSource>;
  ssh?: string[];
  variants?: Record<string, { secrets?: Record<string, SecretSource>; ssh?: string[] }>;
}

/** Where a manifest file path points, for the executor (which runs at the workspace root): ~ and absolute paths as given. */
function fromManifestDir(root: string, path: string): string {
  return path.startsWith('~') || isAbsolute(path) ? path : posix.join(root, path);
}

/**
 * One build's secrets and ssh, as the build target's settings: the image's, then the variant's
 * (a variant's secret of the same id replaces the image's; its ssh list replaces the image's).
 * Only the sources go into the settings, never a value.
 */
export function buildSecretSettings(
  manifest: SessionManifest,
  root: string,
  variant?: string,
): { secrets?: Record<string, SecretSource>; sshAgents?: string[] } {
  const own = variant ? manifest.variants?.[variant] : undefined;
  const merged = { ...manifest.secrets, ...own?.secrets };
  const secrets = Object.fromEntries(
    Object.entries(merged).map(([id, s]) => [id, s.file !== undefined ? { ...s, file: fromManifestDir(root, s.file) } : s]),
  );
  const ssh = own?.ssh ?? manifest.ssh;
  return { ...(Object.keys(secrets).length ? { secrets } : {}), ...(ssh?.length ? { sshAgents: ssh } : {}) };
}

/**
 * Nx inputs for the secrets marked "hashValue": a runtime input that prints a SHA-256 digest of
 * the value (bin/secret-digest.js), so a new value rebuilds the image. The value itself never
 * enters Nx: only the digest's hash does.
 */
export function secretDigestInputs(manifest: SessionManifest, root: string, variant?: string): InputDefinition[] {
  const { secrets } = buildSecretSettings(manifest, root, variant);
  return Object.entries(secrets ?? {})
    .filter(([, s]) => s.hashValue)
    .map(([id, s]) => ({
      runtime: `node node_modules/nx-image-graph/bin/secret-digest.js ${id} ${s.env !== undefined ? `env ${quote(s.env)}` : `file ${quote(s.file!)}`}`,
    }));
}

function quote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

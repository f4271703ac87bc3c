import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const PLUGIN_PACKAGE = join(REPO_ROOT, 'packages', 'nx-image-graph');
/** Packed plugin and test workspaces live here (git-ignored), so one run never sees another's leftovers. */
export const E2E_TMP = join(REPO_ROOT, 'tmp', 'e2e');

export function pluginTarball(): string {
  const tarball = readdirSync(E2E_TMP).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('e2e: no packed plugin; the global setup did not run');
  return join(E2E_TMP, tarball);
}

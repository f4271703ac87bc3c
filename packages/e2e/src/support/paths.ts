import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const PLUGIN_PACKAGE = join(REPO_ROOT, 'packages', 'nx-image-graph');
/**
 * Packed plugin and test workspaces of this run (git-ignored). Each run has its own directory,
 * set by the global setup, so two e2e runs at once never clobber each other.
 */
export const E2E_TMP = process.env.E2E_RUN_DIR ?? join(REPO_ROOT, 'tmp', 'e2e', 'default');

export function pluginTarball(): string {
  const tarball = readdirSync(E2E_TMP).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('e2e: no packed plugin; the global setup did not run');
  return join(E2E_TMP, tarball);
}

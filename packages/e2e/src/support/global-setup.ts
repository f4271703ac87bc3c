import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs once before the e2e suite: brings up the engine and the registries through the
 * repo's own script, so every test meets a real engine. When none can be had, the suite
 * fails with the script's own message instead of skipping.
 */
export default async function globalSetup(): Promise<void> {
  const repoRoot = join(__dirname, '..', '..', '..', '..');
  try {
    execFileSync('bash', [join(repoRoot, 'tools', 'engine-up.sh')], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60 * 1000 });
  } catch (e) {
    throw new Error(`e2e: no Docker engine could be brought up by tools/engine-up.sh (see its message above): ${(e as Error).message}`);
  }
}

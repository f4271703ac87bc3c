import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_PACKAGE, REPO_ROOT } from './paths';

/**
 * Runs once before the e2e suite: brings up the engine and registries through the repo's own
 * script (when none can be had, the suite fails with the script's message instead of skipping),
 * and packs the plugin into a tarball that each test workspace installs the way a user would.
 */
export default async function globalSetup(): Promise<void> {
  try {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'engine-up.sh')], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60 * 1000 });
  } catch (e) {
    throw new Error(`e2e: no Docker engine could be brought up by tools/engine-up.sh (its message is above): ${(e as Error).message}`);
  }
  // Workers start after this and inherit the environment: they all use this run's directory.
  const runDir = join(REPO_ROOT, 'tmp', 'e2e', `run-${process.pid}`);
  process.env.E2E_RUN_DIR = runDir;
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', runDir], { cwd: PLUGIN_PACKAGE, stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = readdirSync(runDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`e2e: npm pack produced no tarball in ${runDir}`);
}

import { rmSync } from 'node:fs';

/** Removes this run's workspaces and tarball: tests leave nothing behind. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.E2E_RUN_DIR) rmSync(process.env.E2E_RUN_DIR, { recursive: true, force: true });
}

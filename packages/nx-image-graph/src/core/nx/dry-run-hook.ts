import type { PreTasksExecution } from '@nx/devkit';

/**
 * True when the nx command line asks for a dry run (`--dry-run`, `--dryRun`, `=true`), not
 * `--dry-run=false`. Nx passes options after `--` to the executors too, so those count.
 */
export function isDryRunArgv(argv: string[]): boolean {
  return argv.some((a) => /^--(dry-run|dryRun)(=true)?$/.test(a));
}

/**
 * A dry run must not be cached. Nx would store it under its own hash (overrides are hashed) with
 * whatever outputs happen to be on disk, and a later dry-run cache hit would restore those: old
 * metadata written over newer. So a run given `--dry-run` runs with Nx's cache off (read and write),
 * like `--skip-nx-cache`. Nx reads NX_SKIP_NX_CACHE after this hook, and carries env set here back
 * from the daemon's plugin worker.
 */
export const preTasksExecution: PreTasksExecution = (_options, context) => {
  if (!isDryRunArgv(context.argv)) return;
  process.env.NX_SKIP_NX_CACHE = 'true';
  // Nx gives command-line options to the tasks asked for, not to the builds they depend on: without
  // this, `nx run app:docker-build --dry-run` would really build app's parents (cache off, too).
  process.env[DRY_RUN_ENV] = 'true';
};

/** Set for every task of a dry run, so the parents of the image asked for are dry runs too. */
export const DRY_RUN_ENV = 'NX_IMAGE_GRAPH_DRY_RUN';

/** Whether an executor is to dry-run: asked by its option, or by the run (the hook above). */
export function dryRunRequested(options: { dryRun?: boolean }): boolean {
  return options.dryRun === true || process.env[DRY_RUN_ENV] === 'true';
}

/** Said by every dry run, so no one mistakes it for a build. */
export const DRY_RUN_FOOTER = 'dry run: nothing built, pushed or written; no engine or registry contacted';

/** An executor's dry run, told whether Nx's cache is really off for it (the hook above needs the plugin in nx.json). */
export function dryRunCacheWarning(): string | undefined {
  return process.env.NX_SKIP_NX_CACHE === 'true'
    ? undefined
    : 'warning: Nx is caching this dry run (nx-image-graph is not a plugin in nx.json?); pass --skip-nx-cache with --dry-run';
}

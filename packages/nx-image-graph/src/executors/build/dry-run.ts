import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageDependencies, readDockerfile } from '../../dockerfile';
import { formatSize } from '../../summary/format-summary';
import { readImageMetadata } from '../../metadata/image-metadata';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../dry-run/dry-run-hook';
import { gitRevision } from './git-revision';
import { parseBuildArgs, resolveBuildSettings } from './build-settings';
import { buildContextFiles, readSources } from './build-context';
import type { BuildExecutorOptions } from './schema';
import { readLock, type BaseLock } from '../../lock/lock-file';
import { LOCK_FILE } from '../../lock/lock-key';
import { realRunVerdict } from './dry-run-verdict';

/** Stands for the real run's Nx hash in tags: a dry run has another hash (its own overrides are hashed). */
const HASH_STANDIN = '0'.repeat(64);

/**
 * `--dry-run` of docker-build: what the build would be (references, the parents it would be
 * pinned to with their recorded image ids, external bases, the context it would send), read from
 * the workspace only. No engine, no registry, no metadata.
 */
export async function buildDryRun(options: BuildExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const label = `${context.projectName}${options.variant ? ` (${options.variant})` : ''}`;
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${label} (dry run): ${message}\n`);
    return { success: false };
  };
  const root = context.root;
  const dockerfilePath = join(root, options.dockerfile);
  if (!existsSync(dockerfilePath)) return fail(`Dockerfile ${options.dockerfile} does not exist`);
  if (!existsSync(join(root, options.context))) return fail(`build context ${options.context} does not exist`);
  const model = readDockerfile(readFileSync(dockerfilePath, 'utf8'), options.dockerfile);
  let settings;
  try {
    const git = (options.tags ?? []).some((t) => t.includes('{git.')) ? gitRevision(root) : undefined;
    settings = resolveBuildSettings({ ...options, tags: options.tags ?? [] }, { projectName: context.projectName!, hash: HASH_STANDIN, git, now: new Date(), ociLabels: {} });
  } catch (e) {
    return fail((e as Error).message);
  }
  const references = settings.references.map((r) => r.split(HASH_STANDIN).join('<hash>'));
  print(`[dry run] ${label}: ${await realRunVerdict(context, references.join(', '), options.dockerfile)}`);
  const args = { ...options.args, ...parseBuildArgs(options.buildArg) };
  if (Object.keys(args).length) print(`  build args: ${Object.entries(args).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const p of options.parents ?? []) {
    let recorded: string;
    try {
      recorded = `recorded image ${readImageMetadata(join(root, p.metadataFile)).imageId}`;
    } catch {
      recorded = `no recorded build yet (its docker-build runs first)`;
    }
    print(`  on ${p.reference} = ${p.project}: ${recorded}`);
  }
  const parentRefs = new Set((options.parents ?? []).map((p) => p.reference));
  const bases = imageDependencies(model, settings.args, { target: options.target })
    .map((d) => d.reference)
    .filter((r, i, all) => r && r !== 'scratch' && !parentRefs.has(r) && all.indexOf(r) === i);
  if (bases.length) {
    // A lock that cannot be read is named here too: the build would fail on it.
    let lock: BaseLock | undefined;
    let lockProblem: string | undefined;
    try {
      lock = readLock(root);
    } catch (e) {
      lockProblem = (e as Error).message;
    }
    const described = bases.map((b) => {
      const e = lock?.get(b);
      return e ? `${b} (locked to ${e.source === 'registry' ? e.digest : `the engine's image ${e.digest}`} in ${LOCK_FILE})` : b;
    });
    print(`  external bases (pull ${options.pull ?? 'missing'}): ${described.join(', ')}`);
    if (lockProblem) print(`  ${lockProblem}`);
  }
  const sources = readSources(model, args, options.target, false);
  const sent = await buildContextFiles(join(root, options.context), dockerfilePath, sources, []);
  print(`  context ${options.context}: ${sent.files.length} file${sent.files.length === 1 ? '' : 's'}, ${formatSize(sent.bytes)} (${sent.bytes} bytes)${sources ? '' : ', the whole context'}`);
  if (options.reuseFromRegistry?.length) print(`  would first look for <repository>:nx-<hash> in ${options.reuseFromRegistry.join(', ')}`);
  print(`  metadata would go to ${options.metadataFile}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}

import { join } from 'node:path';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../core/nx/dry-run-hook';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { readImageMetadata } from '../../core/image-records/image-metadata';
import { formatBytes } from '../../core/text/format-units';
import type { BuildPlan } from './build-plan';
import { HASH_STANDIN } from './prepare-build';
import { realRunVerdict } from './dry-run-verdict';

/**
 * `--dry-run` of docker-build: what the real run would do with it (restore it from Nx's cache, or
 * build it and why: dry-run-verdict.ts), and what the build would be (references, the parents it
 * would be pinned to with their recorded image ids, external bases, the context it would send), from
 * the plan, prepared with HASH_STANDIN for the hash. No engine, no registry, no metadata.
 */
export async function buildDryRun(plan: BuildPlan, print: (line: string) => void): Promise<void> {
  const { options, task } = plan;
  const references = plan.settings.references.map((r) => r.split(HASH_STANDIN).join('<hash>'));
  print(`[dry run] ${dryRunLabel(plan)}: ${await realRunVerdict(task.outlook, references.join(', '), options.dockerfile)}`);
  const args = Object.entries(plan.givenArgs);
  if (args.length) print(`  build args: ${args.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const p of options.parents) {
    let recorded: string;
    try {
      recorded = `recorded image ${readImageMetadata(join(task.root, p.metadataFile)).imageId}`;
    } catch {
      recorded = `no recorded build yet (its docker-build runs first)`;
    }
    print(`  on ${p.reference} = ${p.project}: ${recorded}`);
  }
  const bases = plan.bases.filter((b) => b !== 'scratch');
  if (bases.length) {
    const described = bases.map((b) => {
      const e = plan.lock?.get(b);
      return e ? `${b} (locked to ${e.source === 'registry' ? e.digest : `the engine's image ${e.digest}`} in ${LOCK_FILE})` : b;
    });
    print(`  external bases (pull ${options.pull ?? 'missing'}): ${described.join(', ')}`);
    // A lock that cannot be read is named here too: the build would fail on it.
    if (plan.lockProblem) print(`  ${plan.lockProblem}`);
  }
  const sent = plan.context.files;
  print(
    `  context ${options.context}: ${sent.files.length} file${sent.files.length === 1 ? '' : 's'}, ${formatBytes(sent.bytes)} (${sent.bytes} bytes)${plan.context.sources ? '' : ', the whole context'}`,
  );
  if (options.reuseFromRegistry?.length) print(`  would first look for <repository>:nx-<hash> in ${options.reuseFromRegistry.join(', ')}`);
  print(`  metadata would go to ${options.metadataFile}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
}

/** A dry run names the build by its project and variant. */
export function dryRunLabel(plan: Pick<BuildPlan, 'task'>): string {
  return `${plan.task.project}${plan.task.options.variant ? ` (${plan.task.options.variant})` : ''}`;
}

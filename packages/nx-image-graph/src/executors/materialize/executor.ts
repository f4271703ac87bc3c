import type { ExecutorContext } from '@nx/devkit';
import { executorSettings, missingSettings } from '../../inference/targets/target-settings';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { materializeDryRun } from './dry-run';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { join } from 'node:path';
import { connectEngine } from '../../clients/engine/engine-client';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { materializeImage } from '../../build/materialize/materialize-image';
import { readImageMetadata } from '../../core/image-records/image-metadata';
import { materializePlatforms } from '../../distribution/image-index/materialize-platforms';

/**
 * docker-materialize: after a cached run, make the engine hold the exact recorded image under
 * its tags (from the engine, a registry, or the cached archive), e.g. before `docker run`.
 */
export default async function materializeExecutor(
  options: { metadataFile: string; registries?: string[]; dryRun?: boolean; platforms?: { platform: string; metadataFile: string }[] },
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('materialize', options, context);
  if (refused) return refused;
  // Inferred targets keep their settings in metadata (see graph/target-settings.ts).
  options = executorSettings(options, context).settings;
  const missing = missingSettings(options, ['metadataFile']);
  if (missing) {
    process.stderr.write(`\n✖ ${context.projectName}:${context.targetName}: ${missing}\n`);
    return { success: false };
  }
  if (dryRunRequested(options)) return materializeDryRun(options, context);
  const metadataPath = join(context.root, options.metadataFile);
  try {
    if (options.platforms?.length) {
      // A multi-platform image: the engine's own platform, under its plain tags too (platforms/materialize-platforms.ts).
      const { docker } = await connectEngine();
      const r = await materializePlatforms(docker, options.platforms, {
        root: context.root,
        registries: options.registries ?? [],
        log: (l) => process.stdout.write(`${l}\n`),
      });
      const m = r.metadata;
      process.stdout.write(
        `✔ ${m.project}${m.variant ? ` (${m.variant})` : ''}: ${m.platform} image ${r.references.join(' ')} = ${m.imageId.slice(7, 19)} (${r.how === 'engine' ? 'already in the engine' : `from the ${r.how}`})\n`,
      );
      return { success: true };
    }
    const m = readImageMetadata(metadataPath);
    const { docker } = await connectEngine();
    const how = await materializeImage(
      docker,
      m,
      { registries: options.registries ?? [], archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) },
      (l) => process.stdout.write(`${l}\n`),
    );
    process.stdout.write(
      `✔ ${m.project}${m.variant ? ` (${m.variant})` : ''}: ${m.references.join(' ')} = ${m.imageId.slice(7, 19)} (${how === 'engine' ? 'already in the engine' : `from the ${how}`})\n`,
    );
    return { success: true };
  } catch (e) {
    process.stderr.write(`\n✖ ${context.projectName}: ${(e as Error).message}\n`);
    return { success: false };
  }
}

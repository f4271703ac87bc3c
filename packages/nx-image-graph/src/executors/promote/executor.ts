import type { ExecutorContext } from '@nx/devkit';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { executorSettings, missingSettings } from '../../inference/targets/target-settings';
import { promoteRecordedBuild, readRecordedImage } from '../../distribution/promote/promote-recorded-build';
import { versionTags, VersionOptions } from '../../distribution/promote/version-tags';
import { gitRevision } from '../../build/pipeline/git-revision';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { rawValues } from '../../hooks/unknown-options/raw-values';

export interface PromoteExecutorOptions extends VersionOptions {
  metadataFile: string;
  /** A multi-platform build: each platform's build record; the index over them is promoted. */
  platforms?: { platform: string; metadataFile: string }[];
  registries: string[];
  indexFile?: string;
  dryRun?: boolean;
  /** The image's variants, so a tag that would be the same for all of them is refused. */
  variants?: string[];
}

/**
 * docker-promote: version tags on the exact image a run built and pushed, copied registry-side in
 * every registry (promote/). Needs the build's metadata (from the run or the Nx cache) and the
 * image in the registry; never the engine. Records `<target>.promote.json` and dist/images.json.
 */
export default async function promoteExecutor(given: PromoteExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('promote', given, context);
  if (refused) return refused;
  const options = executorSettings(given, context).settings;
  let label = context.projectName ?? 'image';
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    return { success: false };
  };
  const missing = missingSettings(options, ['metadataFile', 'registries']);
  if (missing) return fail(missing);
  const read = readRecordedImage(context.root, options);
  if ('error' in read) return fail(read.error);
  const m = read.metadata;
  const name = `${label}${m.variant ? ` (${m.variant})` : ''}`;
  label = name;
  let tags: string[];
  try {
    const needsGit = [given.tag, given.scheme].flat().some((t) => String(t ?? '').includes('{git.'));
    // Tags as typed: Nx reads --tag=1.10 as the number 1.1.
    const tag = rawValues(context, 'tag') ?? options.tag;
    tags = versionTags(
      { ...options, tag },
      {
        variant: m.variant,
        variants: options.variants,
        projectName: m.project,
        args: m.args,
        hash: m.nxHash,
        git: needsGit ? gitRevision(context.root) : undefined,
        date: new Date(),
      },
    );
  } catch (e) {
    return fail((e as Error).message);
  }
  const outcome = await promoteRecordedBuild(context.root, options, m, tags, name, dryRunRequested(options));
  for (const line of outcome.lines) print(line);
  return outcome.error ? fail(outcome.error) : { success: true };
}

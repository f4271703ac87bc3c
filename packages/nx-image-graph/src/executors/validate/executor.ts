import type { ExecutorContext } from '@nx/devkit';
import { executorSettings, missingSettings } from '../../inference/targets/target-settings';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { validateDryRun } from './dry-run';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { join } from 'node:path';
import { z } from 'zod';
import { connectEngine, EngineInfo } from '../../clients/engine/engine-client';
import { checkSchema, ImageCheck } from '../../inference/manifest/schema';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import { CheckResult, countResults, formatCheckResult, formatFailure, formatSummary } from './check-result';
import type { ImageConfig } from './expectations';
import { FileInspector } from './file-inspector';
import { gpuSupport, GpuSupport } from './gpu-runtime';
import { removeResultsFile, writeResultsFile } from './results-file';
import { runCheck } from './run-check';
import { engineMessage } from './run-container';
import type { ValidateExecutorOptions } from './schema';

/**
 * docker-validate: the checks of the manifest against the exact image the build recorded.
 * Passes only when every check ran and passed; a check that could not run (a GPU check on an
 * engine without a GPU runtime) fails the target, never passes silently. The results file is
 * written only on a pass, and an earlier one is removed first, so it always describes a pass.
 */
export default async function validateExecutor(options: ValidateExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('validate', options, context);
  if (refused) return refused;
  // Inferred targets keep their settings in metadata (see graph/target-settings.ts).
  options = executorSettings(options, context).settings;
  const missing = missingSettings(options, ['metadataFile', 'checks', 'resultsFile']);
  if (missing) {
    process.stderr.write(`\n✖ ${context.projectName}:${context.targetName}: ${missing}\n`);
    return { success: false };
  }
  if (dryRunRequested(options)) return validateDryRun(options, context);
  const started = Date.now();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let label = context.projectName ?? 'image';
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    return { success: false };
  };
  const resultsPath = join(context.root, options.resultsFile);
  removeResultsFile(resultsPath);

  const parsed = z.array(checkSchema).safeParse(options.checks);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `  - checks${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
    );
    return fail(`invalid checks\n${problems.join('\n')}`);
  }
  const checks: ImageCheck[] = parsed.data;

  let metadata: ImageMetadata;
  try {
    metadata = readImageMetadata(join(context.root, options.metadataFile));
  } catch (e) {
    return fail(`${(e as Error).message}; build the image first (its docker-build target)`);
  }
  label = `${metadata.project}${metadata.variant ? ` (${metadata.variant})` : ''}`;

  let docker, engine: EngineInfo;
  try {
    ({ docker, info: engine } = await connectEngine());
  } catch (e) {
    return fail((e as Error).message);
  }
  const engineName = `${engine.name} ${engine.version} at ${engine.address}`;
  let config: ImageConfig;
  try {
    config = ((await docker.getImage(metadata.imageId).inspect()).Config ?? {}) as ImageConfig;
  } catch (e) {
    return fail(
      `image ${metadata.imageId} recorded in ${options.metadataFile} is not in ${engineName} (${engineMessage(e)}); ` +
        `rebuild it: nx run ${metadata.project}:${metadata.target} --skip-nx-cache`,
    );
  }
  let gpu: GpuSupport = { available: false, reason: 'the engine was not asked' };
  if (checks.some((c) => c.gpu)) {
    try {
      gpu = gpuSupport(await docker.info(), engineName);
    } catch (e) {
      gpu = { available: false, reason: `could not ask ${engineName} for its runtimes: ${engineMessage(e)}` };
    }
  }

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  // `on`, not `once`: Nx signals the task again while stopping it, and an unhandled second signal
  // would kill this process before it removed the running check's container.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const files = new FileInspector(docker, metadata.imageId);
  const warn = (message: string) => print(`  ! ${message}`);
  print(
    `Validating ${label}: ${metadata.imageId.slice(7, 19)} ${metadata.references.join(' ')}, ${checks.length} check${checks.length === 1 ? '' : 's'} on ${engine.name} ${engine.version}`,
  );
  const results: CheckResult[] = [];
  try {
    for (const check of checks) {
      const result = await runCheck(check, { docker, imageId: metadata.imageId, config, gpu, files, signal: abort.signal, warn });
      results.push(result);
      print(formatCheckResult(result));
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await files.dispose().catch((e) => warn(`could not remove the file-check container: ${engineMessage(e)}`));
  }
  const durationMs = Date.now() - started;
  print(formatSummary(results, durationMs));

  if (abort.signal.aborted) return fail('cancelled; the running check was stopped and no results file written');
  const counts = countResults(results);
  if (counts.failed || counts.notRun) return fail(formatFailure(results));
  try {
    writeResultsFile(resultsPath, {
      schemaVersion: 1,
      project: metadata.project,
      target: context.targetName ?? 'docker-validate',
      ...(metadata.variant ? { variant: metadata.variant } : {}),
      imageId: metadata.imageId,
      references: metadata.references,
      engine: { name: engine.name, version: engine.version },
      counts,
      checks: results,
      durationMs,
    });
  } catch (e) {
    return fail(`every check passed, but ${options.resultsFile} could not be written: ${(e as Error).message}`);
  }
  print(`✔ ${label}: ${metadata.imageId.slice(7, 19)} passed ${results.length} check${results.length === 1 ? '' : 's'}`);
  return { success: true };
}

import { join } from 'node:path';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { buildWarnings } from './build-warnings';
import { missingSettings } from '../../inference/targets/target-settings';
import { BuildFailure, clearFailure, failureFileOf, recordFailure } from './build-failure';
import type { BuildTask } from './build-plan';
import { buildDryRun, dryRunLabel } from './dry-run';
import { buildLabel, HASH_STANDIN, prepareBuild } from './prepare-build';
import { recordBuild } from './record-build';
import { runBuild } from './run-build';

/** After a stop signal, how long a build may take to leave (the engine's part stops at once; a record being written finishes). */
const STOP_GRACE_MS = 3000;

/**
 * docker-build, whichever way Nx runs it (bin/build.js as a command, or the executor):
 * prepare (the plan, from the workspace) -> run (the engine: the image found or built) -> record
 * (tags, metadata, inputs). Tags move and records are written only after the engine's part
 * succeeded; a failed or stopped build leaves both as they were, and its reason beside the metadata.
 */
export async function runBuildTask(task: BuildTask): Promise<boolean> {
  const print = (line: string) => void process.stdout.write(`${line}\n`);
  const missing = missingSettings(task.options, ['dockerfile', 'context', 'repository', 'metadataFile']);
  if (missing) {
    process.stderr.write(`\n✖ ${task.project}:${task.target}: ${missing}\n`);
    return false;
  }
  if (dryRunRequested(task.options)) return dryRun(task, print);

  const started = Date.now();
  const failureFile = failureFileOf(task.root, task.options.metadataFile);
  clearFailure(failureFile);
  const warn = buildWarnings(join(task.root, task.options.metadataFile), print);
  const stop = new AbortController();
  const onSignal = () => {
    stop.abort();
    // Anything not listening for the stop (a pull of a parent, a git call) is not waited for long.
    setTimeout(() => process.exit(130), STOP_GRACE_MS).unref();
  };
  // on, not once: Nx sends a second SIGTERM shortly after the first, which would otherwise kill us mid-cleanup.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const plan = await prepareBuild(task);
    const result = await runBuild(plan, print, stop.signal, warn);
    await recordBuild(result, started, print, stop.signal);
    return true;
  } catch (e) {
    const failure = e instanceof BuildFailure ? e : unexpected(e as Error);
    process.stderr.write(`\n✖ ${buildLabel(task)}: ${failure.message}\n`);
    recordFailure(failureFile, failure);
    return false;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function dryRun(task: BuildTask, print: (line: string) => void): Promise<boolean> {
  try {
    await buildDryRun(await prepareBuild(task, { hash: HASH_STANDIN, ociLabels: false }), print);
    return true;
  } catch (e) {
    process.stderr.write(`\n✖ ${dryRunLabel({ task })} (dry run): ${(e as Error).message}\n`);
    return false;
  }
}

/** An error the build did not expect (the engine refusing a tag, a full disk): its message, its stack only when asked for. */
function unexpected(e: Error): BuildFailure {
  return new BuildFailure(process.env.NX_VERBOSE_LOGGING === 'true' && e.stack ? e.stack : e.message);
}

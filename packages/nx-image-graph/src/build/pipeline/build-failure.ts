import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAILURE_SUFFIX } from '../../core/image-records/output-files';

/** Why a build stopped, in words for the user; the step and exit code when a Dockerfile step failed. */
export class BuildFailure extends Error {
  constructor(
    message: string,
    readonly details: { step?: string; exitCode?: number } = {},
  ) {
    super(message);
    this.name = 'BuildFailure';
  }
}

/** Where a failed build leaves its reason, beside its metadata, for the run summary to name the step. */
export function failureFileOf(root: string, metadataFile: string): string {
  return join(root, metadataFile).replace(/\.json$/, FAILURE_SUFFIX);
}

export function clearFailure(path: string): void {
  rmSync(path, { force: true });
}

export function recordFailure(path: string, failure: BuildFailure): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ ...failure.details, message: failure.message }) + '\n');
  } catch {
    // The summary then says "see its output above".
  }
}

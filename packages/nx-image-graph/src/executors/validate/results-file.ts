import { rmSync } from 'node:fs';
import type { CheckResult, ResultCounts } from './check-result';
import { writeJsonAtomic } from '../../core/fs/write-atomic';

/** What docker-validate records (the file Nx caches) when every check passed. */
export interface ValidationResults {
  schemaVersion: 1;
  project: string;
  target: string;
  variant?: string;
  imageId: string;
  references: string[];
  engine: { name: string; version: string };
  counts: ResultCounts;
  checks: CheckResult[];
  durationMs: number;
}

/** Written whole or not at all: a reader never sees half a file. */
export function writeResultsFile(path: string, results: ValidationResults): void {
  writeJsonAtomic(path, results);
}

/** Drops an earlier run's results, so a failed or cancelled run never leaves a pass for another image. */
export function removeResultsFile(path: string): void {
  rmSync(path, { force: true });
}

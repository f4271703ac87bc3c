import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult, ResultCounts } from './check-result';

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
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(results, null, 2) + '\n');
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Drops an earlier run's results, so a failed or cancelled run never leaves a pass for another image. */
export function removeResultsFile(path: string): void {
  rmSync(path, { force: true });
}

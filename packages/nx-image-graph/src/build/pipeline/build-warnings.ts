import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WARNINGS_SUFFIX } from '../../core/image-records/output-files';

/**
 * A build's warnings: printed in its output, and kept beside its metadata path for the run summary,
 * since `nx run-many` in a terminal shows only the output of the builds that failed. The file of an
 * earlier build is removed when the build starts.
 */
export function buildWarnings(metadataPath: string, print: (line: string) => void): (message: string) => void {
  const file = metadataPath.replace(/\.json$/, WARNINGS_SUFFIX);
  rmSync(file, { force: true });
  const warnings: string[] = [];
  return (message) => {
    print(`  WARNING: ${message}`);
    warnings.push(message);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ warnings }) + '\n');
    } catch {
      // The warning was printed; only the summary goes without it.
    }
  };
}

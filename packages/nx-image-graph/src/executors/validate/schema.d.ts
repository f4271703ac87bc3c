import type { ImageCheck } from '../../inference/manifest/schema';

/** Options of the `validate` executor (see schema.json). Paths are workspace-relative. */
export interface ValidateExecutorOptions {
  /** The metadata the build wrote: its `imageId` is the exact image checked. */
  metadataFile: string;
  /** The manifest's checks (validated again here with the manifest's own schema). */
  checks: ImageCheck[];
  /** Where the results go; written only when every check passed. */
  resultsFile: string;
  /** Print the checks and the image; run nothing. */
  dryRun?: boolean;
}

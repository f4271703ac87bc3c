import { join } from 'node:path';
import { readImageMetadata } from '../../core/image-records/image-metadata';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';

/**
 * The revision labels of the images a build is built on, from their builds' records (the label the
 * build gave its image: `git.sha` of its metadata). A child's revision must hold them: checking out
 * the child's own last change alone would build it on an older parent. A parent without a record, or
 * built with `"ociLabels": false`, has none to give.
 */
export function parentRevisions(workspaceRoot: string, parents: BuildExecutorOptions['parents'] | undefined): string[] {
  return (parents ?? []).flatMap((p) => {
    try {
      const sha = readImageMetadata(join(workspaceRoot, p.metadataFile)).git?.sha;
      return sha ? [sha] : [];
    } catch {
      return [];
    }
  });
}

import { join } from 'node:path';
import { connectEngine } from '../engine/engine-client';
import { ARCHIVE_SUFFIX } from '../graph/image-targets';
import { readImageMetadata } from '../metadata/image-metadata';
import type { BuildTaskInfo, SummaryRow } from '../summary/run-summary';
import { reconcileCacheHit } from './engine-state';

/**
 * Every image the run reports as a cache hit: the engine's tags point at the recorded image id, or
 * its row says exactly what is missing and the command that fixes it. With `materialize: "on-hit"`
 * the missing image is fetched instead.
 */
export async function reconcileHits(rows: SummaryRow[], builds: BuildTaskInfo[], workspaceRoot: string, materialize: boolean): Promise<void> {
  const hits = rows.filter((r) => r.outcome === 'local cache' || r.outcome === 'remote cache');
  if (hits.length === 0) return;
  let docker;
  try {
    ({ docker } = await connectEngine(process.env, 3000));
  } catch (e) {
    for (const row of hits) row.note = `engine not reachable, image not checked: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  const byTask = new Map(builds.map((b) => [b.taskId, b]));
  for (const row of hits) {
    const b = byTask.get(row.task);
    if (!b) continue;
    const metadataPath = join(workspaceRoot, b.metadataFile);
    let m;
    try {
      m = readImageMetadata(metadataPath);
    } catch {
      row.note = 'no build record restored; see its output above';
      continue;
    }
    const state = await reconcileCacheHit(docker, m, { registries: b.registries ?? [], archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) }, materialize);
    if (state.kind === 'present') {
      if (state.retagged.length) row.note = `tags re-pointed to ${m.imageId.slice(7, 19)}: ${state.retagged.join(', ')}`;
    } else if (state.kind === 'materialized') {
      row.note = `put in the engine from the ${state.from}`;
    } else {
      row.note = `${state.reason}; run nx run ${b.materializeTask ?? `${b.project}:docker-materialize`}`;
    }
  }
}

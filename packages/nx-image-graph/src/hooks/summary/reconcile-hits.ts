import { join } from 'node:path';
import { engineAddress } from '../../clients/engine/engine-address';
import { inspectImages } from '../../clients/engine/engine-images';
import { ARCHIVE_SUFFIX } from '../../core/image-records/output-files';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import type { BuildTaskInfo, SummaryRow } from './run-summary';

/**
 * Every image the run reports as a cache hit: the engine's tags point at the recorded image id, or
 * its row says exactly what is missing and the command that fixes it. With `materialize: "on-hit"`
 * the missing image is fetched instead. `env`: the run's, for its DOCKER_HOST (see nx/run-env).
 */
export async function reconcileHits(
  rows: SummaryRow[],
  builds: BuildTaskInfo[],
  workspaceRoot: string,
  materialize: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const hits = rows.filter((r) => r.outcome === 'local cache' || r.outcome === 'remote cache');
  if (hits.length === 0) return;
  const byTask = new Map(builds.map((b) => [b.taskId, b]));
  const recorded: { row: SummaryRow; b: BuildTaskInfo; m: ImageMetadata; metadataPath: string }[] = [];
  for (const row of hits) {
    const b = byTask.get(row.task);
    if (!b) continue;
    const metadataPath = join(workspaceRoot, b.metadataFile);
    try {
      recorded.push({ row, b, m: readImageMetadata(metadataPath), metadataPath });
    } catch {
      row.note = 'no build record restored; see its output above';
    }
  }
  // The usual case, every tag on its recorded image (so the image is there), is settled without loading the engine client.
  const images = await inspectImages(
    engineAddress(env),
    recorded.flatMap((r) => r.m.references),
  );
  const settled = (m: ImageMetadata) => !!images && m.references.length > 0 && m.references.every((r) => images.get(r)?.id === m.imageId);
  const unsettled = recorded.filter((r) => !settled(r.m));
  if (unsettled.length === 0) return;

  const [{ connectEngine }, { reconcileCacheHit }] = await Promise.all([
    import('../../clients/engine/engine-client'),
    import('../../build/materialize/engine-state'),
  ]);
  let docker;
  try {
    ({ docker } = await connectEngine(env, 3000));
  } catch (e) {
    for (const { row } of unsettled) row.note = `engine not reachable, image not checked: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  for (const { row, b, m, metadataPath } of unsettled) {
    const state = await reconcileCacheHit(
      docker,
      m,
      { registries: b.registries ?? [], archive: metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX) },
      materialize,
    );
    if (state.kind === 'present') {
      if (state.retagged.length) row.note = `tags re-pointed to ${m.imageId.slice(7, 19)}: ${state.retagged.join(', ')}`;
    } else if (state.kind === 'materialized') {
      row.note = `put in the engine from the ${state.from}`;
    } else {
      row.note = `${state.reason}; run nx run ${b.materializeTask ?? `${b.project}:docker-materialize`}`;
    }
  }
}

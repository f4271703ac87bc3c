import type { PostTasksExecution } from '@nx/devkit';
import { nxCacheDir, nxReadCachedProjectGraph } from '../../core/nx/nx-helpers';
import { runEnv } from '../../core/nx/run-env';
import { join } from 'node:path';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';
import { settingsOf } from '../../inference/targets/target-settings';
import { ImageGraphPluginOptions, normalizeOptions } from '../../inference/options/plugin-options';
import { formatSummary } from './format-summary';
import { summaryRows } from './run-summary';
import { buildTasksOf } from './build-tasks';
import { runTaskIds } from './run-tasks';
import { dryRunClosing } from './dry-run-closing';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { reconcileHits } from './reconcile-hits';
import { isDryRunArgv } from '../../core/nx/dry-run-hook';
import { writeToRunTerminal } from '../../core/nx/run-terminal';
import { nxInputReasons, readNxInputHashes, saveNxInputHashes, withFileHashes } from '../../tools/plan/nx-input-details';
import { writeRunLayerReport } from './run-layer-report';

/**
 * After any Nx run that touched image builds: one table of every image with its outcome (built,
 * cached locally or remotely, skipped because of which failed parent, failed at which step),
 * and the same as JSON for CI. Silent when no image build ran.
 */
export const postTasksExecution: PostTasksExecution<ImageGraphPluginOptions> = async (rawOptions, context) => {
  const options = normalizeOptions(rawOptions);
  const dryRun = isDryRunArgv(context.argv);
  let graph;
  try {
    graph = nxReadCachedProjectGraph();
  } catch {
    return;
  }
  const builds = buildTasksOf(graph);
  const results = Object.fromEntries(
    Object.entries(context.taskResults).map(([id, r]) => [id, { status: r.status, startTime: r.task.startTime, endTime: r.task.endTime }]),
  );
  // Nx's input hashes of this build against the recorded build's (kept by an earlier run of this hook).
  const moreWhy = (taskId: string, record: { why?: string[]; previousNxHash?: string }) => {
    const now = context.taskResults[taskId]?.task.hashDetails?.nodes;
    const before = record.previousNxHash ? readNxInputHashes(nxCacheDir(), record.previousNxHash) : undefined;
    return now && before ? nxInputReasons(before, withFileHashes(now, context.workspaceRoot), record.why ?? []) : [];
  };
  const rows = summaryRows(results, builds, context.workspaceRoot, moreWhy, runTaskIds(context.argv, graph));
  // The docker-layers tasks of the run each wrote their image's report: one report of them all for the run.
  if (!dryRun) {
    const layers = layerReportsOfRun(graph, context.taskResults);
    const line = writeRunLayerReport(context.workspaceRoot, options.outputDir, layers);
    if (line) writeToRunTerminal(`\n${line}\n`, context.argv);
  }
  if (rows.length === 0) return;
  // A dry run built nothing and must change nothing: no engine tags re-pointed, no summary file.
  if (dryRun) return void writeToRunTerminal(`\n${dryRunClosing(rows.length, context.argv)}\n\n`, context.argv);
  // Nx's per-input hashes of each build, which only this hook gets: the plan names the Nx inputs that changed from them.
  for (const b of builds) {
    const task = context.taskResults[b.taskId]?.task;
    try {
      if (task?.hash && task.hashDetails?.nodes)
        saveNxInputHashes(nxCacheDir(), task.hash, withFileHashes(task.hashDetails.nodes, context.workspaceRoot));
    } catch {
      // A read-only cache directory: the plan then names fewer inputs, nothing else depends on it.
    }
  }
  await reconcileHits(rows, builds, context.workspaceRoot, options.materialize === 'on-hit', runEnv(context.argv));
  writeToRunTerminal(`\n${formatSummary(rows)}\n\n`, context.argv);
  const file = join(context.workspaceRoot, options.outputDir, 'image-run-summary.json');
  writeJsonAtomic(file, { startTime: new Date(context.startTime).toISOString(), endTime: new Date(context.endTime).toISOString(), rows });
};

/** The report file of each docker-layers task that succeeded in this run. */
function layerReportsOfRun(
  graph: ReturnType<typeof nxReadCachedProjectGraph>,
  results: Parameters<PostTasksExecution>[1]['taskResults'],
): string[] {
  const files: string[] = [];
  for (const node of Object.values(graph.nodes)) {
    for (const [target, config] of Object.entries(node.data.targets ?? {})) {
      if (config.executor !== `${PLUGIN_NAME}:layer-report` || results[`${node.name}:${target}`]?.status !== 'success') continue;
      const outputFile = settingsOf<{ outputFile?: string }>(config).outputFile ?? 'dist/image-layers.json';
      if (!files.includes(outputFile)) files.push(outputFile);
    }
  }
  return files;
}

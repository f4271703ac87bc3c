import type { PostTasksExecution } from '@nx/devkit';
import { nxCacheDir, nxReadCachedProjectGraph } from '../nx/nx-helpers';
import { runEnv } from '../nx/run-env';
import { join } from 'node:path';
import { PLUGIN_NAME } from '../graph/image-targets';
import { settingsOf } from '../graph/target-settings';
import { isBuildTarget } from '../graph/build-command';
import { ImageGraphPluginOptions, normalizeOptions } from '../options/plugin-options';
import { formatSummary } from './format-summary';
import { BuildTaskInfo, summaryRows, taskIdOfMetadata } from './run-summary';
import { writeJsonAtomic } from '../fs/write-atomic';
import { reconcileHits } from '../materialize/reconcile-hits';
import { isDryRunArgv } from '../dry-run/dry-run-hook';
import { writeToRunTerminal } from './run-terminal';
import { nxInputReasons, readNxInputHashes, saveNxInputHashes } from '../plan/nx-input-details';

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
  const builds: BuildTaskInfo[] = [];
  for (const node of Object.values(graph.nodes)) {
    for (const [target, config] of Object.entries(node.data.targets ?? {})) {
      if (!isBuildTarget(config)) continue;
      const o = settingsOf<{ variant?: string; metadataFile: string; parents?: { project: string; metadataFile: string }[] }>(config);
      const sibling = (executor: string) =>
        Object.entries(node.data.targets ?? {}).find(([, c]) => c.executor === `${PLUGIN_NAME}:${executor}` && settingsOf<{ metadataFile?: string }>(c).metadataFile === o.metadataFile);
      const materialize = sibling('materialize');
      const push = sibling('push');
      const validate = sibling('validate');
      builds.push({
        taskId: `${node.name}:${target}`,
        project: node.name,
        variant: o.variant,
        metadataFile: o.metadataFile,
        parents: (o.parents ?? []).map((p) => taskIdOfMetadata(p.project, p.metadataFile)),
        ...(push ? { pushTask: `${node.name}:${push[0]}` } : {}),
        ...(validate ? { validateTask: `${node.name}:${validate[0]}` } : {}),
        ...(materialize ? { materializeTask: `${node.name}:${materialize[0]}`, registries: settingsOf<{ registries?: string[] }>(materialize[1]).registries ?? [] } : {}),
      });
    }
  }
  const results = Object.fromEntries(
    Object.entries(context.taskResults).map(([id, r]) => [id, { status: r.status, startTime: r.task.startTime, endTime: r.task.endTime }]),
  );
  // Nx's input hashes of this build against the recorded build's (kept by an earlier run of this hook).
  const moreWhy = (taskId: string, record: { why?: string[]; previousNxHash?: string }) => {
    const now = context.taskResults[taskId]?.task.hashDetails?.nodes;
    const before = record.previousNxHash ? readNxInputHashes(nxCacheDir(), record.previousNxHash) : undefined;
    return now && before ? nxInputReasons(before, now, record.why ?? []) : [];
  };
  const rows = summaryRows(results, builds, context.workspaceRoot, moreWhy);
  if (rows.length === 0) return;
  // A dry run built nothing and must change nothing: no engine tags re-pointed, no summary file.
  if (dryRun) return void writeToRunTerminal(`\nImages: dry run, ${rows.length} image build${rows.length === 1 ? '' : 's'} planned, nothing built (see each task's [dry run] lines)\n\n`, context.argv);
  // Nx's per-input hashes of each build, which only this hook gets: the plan names the Nx inputs that changed from them.
  for (const b of builds) {
    const task = context.taskResults[b.taskId]?.task;
    try {
      if (task?.hash && task.hashDetails?.nodes) saveNxInputHashes(nxCacheDir(), task.hash, task.hashDetails.nodes);
    } catch {
      // A read-only cache directory: the plan then names fewer inputs, nothing else depends on it.
    }
  }
  await reconcileHits(rows, builds, context.workspaceRoot, options.materialize === 'on-hit', runEnv(context.argv));
  writeToRunTerminal(`\n${formatSummary(rows)}\n\n`, context.argv);
  const file = join(context.workspaceRoot, options.outputDir, 'image-run-summary.json');
  writeJsonAtomic(file, { startTime: new Date(context.startTime).toISOString(), endTime: new Date(context.endTime).toISOString(), rows });
};

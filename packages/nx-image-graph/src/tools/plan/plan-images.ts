import type { NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsOf } from '../../inference/targets/target-settings';
import { isBuildTarget } from '../../inference/targets/build-command';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';
import { parseBuildArgs } from '../../build/pipeline/build-settings';
import { IMAGE_ID_SUFFIX } from '../../core/image-records/output-files';
import { CacheLookup } from './cache-status';
import { currentInputs } from './current-inputs';
import { inputReasons, PlannedParent } from '../../build/input-records/input-diff';
import { inputsFileOf, readRecordedInputs } from '../../build/input-records/recorded-inputs';
import { nxInputReasons, NxInputHashes, readNxInputHashes, withFileHashes } from './nx-input-details';
import { buildOrder } from './build-order';
import type { PlanRow, PlanStatus } from '../../build/input-records/plan-row';

interface Hasher {
  hashTask(task: Task, taskGraph: TaskGraph, env: NodeJS.ProcessEnv): Promise<{ value: string; details?: { nodes?: NxInputHashes } }>;
}

export interface PlanContext {
  root: string;
  graph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  taskGraph: TaskGraph;
  hasher: Hasher;
  cache: CacheLookup;
  docker?: Docker;
  /** The env Nx would hash the task with (its .env files): Nx's own function. */
  taskEnv: (task: Task) => NodeJS.ProcessEnv;
}

/**
 * The image builds of a task graph, parents first, each with its Nx hash, whether Nx would
 * restore it from a cache, and for a miss why: its inputs against the last recorded build.
 */
export async function planImages(ctx: PlanContext): Promise<PlanRow[]> {
  const builds = Object.values(ctx.taskGraph.tasks).filter((t) =>
    isBuildTarget(ctx.graph.nodes[t.target.project]?.data.targets?.[t.target.target]),
  );
  const ids = new Set(builds.map((t) => t.id));
  const parentsOf = (t: Task) => (ctx.taskGraph.dependencies[t.id] ?? []).map(edgeId).filter((d) => ids.has(d));
  const rows = new Map<string, PlanRow>();
  for (const id of buildOrder(
    builds.map((t) => t.id),
    (id) => parentsOf(ctx.taskGraph.tasks[id]),
  )) {
    const task = ctx.taskGraph.tasks[id];
    const settings = settingsOf<BuildExecutorOptions>(ctx.graph.nodes[task.target.project].data.targets![task.target.target]);
    // A command-line --build-arg of the task (a dry run's, through task-outlook) is an arg of the build, as the build records it.
    // (The task graph holds overrides as typed, `build-arg`; the executor gets them camelCased.)
    const given = (task.overrides ?? {}) as { buildArg?: string[] | string; 'build-arg'?: string[] | string };
    const buildArg = given.buildArg ?? given['build-arg'];
    const options = buildArg ? { ...settings, args: { ...settings.args, ...parseBuildArgs(buildArg) } } : settings;
    const metadataPath = join(ctx.root, options.metadataFile);
    const previous = readRecordedInputs(inputsFileOf(metadataPath));
    // Each parent's image: from the cache entry Nx would restore, from its record when that is it, or not known before the run.
    const parents: PlannedParent[] = [];
    let settled = true;
    for (const p of parentsOf(task)) {
      const row = rows.get(p)!;
      const { project, target } = ctx.taskGraph.tasks[p].target;
      if (row.imageId) {
        parents.push({ project, target, imageId: row.imageId });
        // Nx hashes the parent's image-id file in the workspace: right only when it names the image the run restores.
        if (readText(join(ctx.root, parentMetadata(ctx, p).replace(/\.json$/, IMAGE_ID_SUFFIX))) !== row.imageId) settled = false;
      } else {
        parents.push({
          project,
          target,
          pending: row.status === 'miss' ? 'rebuilds' : row.status === 'remote hit' ? 'comes from the remote cache' : 'is not known yet',
        });
        settled = false;
      }
    }
    const hashed = settled ? await ctx.hasher.hashTask(task, ctx.taskGraph, ctx.taskEnv(task)) : undefined;
    const hash = hashed?.value;
    const status: PlanStatus = hash ? await ctx.cache.status(hash) : parents.some((p) => p.pending === 'rebuilds') ? 'miss' : 'unknown';
    const row: PlanRow = { task: id, ...(hash ? { hash } : {}), status, reasons: [] };
    if (hash && status === 'local hit')
      row.imageId = ctx.cache.cachedOutput(hash, options.metadataFile.replace(/\.json$/, IMAGE_ID_SUFFIX))?.trim();
    if (status === 'miss' || status === 'unknown') {
      row.reasons = inputReasons(
        previous,
        await currentInputs(
          { root: ctx.root, project: task.target.project, target: task.target.target, options },
          parents,
          previous,
          ctx.docker,
        ),
      );
      // Nx's own inputs against the recorded build's (kept by the run's hook), for what the record does not hold.
      const before = previous?.nxHash && hashed?.details?.nodes ? readNxInputHashes(ctx.cache.cacheDir, previous.nxHash) : undefined;
      if (before && hashed?.details?.nodes)
        row.reasons.push(...nxInputReasons(before, withFileHashes(hashed.details.nodes, ctx.root), row.reasons));
      if (!row.reasons.length)
        row.reasons = [
          previous?.nxHash && previous.nxHash === hash
            ? 'its cache entry is gone (the recorded build has this hash)'
            : 'an input outside the build record changed (nx.json, a manifest field, a declared input)',
        ];
      if (status === 'unknown') row.reasons.push('its hash is known once its parents are restored');
    }
    rows.set(id, row);
  }
  return [...rows.values()];
}

function parentMetadata(ctx: PlanContext, taskId: string): string {
  const t = ctx.taskGraph.tasks[taskId];
  return settingsOf<BuildExecutorOptions>(ctx.graph.nodes[t.target.project].data.targets![t.target.target]).metadataFile;
}

/** Nx 24 gives edges as { id }, earlier versions as ids. */
function edgeId(e: unknown): string {
  return typeof e === 'string' ? e : (e as { id: string }).id;
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

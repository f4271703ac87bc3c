import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { formatReasons } from '../../build/input-records/input-diff';
import { inputsFileOf, readRecordedInputs, type RecordedInputs } from '../../build/input-records/recorded-inputs';
import { ENGINE_SAME_INPUTS } from '../../core/image-records/image-metadata';
import { FAILURE_SUFFIX, WARNINGS_SUFFIX } from '../../core/image-records/output-files';

export type ImageOutcome = 'built' | 'local cache' | 'remote cache' | 'failed' | 'skipped';

/** One row of the run summary: one image build (a project, or one variant of it). */
export interface SummaryRow {
  image: string;
  task: string;
  outcome: ImageOutcome;
  steps?: { cached: number; total: number };
  sizeBytes?: number;
  seconds?: number;
  /** Why it failed (step, exit code) or which failed parent it waited for. */
  note?: string;
  /** Why it was built: what changed since the build recorded before it (plan/input-diff.ts). */
  why?: string;
  /** What its build warned about (a large context, files left out of it, an unusable cacheFrom). */
  warnings?: string[];
  /** `repository:tag` of the recorded image (its first tag). */
  reference?: string;
  /** For a cache hit, `steps` are those of the build it restored: it ran none itself. */
  restoredSteps?: boolean;
  /** Outcomes of the image's push, validate and materialize tasks, when they were part of the run. */
  after?: Partial<Record<FollowUp, FollowUpOutcome>>;
}

export type FollowUp = 'push' | 'validate' | 'materialize';
export type FollowUpOutcome = 'done' | 'cached' | 'failed' | 'skipped';

/** What the summary needs to know of a build task, from the project graph. */
export interface BuildTaskInfo {
  taskId: string;
  project: string;
  variant?: string;
  /** One platform's build of a multi-platform image. */
  platform?: string;
  metadataFile: string;
  /** Task ids of the builds it is built on. */
  parents: string[];
  /** Where a cache hit's image can be fetched from, and the task that does it. */
  registries?: string[];
  materializeTask?: string;
  /** The image's push and validate tasks of the same build, when it has them. */
  pushTask?: string;
  validateTask?: string;
}

export interface TaskOutcome {
  status: string;
  startTime?: number;
  endTime?: number;
}

/** Failure details the build executor leaves beside its metadata path when a build fails. */
export interface FailureRecord {
  step?: string;
  exitCode?: number;
  message: string;
}

/**
 * `moreWhy`: reasons a built image's record does not hold (the hook gives Nx's own input hashes).
 * `runTasks`: every task of the run (run-tasks.ts). Nx gives no result for a task it skipped after a
 * failure: such a build is listed as skipped only when it is one of the run's tasks, never an image
 * that merely is built on the failed one.
 */
export function summaryRows(
  results: Record<string, TaskOutcome>,
  builds: BuildTaskInfo[],
  workspaceRoot: string,
  moreWhy: (taskId: string, record: RecordedInputs) => string[] = () => [],
  runTasks?: Set<string>,
): SummaryRow[] {
  const byTask = new Map(builds.map((b) => [b.taskId, b]));
  const rows: SummaryRow[] = [];
  const failed = new Set(
    Object.entries(results)
      .filter(([, r]) => r.status === 'failure')
      .map(([id]) => id),
  );
  const skippedInRun = (b: BuildTaskInfo) =>
    failed.size > 0 && !!runTasks?.has(b.taskId) && failedAncestor(b, results, byTask, new Set()) !== undefined;
  for (const b of builds) {
    const result = results[b.taskId] ?? (skippedInRun(b) ? { status: 'skipped' } : undefined);
    if (!result) continue;
    const outcome = outcomeOf(result.status);
    const row: SummaryRow = { image: buildLabel(b), task: b.taskId, outcome };
    const metadataPath = join(workspaceRoot, b.metadataFile);
    if (outcome === 'built' || outcome === 'local cache' || outcome === 'remote cache') {
      const m = readJson<{
        steps?: { cached: number; total: number };
        size?: number;
        references?: string[];
        imageId?: string;
        reused?: string;
      }>(metadataPath);
      if (m?.steps) row.steps = m.steps;
      if (m?.steps && outcome !== 'built') row.restoredSteps = true;
      // Built in this run, but by a lookup: the engine had an image of these exact inputs.
      if (outcome === 'built' && m?.reused === 'engine' && m.imageId) row.note = `${ENGINE_SAME_INPUTS} ${m.imageId.slice(7, 19)}`;
      if (m?.size !== undefined) row.sizeBytes = m.size;
      if (m?.references?.length) row.reference = m.references[0];
    }
    if (outcome === 'built') {
      // Why it was built: what its recorded inputs say changed since the build before it.
      const record = readRecordedInputs(inputsFileOf(metadataPath));
      if (record?.why) {
        const why = [...record.why, ...moreWhy(b.taskId, record)];
        row.why = why.length ? formatReasons(why).replace(/^because /, '') : 'no recorded input changed';
      }
      const warned = readJson<{ warnings?: string[] }>(metadataPath.replace(/\.json$/, WARNINGS_SUFFIX));
      if (warned?.warnings?.length) row.warnings = warned.warnings;
    }
    const after = followUpOutcomes(b, results);
    if (Object.keys(after).length) row.after = after;
    if (result.startTime !== undefined && result.endTime !== undefined) row.seconds = (result.endTime - result.startTime) / 1000;
    if (outcome === 'failed') {
      const f = readJson<FailureRecord>(metadataPath.replace(/\.json$/, FAILURE_SUFFIX));
      // Whole: the table wraps a long step rather than cutting it.
      row.note = f
        ? `${f.step ? `at ${f.step.replace(/\s+/g, ' ')}` : f.message.split('\n')[0]}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}`
        : 'see its output above';
    }
    if (outcome === 'skipped') {
      const cause = failedAncestor(b, results, byTask, new Set());
      row.note = cause ? `because ${cause} failed` : 'not run';
    }
    rows.push(row);
  }
  return parentsFirst(rows, byTask);
}

/** The rows in build order: each image after the images it is built on, otherwise by name. */
function parentsFirst(rows: SummaryRow[], byTask: Map<string, BuildTaskInfo>): SummaryRow[] {
  const inRun = new Map(rows.map((r) => [r.task, r]));
  const placed = new Set<string>();
  const out: SummaryRow[] = [];
  const byName = [...rows].sort((a, b) => a.image.localeCompare(b.image) || a.task.localeCompare(b.task));
  while (out.length < rows.length) {
    const ready = byName.find(
      (r) => !placed.has(r.task) && (byTask.get(r.task)?.parents ?? []).every((p) => !inRun.has(p) || placed.has(p)),
    );
    // A cycle cannot be built; still, no row is left out.
    const next = ready ?? byName.find((r) => !placed.has(r.task))!;
    placed.add(next.task);
    out.push(next);
  }
  return out;
}

function followUpOutcomes(b: BuildTaskInfo, results: Record<string, TaskOutcome>): Partial<Record<FollowUp, FollowUpOutcome>> {
  const out: Partial<Record<FollowUp, FollowUpOutcome>> = {};
  const tasks: [FollowUp, string | undefined][] = [
    ['push', b.pushTask],
    ['validate', b.validateTask],
    ['materialize', b.materializeTask],
  ];
  for (const [kind, id] of tasks) {
    const status = id ? results[id]?.status : undefined;
    if (!status) continue;
    out[kind] = status === 'success' ? 'done' : status === 'failure' ? 'failed' : status.includes('cache') ? 'cached' : 'skipped';
  }
  return out;
}

function failedAncestor(
  b: BuildTaskInfo,
  results: Record<string, TaskOutcome>,
  byTask: Map<string, BuildTaskInfo>,
  seen: Set<string>,
): string | undefined {
  for (const parent of b.parents) {
    if (seen.has(parent)) continue;
    seen.add(parent);
    const status = results[parent]?.status;
    const info = byTask.get(parent);
    if (status === 'failure') return info ? buildLabel(info) : parent;
    if ((status === undefined || status === 'skipped' || status === 'stopped') && info) {
      const up = failedAncestor(info, results, byTask, seen);
      if (up) return up;
    }
  }
  return undefined;
}

/** `base`, `asr (cpu)`, `torch (cuda, linux/arm64)`: the platform tells a multi-platform image's rows apart. */
export function buildLabel(b: Pick<BuildTaskInfo, 'project' | 'variant' | 'platform'>): string {
  const parts = [b.variant, b.platform].filter(Boolean);
  return parts.length ? `${b.project} (${parts.join(', ')})` : b.project;
}

function outcomeOf(status: string): ImageOutcome {
  if (status === 'success') return 'built';
  if (status === 'local-cache' || status === 'local-cache-kept-existing') return 'local cache';
  if (status === 'remote-cache') return 'remote cache';
  if (status === 'failure') return 'failed';
  return 'skipped';
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The task id of the build a parent's metadata file belongs to: `<project>:<target>`. */
export function taskIdOfMetadata(project: string, metadataFile: string): string {
  return `${project}:${posix.basename(metadataFile, '.json')}`;
}

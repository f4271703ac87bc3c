import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { formatReasons } from '../plan/input-diff';
import { inputsFileOf, readRecordedInputs, type RecordedInputs } from '../plan/recorded-inputs';
import { ENGINE_SAME_INPUTS } from '../metadata/image-metadata';
import { FAILURE_SUFFIX } from '../metadata/output-files';

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
  /** `repository:tag` of the recorded image (its first tag). */
  reference?: string;
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

/** `moreWhy`: reasons a built image's record does not hold (the hook gives Nx's own input hashes). */
export function summaryRows(results: Record<string, TaskOutcome>, builds: BuildTaskInfo[], workspaceRoot: string, moreWhy: (taskId: string, record: RecordedInputs) => string[] = () => []): SummaryRow[] {
  const byTask = new Map(builds.map((b) => [b.taskId, b]));
  const rows: SummaryRow[] = [];
  // Nx leaves the builds it skipped after a failure out of its results: they are the ones that did not
  // run although an image they are built on failed in this run.
  const failed = new Set(Object.entries(results).filter(([, r]) => r.status === 'failure').map(([id]) => id));
  const dependsOnFailed = (b: BuildTaskInfo, seen = new Set<string>()): boolean =>
    b.parents.some((p) => !seen.has(p) && (seen.add(p), failed.has(p) || (notRun(results[p]) && byTask.has(p) && dependsOnFailed(byTask.get(p)!, seen))));
  for (const b of builds) {
    const result = results[b.taskId] ?? (failed.size > 0 && dependsOnFailed(b) ? { status: 'skipped' } : undefined);
    if (!result) continue;
    const outcome = outcomeOf(result.status);
    const row: SummaryRow = { image: b.variant ? `${b.project} (${b.variant})` : b.project, task: b.taskId, outcome };
    const metadataPath = join(workspaceRoot, b.metadataFile);
    if (outcome === 'built' || outcome === 'local cache' || outcome === 'remote cache') {
      const m = readJson<{ steps?: { cached: number; total: number }; size?: number; references?: string[]; imageId?: string; reused?: string }>(metadataPath);
      if (m?.steps) row.steps = m.steps;
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
    }
    const after = followUpOutcomes(b, results);
    if (Object.keys(after).length) row.after = after;
    if (result.startTime !== undefined && result.endTime !== undefined) row.seconds = (result.endTime - result.startTime) / 1000;
    if (outcome === 'failed') {
      const f = readJson<FailureRecord>(metadataPath.replace(/\.json$/, FAILURE_SUFFIX));
      row.note = f ? `${f.step ? `at ${truncate(f.step, 60)}` : f.message.split('\n')[0]}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}` : 'see its output above';
    }
    if (outcome === 'skipped') {
      const cause = failedAncestor(b, results, byTask, new Set());
      row.note = cause ? `because ${cause} failed` : 'not run';
    }
    rows.push(row);
  }
  return rows;
}

function followUpOutcomes(b: BuildTaskInfo, results: Record<string, TaskOutcome>): Partial<Record<FollowUp, FollowUpOutcome>> {
  const out: Partial<Record<FollowUp, FollowUpOutcome>> = {};
  const tasks: [FollowUp, string | undefined][] = [['push', b.pushTask], ['validate', b.validateTask], ['materialize', b.materializeTask]];
  for (const [kind, id] of tasks) {
    const status = id ? results[id]?.status : undefined;
    if (!status) continue;
    out[kind] = status === 'success' ? 'done' : status === 'failure' ? 'failed' : status.includes('cache') ? 'cached' : 'skipped';
  }
  return out;
}

function failedAncestor(b: BuildTaskInfo, results: Record<string, TaskOutcome>, byTask: Map<string, BuildTaskInfo>, seen: Set<string>): string | undefined {
  for (const parent of b.parents) {
    if (seen.has(parent)) continue;
    seen.add(parent);
    const status = results[parent]?.status;
    const info = byTask.get(parent);
    if (status === 'failure') return info?.variant ? `${info.project} (${info.variant})` : (info?.project ?? parent);
    if ((status === undefined || status === 'skipped' || status === 'stopped') && info) {
      const up = failedAncestor(info, results, byTask, seen);
      if (up) return up;
    }
  }
  return undefined;
}

function notRun(r: TaskOutcome | undefined): boolean {
  return !r || r.status === 'skipped' || r.status === 'stopped';
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

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The task id of the build a parent's metadata file belongs to: `<project>:<target>`. */
export function taskIdOfMetadata(project: string, metadataFile: string): string {
  return `${project}:${posix.basename(metadataFile, '.json')}`;
}

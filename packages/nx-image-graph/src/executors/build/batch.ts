import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { finishTaskOutput, routeOutputToTasks, runAsTask, taskOutput, writeToTask } from './batch-output';
import buildExecutor from './executor';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';

/** What Nx's batch runner takes per task (TaskResult of nx/src/config/misc-interfaces). */
interface TaskResult {
  success: boolean;
  terminalOutput: string;
  startTime?: number;
  endTime?: number;
}

/**
 * docker-build for many tasks in one process (Nx's batch mode: `--batch` or NX_BATCH_MODE=true):
 * the plugin's modules and the engine connection are loaded once, not once per image. Each task runs
 * the same executor as alone, when the tasks it depends on in this batch have succeeded, at most
 * `NX_PARALLEL` (default 3) at a time; a task whose dependency failed is not run and not reported,
 * so Nx lists it as not run because its dependency failed, as it does outside a batch. Where Nx shows
 * the batch's output live (TUI, `--batch`, stream styles), each build's lines come as they are
 * written, prefixed with its project (batch-output.ts).
 */
export default async function* buildBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, BuildExecutorOptions>,
  _overrides: BuildExecutorOptions,
  context: ExecutorContext,
): AsyncGenerator<{ task: string; result: TaskResult }> {
  routeOutputToTasks();
  const parallel = Math.max(1, Number(process.env.NX_PARALLEL) || 3);
  const ids = Object.keys(taskGraph.tasks);
  // Nx 24 lists dependencies as edges ({ id }), Nx 23 as task ids.
  const deps = (id: string) =>
    ((taskGraph.dependencies[id] ?? []) as unknown as (string | { id: string })[])
      .map((d) => (typeof d === 'string' ? d : d.id))
      .filter((d) => d in taskGraph.tasks);
  const state = new Map<string, 'waiting' | 'running' | 'ok' | 'failed' | 'blocked'>(ids.map((id) => [id, 'waiting']));
  const finished: { task: string; result: TaskResult }[] = [];
  let wake: () => void = () => undefined;

  const start = (id: string) => {
    state.set(id, 'running');
    const task = taskGraph.tasks[id];
    const output = taskOutput(task.target.project);
    const startTime = Date.now();
    const taskContext: ExecutorContext = {
      ...context,
      projectName: task.target.project,
      targetName: task.target.target,
      configurationName: task.target.configuration,
      target: context.projectsConfigurations?.projects[task.target.project]?.targets?.[task.target.target],
    };
    runAsTask(output, () => buildExecutor(inputs[id], taskContext))
      .catch((e: Error) => {
        writeToTask(output, `${e.stack ?? e.message}\n`);
        return { success: false };
      })
      .then((r) => {
        state.set(id, r.success ? 'ok' : 'failed');
        finished.push({
          task: id,
          result: { success: r.success, terminalOutput: finishTaskOutput(output), startTime, endTime: Date.now() },
        });
        wake();
      });
  };

  for (;;) {
    // Tasks on a failed (or blocked) dependency never run: Nx reports them as not run.
    for (const id of ids)
      if (state.get(id) === 'waiting' && deps(id).some((d) => state.get(d) === 'failed' || state.get(d) === 'blocked'))
        state.set(id, 'blocked');
    let running = ids.filter((id) => state.get(id) === 'running').length;
    for (const id of ids) {
      if (running >= parallel) break;
      if (state.get(id) === 'waiting' && deps(id).every((d) => state.get(d) === 'ok')) {
        start(id);
        running++;
      }
    }
    while (finished.length) yield finished.shift()!;
    if (![...state.values()].some((s) => s === 'running' || s === 'waiting')) return;
    if (running === 0) return; // nothing can start: only blocked tasks remain
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';

/** One task's output in a batch: all of it (Nx prints and caches it per task) and, if shown live, its unfinished line. */
export interface TaskOutput {
  chunks: string[];
  prefix: string;
  partial: string;
}

const currentTask = new AsyncLocalStorage<TaskOutput>();
let live: ((text: string) => void) | undefined;
let routed = false;

/**
 * Whether Nx shows a batch's output as it comes: the TUI's batch pane, `--batch`/NX_BATCH_MODE and
 * the stream output styles set NX_STREAM_OUTPUT. Otherwise (run-many's static styles) Nx prints each
 * task's output when it ends, as it does outside a batch, and a live copy would be printed twice.
 */
export function batchOutputIsLive(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NX_STREAM_OUTPUT === 'true' || env.NX_TUI === 'true';
}

/** `project: ` before each live line, as Nx prefixes streamed output, unless the output style asked for none. */
export function livePrefix(project: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.NX_PREFIX_OUTPUT === 'false' ? '' : `${project}: `;
}

/** A task's output, empty, its live lines prefixed with its project. */
export function taskOutput(project: string): TaskOutput {
  return { chunks: [], prefix: livePrefix(project), partial: '' };
}

/** The complete lines of `text` after what was left of the last one, each prefixed; the rest is kept for the next write. */
export function prefixLines(out: TaskOutput, text: string): string {
  const lines = (out.partial + text).split('\n');
  out.partial = lines.pop()!;
  return lines.map((l) => `${out.prefix}${l}\n`).join('');
}

/**
 * Sends each process.stdout/stderr write to the output of the task running it, so that builds running
 * side by side in this one process each keep their own terminal output; when Nx shows the batch live,
 * each complete line is also written through at once, prefixed with its project.
 */
export function routeOutputToTasks(showLive = batchOutputIsLive()): void {
  if (routed) return;
  routed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    if (showLive && stream === process.stdout) live = (text) => void write(text);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const out = currentTask.getStore();
      if (!out) return write(chunk, ...rest);
      writeToTask(out, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  }
}

/** Adds `text` to a task's output, and sends its complete lines out at once where the batch is shown live. */
export function writeToTask(out: TaskOutput, text: string): void {
  out.chunks.push(text);
  const lines = live ? prefixLines(out, text) : '';
  if (lines) live!(lines);
}

/** Runs `fn` with its writes routed to `out`. */
export function runAsTask<T>(out: TaskOutput, fn: () => Promise<T>): Promise<T> {
  return currentTask.run(out, fn);
}

/** Ends a task's output: its last unfinished line goes out live; the whole output is returned. */
export function finishTaskOutput(out: TaskOutput): string {
  if (live && out.partial) live(`${out.prefix}${out.partial}\n`);
  out.partial = '';
  return out.chunks.join('');
}

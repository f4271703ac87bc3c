import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { nxEmitPluginWorkerLog } from './nx-helpers';

/** Through Nx's plugin worker channel, when this Nx has it (23.3 and later): the host prints it with console.log. */
function emitToHost(text: string): boolean {
  const emit = nxEmitPluginWorkerLog();
  if (!emit) return false;
  // console.log adds the line end the text already has.
  emit('log', text.endsWith('\n') ? text.slice(0, -1) : text);
  return true;
}

/**
 * Writes the summary where the person who ran nx sees it, whole, in a terminal or a log file.
 *
 * - The hook runs in the nx process itself (plugin isolation off): its own stdout.
 * - With the daemon off, Nx runs it in the plugin's worker, a child of the nx process of the run:
 *   the text goes up the worker's channel to that process (Nx's emitPluginWorkerLog), which prints
 *   it through its own stdout. Writing to that stdout from the worker would not do: in a log file
 *   (`nx ... > log`) the nx process's later lines would land at its own write position, over the
 *   summary.
 * - With the daemon on (the default on developer machines), Nx runs it in the daemon's plugin
 *   worker, whose stdout is the daemon's log, and gives it no channel back. It then finds the nx
 *   process of the run (same command line, the one Nx passes as `argv`) and appends to its stdout
 *   through /proc, while that process waits for the hook: its last lines. Linux only: elsewhere
 *   the summary goes to the daemon log (and to image-run-summary.json).
 */
export function writeToRunTerminal(
  text: string,
  argv: string[],
  viaHost: ((text: string) => boolean) | undefined = emitToHost,
): 'own stdout' | 'run process' | 'run terminal' | 'daemon log' {
  if (sameArgv(process.argv, argv)) {
    process.stdout.write(text);
    return 'own stdout';
  }
  const pid = findRunProcess(argv);
  if (pid !== undefined && pid === process.ppid && viaHost?.(text)) return 'run process';
  if (pid !== undefined) {
    try {
      // Append: when the run's stdout is a file, 'w' would truncate it.
      const fd = openSync(`/proc/${pid}/fd/1`, 'a');
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return 'run terminal';
    } catch {
      // Not ours to write to (another user's process): the daemon log below.
    }
  }
  process.stdout.write(text);
  return 'daemon log';
}

/** Whether two command lines are the same (this process is the run's own). */
export function sameArgv(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The process whose command line is the run's: same arguments, same nx script (resolved in its cwd). */
export function findRunProcess(argv: string[], proc = '/proc'): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid);
  } catch {
    return undefined;
  }
  const script = real(argv[1]);
  const found: { pid: number; start: number }[] = [];
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`${proc}/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[cmd.length - 1] === '') cmd.pop();
      if (cmd.length !== argv.length || !sameArgv(cmd.slice(2), argv.slice(2))) continue;
      if (real(resolve(readlinkSync(`${proc}/${pid}/cwd`), cmd[1])) !== script) continue;
      // Field 22 of stat: start time; the newest of identical commands is this run's.
      const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
      const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      found.push({ pid: Number(pid), start });
    } catch {
      // Gone, or not readable.
    }
  }
  return found.sort((a, b) => b.start - a.start)[0]?.pid;
}

function real(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Writes the summary where the person who ran nx sees it.
 *
 * With the daemon off, postTasksExecution runs in the nx process itself: its stdout is the run's
 * terminal. With the daemon on (the default on developer machines), Nx runs the hook in the
 * daemon's plugin worker, whose stdout is the daemon's log, and gives the hook no channel back.
 * The hook then finds the nx process of the run (same command line, the one Nx passes as
 * `argv`) and writes to its stdout through /proc, while that process is still waiting for the
 * hook. Linux only: elsewhere it says where the summary file is instead (daemon log).
 */
export function writeToRunTerminal(text: string, argv: string[]): 'own stdout' | 'run terminal' | 'daemon log' {
  if (sameArgv(process.argv, argv)) {
    process.stdout.write(text);
    return 'own stdout';
  }
  const pid = findRunProcess(argv);
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

import { readFileSync } from 'node:fs';
import { findRunProcess, sameArgv } from './run-terminal';

/**
 * The environment of the nx process of this run. A run hook runs in a plugin worker, which with
 * the daemon on is the daemon's: its own DOCKER_HOST is the one of whoever started the daemon,
 * not the run's. Read from /proc where it can be (Linux), else this process's own.
 */
export function runEnv(argv: string[], own: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (sameArgv(argv, process.argv)) return own;
  const pid = findRunProcess(argv);
  if (pid === undefined) return own;
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return own;
  }
}

import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunProcess } from './run-terminal';

describe('finding the nx process of a run (daemon on)', () => {
  const ws = mkdtempSync(join(tmpdir(), 'ws-'));
  mkdirSync(join(ws, 'node_modules/.bin'), { recursive: true });
  writeFileSync(join(ws, 'node_modules/.bin/nx'), '');
  const proc = mkdtempSync(join(tmpdir(), 'proc-'));
  const fake = (pid: number, cmd: string[], cwd: string, start: number) => {
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), 'cmdline'), cmd.join('\0') + '\0');
    symlinkSync(cwd, join(proc, String(pid), 'cwd'));
    writeFileSync(join(proc, String(pid), 'stat'), `${pid} (node) S 1 ${Array.from({ length: 17 }, () => '0').join(' ')} ${start} 0 0`);
  };
  const argv = ['/usr/bin/node', join(ws, 'node_modules/.bin/nx'), 'run', 'app:docker-build'];
  fake(101, ['node', 'node_modules/.bin/nx', 'run', 'app:docker-build'], ws, 500);
  fake(102, ['node', 'node_modules/.bin/nx', 'run', 'other:docker-build'], ws, 900);
  fake(103, ['node', 'node_modules/.bin/nx', 'run', 'app:docker-build'], tmpdir(), 950);

  it('matches the command line and the nx script resolved in its directory', () => {
    expect(findRunProcess(argv, proc)).toBe(101);
  });
  it('takes the newest of identical runs', () => {
    fake(104, ['node', join(ws, 'node_modules/.bin/nx'), 'run', 'app:docker-build'], '/', 700);
    expect(findRunProcess(argv, proc)).toBe(104);
  });
  it('finds nothing without /proc', () => {
    expect(findRunProcess(argv, join(proc, 'missing'))).toBeUndefined();
  });
});

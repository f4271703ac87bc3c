import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { RunResult, TestWorkspace } from './support/test-workspace';

/**
 * The run summary is shown in the terminal of the run, daemon off and on (with the daemon, Nx runs
 * postTasksExecution in the daemon's plugin worker), with each image's reference, the push and
 * validate outcomes, every column labelled and failure reasons wrapped within the terminal's width.
 */
const P = `e2esum${process.pid}`;

describe('the run summary', () => {
  const state = engineState();
  const registry = `${state.registry.address}/${P}`;
  let ws: TestWorkspace;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost, COLUMNS: '100', ...env });
  /** The table: from the "Images" line to the totals line. */
  const table = (output: string): string[] => {
    const lines = output.split('\n');
    const start = lines.lastIndexOf('Images');
    if (start < 0) throw new Error(`no summary table in the output:\n${output.slice(-3000)}`);
    const end = lines.findIndex((l, i) => i > start && /^\d+ image builds?:/.test(l));
    return lines.slice(start, end + 1);
  };

  beforeAll(() => {
    ws = TestWorkspace.create(
      'run-summary',
      {
        'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt\n',
        'images/base/image.json': JSON.stringify({
          repository: `${P}/base`,
          tags: ['1.0'],
          checks: [{ type: 'file', path: '/base.txt', kind: 'file' }],
        }),
        'images/app/Dockerfile': `FROM ${P}/base:1.0\nRUN echo app > /app.txt\n`,
        'images/app/image.json': JSON.stringify({ repository: `${P}/app` }),
        // Fails with a long reason: it must wrap within the width, whole, not cut.
        'images/broken/Dockerfile': `FROM busybox:1.36\nRUN echo ${'a-very-long-word-'.repeat(12)} && exit 7\n`,
        'images/broken/image.json': JSON.stringify({ repository: `${P}/broken` }),
      },
      { pluginOptions: { registries: [registry] } },
    );
  });

  afterAll(async () => {
    // The daemon test starts one; stop it even when the test failed.
    ws?.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    ws?.remove();
    await removeImages(`${P}/`);
    await removeImages(`${registry}/`);
  });

  it('daemon off: references, push and validate outcomes, labelled columns, reasons wrapped within the width', () => {
    const r = run(['run-many', '-t', 'docker-build', 'docker-push', 'docker-validate']);
    expect(r.code).not.toBe(0); // broken fails; the others are built, pushed and validated
    const t = table(r.stdout);
    expect(t[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'push', 'validate', 'details']);
    const broken = t.findIndex((l) => l.startsWith('broken'));
    expect(t[broken]).toMatch(/^broken\s+-\s+failed(\s+-){5}\s+at \[2\/2\] RUN/);
    // The whole step, wrapped under the details column within the width, not cut.
    const detailsAt = t[1].indexOf('details');
    const continued = t.slice(broken + 1).findIndex((l) => !l.startsWith(' '.repeat(detailsAt)));
    const reason = t
      .slice(broken, broken + 1 + continued)
      .map((l) => l.slice(detailsAt))
      .join('');
    expect(reason.replace(/\s+/g, '')).toBe(
      `at [2/2] RUN echo ${'a-very-long-word-'.repeat(12)} && exit 7 (exit code 7)`.replace(/\s+/g, ''),
    );
    expect(t.find((l) => l.startsWith('base'))).toMatch(
      new RegExp(`^base\\s+${P}/base:1\\.0\\s+built\\s+\\S+\\s+\\S+s\\s+\\S+ [kM]B\\s+done\\s+done`),
    );
    expect(t.find((l) => l.startsWith('app'))).toMatch(new RegExp(`^app\\s+${P}/app:latest\\s+built\\s+.*done\\s+-`));
    for (const line of t) expect(line.length).toBeLessThanOrEqual(100);
    expect(t[t.length - 1]).toBe('3 image builds: 1 failed, 2 built');
    expect(JSON.parse(ws.read('dist/image-run-summary.json')).rows).toHaveLength(3);
  });

  /**
   * nx with its stdout a pipe (`nx ... | cat`) or a terminal (under `script`, a pseudo-terminal),
   * as in a CI log or a developer's shell. (Node's own child-process pipes are sockets, which
   * another process cannot open: there the daemon's summary stays in the daemon log.)
   */
  const nxVia = (how: 'pipe' | 'terminal' | 'log file', args: string[], env: NodeJS.ProcessEnv): RunResult => {
    const nx = join(ws.dir, 'node_modules', '.bin', 'nx');
    const command = [nx, ...args, '--outputStyle=stream'].map((a) => `'${a}'`).join(' ');
    const log = join(ws.dir, 'run.log');
    const r =
      how === 'pipe'
        ? spawnSync('bash', ['-c', `${command} | cat; exit \${PIPESTATUS[0]}`], {
            cwd: ws.dir,
            encoding: 'utf8',
            env: { ...harnessEnv(), ...env },
          })
        : how === 'log file'
          ? // As a CI runner keeps it: stdout and stderr into one file (`> log 2>&1`), read when nx is done.
            spawnSync('bash', ['-c', `${command} > '${log}' 2>&1`], { cwd: ws.dir, encoding: 'utf8', env: { ...harnessEnv(), ...env } })
          : spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ws.dir, encoding: 'utf8', env: { ...harnessEnv(), ...env } });
    const plain = (t: string) => t.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    const stdout = how === 'log file' ? readFileSync(log, 'utf8') : r.stdout;
    return { code: r.status ?? 1, stdout: plain(stdout), stderr: plain(r.stderr), output: plain(`${stdout}\n${r.stderr}`) };
  };

  it.each(['false', 'true'])('whole in a log file, title and header row included (daemon %s)', (daemon) => {
    const r = nxVia('log file', ['run-many', '-t', 'docker-build', '--projects=base,app', '--verbose'], { NX_DAEMON: daemon });
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t[0]).toBe('Images');
    expect(t[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'details']);
    expect(t[2]).toMatch(/^-{3,}(\s+-+)+$/);
    expect(t[t.length - 1]).toBe('2 image builds: 2 local cache');
  });
  const harnessEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    NX_CACHE_DIRECTORY: join(ws.dir, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(ws.dir, '.nx', 'workspace-data'),
    DOCKER_HOST: state.dockerHost,
    COLUMNS: '100',
  });

  it.each(['pipe', 'terminal'] as const)('daemon on: the same table in the run output (%s), not only in the daemon log', (how) => {
    rmSync(join(ws.dir, 'dist/image-run-summary.json'), { force: true });
    const env = { NX_DAEMON: 'true' };
    const r = nxVia(how, ['run-many', '-t', 'docker-build', 'docker-push', '--projects=base,app'], env);
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'push', 'details']);
    expect(t.find((l) => l.startsWith('base'))).toMatch(new RegExp(`^base\\s+${P}/base:1\\.0\\s+local cache\\s+.*\\sdone`));
    expect(t[t.length - 1]).toBe('2 image builds: 2 local cache');
    expect(existsSync(join(ws.dir, 'dist/image-run-summary.json'))).toBe(true);
    // It ran with the daemon: the daemon is up and its log has the hook's run.
    expect(ws.nx(['daemon'], env).output).toMatch(/Daemon is currently running/i);
    expect(readFileSync(join(ws.dir, '.nx', 'workspace-data', 'd', 'daemon.log'), 'utf8')).toMatch(/POST_TASKS_EXECUTION/);
  });
});

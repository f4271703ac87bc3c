import type Docker from 'dockerode';
import type { FileInspector } from './file-inspector';
import { CheckEnvironment, runCheck } from './run-check';

// Only the paths that never reach the engine: the engine's side is covered by the e2e suite.
const noEngine = new Proxy({}, { get: () => () => Promise.reject(new Error('the engine was called')) }) as unknown as Docker;
const environment = (over: Partial<CheckEnvironment> = {}): CheckEnvironment => ({
  docker: noEngine,
  imageId: 'sha256:' + '0'.repeat(64),
  config: { Env: ['MODE=production'], User: '', Entrypoint: ['/bin/false'] },
  gpu: { available: false, reason: 'no GPU runtime in the engine: test' },
  files: { find: () => Promise.reject(new Error('stat failed: engine gone')) } as unknown as FileInspector,
  signal: new AbortController().signal,
  warn: () => undefined,
  ...over,
});

describe('runCheck', () => {
  it('reports a GPU check as not run where there is no GPU runtime, with the reason', async () => {
    expect(await runCheck({ type: 'command', name: 'nvidia-smi', command: ['nvidia-smi'], gpu: true }, environment())).toEqual({
      name: 'nvidia-smi',
      type: 'command',
      status: 'not-run',
      expected: 'exit code 0',
      reason: 'no GPU runtime in the engine: test',
      durationMs: 0,
    });
  });

  it('judges config checks from the image config', async () => {
    expect(await runCheck({ type: 'env', variable: 'MODE', equals: 'production' }, environment())).toMatchObject({
      name: 'env MODE="production"',
      status: 'passed',
    });
    expect(await runCheck({ type: 'user', equals: 'app' }, environment())).toMatchObject({
      status: 'failed',
      expected: 'user "app"',
      actual: 'no USER set (root)',
    });
    expect(
      await runCheck({ type: 'entrypoint', equals: ['/bin/false'], gpu: true }, environment({ gpu: { available: true } })),
    ).toMatchObject({ status: 'passed' });
  });

  it('fails a check with an invalid pattern without running it', async () => {
    expect(await runCheck({ type: 'command', command: ['x'], outputMatches: '(' }, environment())).toMatchObject({
      status: 'failed',
      actual: expect.stringMatching(/not a valid regular expression/),
    });
  });

  it('turns an engine error into the check failing, not the run crashing', async () => {
    expect(await runCheck({ type: 'file', path: '/etc' }, environment())).toMatchObject({
      status: 'failed',
      expected: 'something at /etc',
      actual: 'error: stat failed: engine gone',
    });
  });

  it('does not start checks once cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await runCheck({ type: 'command', command: ['true'] }, environment({ signal: abort.signal }))).toMatchObject({
      status: 'not-run',
      reason: 'cancelled',
    });
  });
});

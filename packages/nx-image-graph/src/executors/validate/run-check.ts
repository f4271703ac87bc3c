import type Docker from 'dockerode';
import type { ImageCheck } from '../../inference/manifest/schema';
import { withTimeout } from '../../clients/engine/engine-client';
import { checkName } from './check-name';
import type { CheckResult } from './check-result';
import {
  commandExpectation,
  envExpectation,
  fileExpectation,
  ImageConfig,
  invalidPattern,
  judgeCommand,
  judgeEntrypoint,
  judgeEnv,
  judgeFile,
  judgeUser,
  Verdict,
} from './expectations';
import type { FileInspector } from './file-inspector';
import type { GpuSupport } from './gpu-runtime';
import { engineMessage, runContainer } from './run-container';

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** What every check of one image shares. */
export interface CheckEnvironment {
  docker: Docker;
  imageId: string;
  config: ImageConfig;
  gpu: GpuSupport;
  files: FileInspector;
  signal: AbortSignal;
  warn: (message: string) => void;
}

/** Runs one check against the image; never throws: an engine error is the check's failure. */
export async function runCheck(check: ImageCheck, env: CheckEnvironment): Promise<CheckResult> {
  const started = Date.now();
  const base = { name: checkName(check), type: check.type, expected: expectation(check) };
  const notRun = (reason: string): CheckResult => ({ ...base, status: 'not-run', reason, durationMs: 0 });
  if (env.signal.aborted) return notRun('cancelled');
  if (check.gpu && !env.gpu.available) return notRun(env.gpu.reason);
  const bad = invalidPattern(check);
  if (bad) return { ...base, status: 'failed', actual: bad, durationMs: 0 };
  let verdict: Verdict | 'cancelled';
  try {
    verdict = await judge(check, env);
  } catch (e) {
    verdict = { passed: false, expected: base.expected, actual: `error: ${engineMessage(e)}` };
  }
  if (verdict === 'cancelled') return notRun('cancelled');
  return {
    ...base,
    expected: verdict.expected,
    status: verdict.passed ? 'passed' : 'failed',
    actual: verdict.actual,
    ...(verdict.output !== undefined ? { output: verdict.output } : {}),
    durationMs: Date.now() - started,
  };
}

async function judge(check: ImageCheck, env: CheckEnvironment): Promise<Verdict | 'cancelled'> {
  const timeoutSeconds = check.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  switch (check.type) {
    case 'command': {
      const outcome = await runContainer(env.docker, {
        imageId: env.imageId,
        command: check.command,
        timeoutSeconds,
        gpu: !!check.gpu,
        signal: env.signal,
        warn: env.warn,
      });
      return outcome.kind === 'cancelled' ? 'cancelled' : judgeCommand(check, outcome);
    }
    case 'file':
      return judgeFile(check, await withTimeout(env.files.find(check.path), timeoutSeconds * 1000, `timed out after ${timeoutSeconds}s`));
    case 'env':
      return judgeEnv(check, env.config);
    case 'user':
      return judgeUser(check, env.config);
    case 'entrypoint':
      return judgeEntrypoint(check, env.config);
  }
}

function expectation(check: ImageCheck): string {
  switch (check.type) {
    case 'command':
      return commandExpectation(check);
    case 'file':
      return fileExpectation(check);
    case 'env':
      return envExpectation(check);
    case 'user':
      return `user ${JSON.stringify(check.equals)}`;
    case 'entrypoint':
      return `entrypoint ${JSON.stringify(check.equals)}`;
  }
}

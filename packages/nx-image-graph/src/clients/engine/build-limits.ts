import type Docker from 'dockerode';

/**
 * How long a build may take, and what ends it: a build's own `"timeoutMinutes"`, else a generous
 * limit on silence (no progress from the engine for this long: a frozen engine, which would
 * otherwise be waited on forever). Either way the engine's build is cancelled by its build id, so
 * the engine does not go on building for a run that has given up on it.
 */
export const DEFAULT_STALL_MINUTES = 30;
const STALL_ENV = 'NX_IMAGE_GRAPH_STALL_MINUTES';

export interface BuildLimits {
  timeoutMinutes?: number;
  stallMinutes: number;
}

/** A build with a timeout of its own is bounded by it alone: a long silent step is then the user's to allow. */
export function buildLimits(timeoutMinutes: number | undefined, env: NodeJS.ProcessEnv = process.env): BuildLimits {
  if (timeoutMinutes !== undefined) return { timeoutMinutes, stallMinutes: timeoutMinutes };
  const fromEnv = Number(env[STALL_ENV]);
  return { stallMinutes: env[STALL_ENV] && fromEnv > 0 ? fromEnv : DEFAULT_STALL_MINUTES };
}

/** Runs the limits while a build streams: `progress()` on each chunk from the engine; `expired` says which limit ended it. */
export class BuildWatchdog {
  expired?: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private stall?: NodeJS.Timeout;

  constructor(
    private readonly limits: BuildLimits,
    private readonly onExpire: () => void,
  ) {
    const timeout = limits.timeoutMinutes;
    if (timeout !== undefined)
      this.timers.push(setTimeout(() => this.expire(`the build ran past its "timeoutMinutes" (${minutes(timeout)})`), timeout * 60_000));
    this.progress();
  }

  progress(): void {
    if (this.stall) clearTimeout(this.stall);
    if (this.limits.timeoutMinutes !== undefined && this.limits.stallMinutes >= this.limits.timeoutMinutes) return;
    this.stall = setTimeout(
      () =>
        this.expire(
          `the engine sent no progress for ${minutes(this.limits.stallMinutes)} (a frozen engine, or a step silent that long); ` +
            `give a step that is silent so long a "timeoutMinutes" in image.json (it then bounds the build alone), or set ${STALL_ENV}`,
        ),
      this.limits.stallMinutes * 60_000,
    );
  }

  stop(): void {
    for (const t of [...this.timers, this.stall]) if (t) clearTimeout(t);
  }

  private expire(message: string): void {
    if (this.expired) return;
    this.expired = message;
    this.stop();
    this.onExpire();
  }
}

function minutes(n: number): string {
  return n >= 1 ? `${Number(n.toFixed(2))} minute${n === 1 ? '' : 's'}` : `${Number((n * 60).toFixed(1))} seconds`;
}

/**
 * `POST /build/cancel?id=`: the engine stops the BuildKit build it runs under that id. Said how it
 * went, for the message: an engine that is frozen or lacks the endpoint (Podman) may not answer.
 */
export function cancelEngineBuild(docker: Docker, buildId: string, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`the engine did not answer POST /build/cancel within ${timeoutMs / 1000} s`), timeoutMs);
    docker.modem.dial(
      {
        path: '/build/cancel?',
        method: 'POST',
        options: { id: buildId },
        statusCodes: { 200: true, 404: 'no such build', 500: 'server error' },
      },
      (err: Error | null) => {
        clearTimeout(timer);
        resolve(err ? `POST /build/cancel: ${err.message}` : undefined);
      },
    );
  });
}

import type Docker from 'dockerode';
import type { BuildSession, SessionService } from '../session/build-session';
import { BuildOutcome, BuildProgress } from './build-progress';
import { explainFrontendFailure } from './syntax-frontend';
import { CacheImage, INLINE_CACHE_ARG, keepCacheImage } from './inline-cache';
import { randomUUID } from 'node:crypto';
import { buildLimits, BuildWatchdog, cancelEngineBuild } from './build-limits';

export interface BuildRequest {
  /** The tar stream of the build context. */
  context: NodeJS.ReadableStream;
  /** Dockerfile path inside the tar. */
  dockerfile: string;
  buildkit: boolean;
  args: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  platform?: string;
  network?: string;
  noCache?: boolean;
  /**
   * Whether the classic builder appends the labels as LABEL steps to the stage being built (Docker's
   * always does; Podman's only when that is the Dockerfile's last stage): they are then not counted as steps.
   */
  labelStepsOnBuiltStage?: boolean;
  cacheFrom?: string[];
  /** What the BuildKit session answers (registry credentials per host, secrets, ssh); BuildKit only. Without it, no session is opened. */
  session?: SessionService[];
  /** Applied to every line printed and to the failure: removes secret values a step may have printed. */
  redact?: (text: string) => string;
  /** The Dockerfile's text, to explain a failure of its `# syntax=` frontend. */
  dockerfileText?: string;
  signal?: AbortSignal;
  /**
   * Make a build cache image beside the image (inline-cache.ts): the build solved again with inline
   * cache, under `reference`. The context is sent again: `context` gives a fresh tar stream.
   */
  cacheImage?: { reference: string; context: () => NodeJS.ReadableStream };
  /** The build's own limit (image.json "timeoutMinutes"); without it, only a long silence from the engine ends it (build-limits.ts). */
  timeoutMinutes?: number;
}

/** One build through the Engine API; the result stream is read as it comes, never buffered whole. */
export async function buildImage(
  docker: Docker,
  request: BuildRequest,
  printLine: (line: string) => void,
): Promise<BuildOutcome & { cacheImage?: CacheImage }> {
  const redact = request.redact ?? ((t: string) => t);
  const print = (line: string) => printLine(redact(line));
  const appendedLabelSteps = !request.buildkit && request.labelStepsOnBuiltStage !== false ? Object.keys(request.labels).length : 0;
  const progress = new BuildProgress(print, { appendedLabelSteps });
  // Our own session, not dockerode's (which answers credentials for one registry only): dockerode opens
  // its session only for version "2" as a string, so the number 2 asks for BuildKit without it.
  // gRPC is loaded only for a build that has a session.
  let session: BuildSession | undefined;
  if (request.buildkit && request.session)
    session = await (await import('../session/build-session')).openBuildSession(docker, request.session);
  // Every BuildKit build carries an id, by which a run that gives up on it (interrupted, timed out, failed) cancels it in the engine.
  const buildId = request.buildkit ? `nx-image-graph-${randomUUID()}` : undefined;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const watchdog = new BuildWatchdog(buildLimits(request.timeoutMinutes), () => stop.abort());
  let started = false;
  let completed = false;
  let cancelProblem: string | undefined;
  try {
    const stream = (await docker.buildImage(
      request.context as NodeJS.ReadableStream,
      {
        dockerfile: request.dockerfile,
        buildargs: request.args,
        labels: request.labels,
        ...(request.target ? { target: request.target } : {}),
        ...(request.platform ? { platform: request.platform } : {}),
        ...(request.network ? { networkmode: request.network } : {}),
        ...(request.noCache ? { nocache: true } : {}),
        // No `pull`: pulling is the caller's, since a builder told to pull would also pull the pinned parents.
        ...(request.cacheFrom?.length ? { cachefrom: request.cacheFrom } : {}),
        ...(request.buildkit
          ? { version: 2, buildid: buildId, ...(session ? { session: session.id } : {}) }
          : { version: '1', rm: true, forcerm: true }),
        abortSignal: stop.signal,
      } as unknown as Docker.ImageBuildOptions,
    )) as NodeJS.ReadableStream;
    started = true;
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        watchdog.progress();
        progress.write(chunk);
      });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (e: Error) => (stop.signal.aborted ? resolve() : reject(e)));
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    completed = !stop.signal.aborted;
  } catch (e) {
    // An engine that never answers the request (frozen) is given up on by the same limits: said below, not as its error.
    if (!stop.signal.aborted) throw e;
  } finally {
    watchdog.stop();
    request.signal?.removeEventListener('abort', onAbort);
    session?.close();
    if (buildId && !completed && (started || stop.signal.aborted)) cancelProblem = await cancelEngineBuild(docker, buildId);
  }
  const outcome = progress.end();
  const cancelled = cancelProblem
    ? `the plugin asked the engine to cancel its build, which may still run (${cancelProblem})`
    : "the engine's build was cancelled";
  if (watchdog.expired)
    return {
      ...outcome,
      imageId: undefined,
      failure: { message: `${watchdog.expired}; ${cancelled}`, logTail: outcome.failure?.logTail ?? [] },
    };
  if (request.signal?.aborted)
    return { ...outcome, imageId: undefined, failure: { message: `build cancelled; ${cancelled}`, logTail: [] } };
  if (!outcome.imageId && !outcome.failure)
    return { ...outcome, failure: { message: 'the engine ended the build without an image id', logTail: [] } };
  if (outcome.failure) {
    const f = outcome.failure;
    const message = explainFrontendFailure(f.message, request.dockerfileText) ?? f.message;
    return {
      ...outcome,
      failure: { ...f, message: redact(message), ...(f.step ? { step: redact(f.step) } : {}), logTail: f.logTail.map(redact) },
    };
  }
  if (request.cacheImage && outcome.imageId) return { ...outcome, ...(await buildCacheImage(docker, request, outcome.imageId, print)) };
  return outcome;
}

/** The build cache image (inline-cache.ts): the same build with inline cache, every step from the build just made. */
async function buildCacheImage(
  docker: Docker,
  request: BuildRequest,
  imageId: string,
  print: (line: string) => void,
): Promise<{ cacheImage?: CacheImage }> {
  const { reference, context } = request.cacheImage!;
  const again = await buildImage(
    docker,
    { ...request, context: context(), args: { ...request.args, [INLINE_CACHE_ARG]: '1' }, noCache: false, cacheImage: undefined },
    () => undefined,
  );
  const kept = again.imageId
    ? await keepCacheImage(docker, imageId, again.imageId, reference)
    : { problem: again.failure?.message ?? 'no image' };
  if ('problem' in kept) {
    print(`  WARNING: no build cache image this time (${kept.problem}); the image itself is built and recorded`);
    return {};
  }
  print(
    `  build cache image ${reference} (${kept.imageId.slice(7, 19)}): the layers with BuildKit's inline cache, for "cacheFrom" on other machines`,
  );
  return { cacheImage: kept };
}

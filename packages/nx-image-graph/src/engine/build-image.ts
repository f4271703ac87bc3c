import type Docker from 'dockerode';
import { BuildOutcome, BuildProgress } from './build-progress';

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
  /** Credentials BuildKit's session answers with (one registry: dockerode's session has one). */
  auth?: { username?: string; password?: string; identitytoken?: string; serveraddress: string };
  signal?: AbortSignal;
}

/** One build through the Engine API; the result stream is read as it comes, never buffered whole. */
export async function buildImage(docker: Docker, request: BuildRequest, print: (line: string) => void): Promise<BuildOutcome> {
  const appendedLabelSteps = !request.buildkit && request.labelStepsOnBuiltStage !== false ? Object.keys(request.labels).length : 0;
  const progress = new BuildProgress(print, { appendedLabelSteps });
  const stream = (await docker.buildImage(request.context as NodeJS.ReadableStream, {
    dockerfile: request.dockerfile,
    buildargs: request.args,
    labels: request.labels,
    ...(request.target ? { target: request.target } : {}),
    ...(request.platform ? { platform: request.platform } : {}),
    ...(request.network ? { networkmode: request.network } : {}),
    ...(request.noCache ? { nocache: true } : {}),
    // No `pull`: pulling is the caller's, since a builder told to pull would also pull the pinned parents.
    ...(request.cacheFrom?.length ? { cachefrom: request.cacheFrom } : {}),
    ...(request.auth ? { authconfig: request.auth } : {}),
    ...(request.buildkit ? { version: '2' } : { version: '1', rm: true, forcerm: true }),
    abortSignal: request.signal,
  } as Docker.ImageBuildOptions)) as NodeJS.ReadableStream;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => progress.write(chunk));
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', (e: Error) => (request.signal?.aborted ? resolve() : reject(e)));
    request.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const outcome = progress.end();
  if (request.signal?.aborted) return { ...outcome, imageId: undefined, failure: { message: 'build cancelled', logTail: [] } };
  if (!outcome.imageId && !outcome.failure) return { ...outcome, failure: { message: 'the engine ended the build without an image id', logTail: [] } };
  return outcome;
}

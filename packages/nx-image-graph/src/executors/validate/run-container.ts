import type Docker from 'dockerode';
import { Writable } from 'node:stream';

/** Label on every container a check creates, so a leftover (engine failure during removal) can be found. */
export const CHECK_LABEL = 'nx-image-graph.check';
/** Output kept per command: the tail, since a failure's cause is usually at the end. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** How long to wait for the last output once the container has stopped. */
const DRAIN_MS = 5000;

export type ContainerOutcome =
  | { kind: 'exited'; exitCode: number; output: string; truncated: boolean }
  | { kind: 'timed-out'; timeoutSeconds: number; output: string; truncated: boolean }
  | { kind: 'not-started'; message: string }
  | { kind: 'cancelled' };

export interface ContainerRequest {
  imageId: string;
  command: string[];
  timeoutSeconds: number;
  gpu: boolean;
  signal: AbortSignal;
  /** Told when the container could not be removed. */
  warn: (message: string) => void;
}

/**
 * Runs `command` in a new container of the image and collects stdout and stderr together, in the
 * order the engine delivers them (the two travel separately, so their lines may interleave
 * differently than in a terminal). The image's ENTRYPOINT is replaced: the check runs exactly the command it names.
 * The container is killed on timeout or cancel, and removed whatever happened.
 */
export async function runContainer(docker: Docker, request: ContainerRequest): Promise<ContainerOutcome> {
  if (request.signal.aborted) return { kind: 'cancelled' };
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: request.imageId,
      Cmd: request.command,
      Entrypoint: [],
      Tty: false,
      AttachStdout: true,
      AttachStderr: true,
      Labels: { [CHECK_LABEL]: 'command' },
      // `--gpus all`: every GPU, through the engine's NVIDIA runtime hook.
      HostConfig: request.gpu ? { DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']] }] } : {},
    });
  } catch (e) {
    return { kind: 'not-started', message: `the engine did not create the container: ${engineMessage(e)}` };
  }
  try {
    const output = new OutputTail(MAX_OUTPUT_BYTES);
    // Attach before start, as `docker run` does, so no early output is lost (and no log driver is needed).
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const drained = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    docker.modem.demuxStream(stream, output.writable(), output.writable());
    try {
      await container.start();
    } catch (e) {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      return { kind: 'not-started', message: `the container did not start: ${engineMessage(e)}` };
    }
    const ended = await waitOrStop(container, request.timeoutSeconds * 1000, request.signal);
    if (ended.kind !== 'exited') await container.kill().catch(() => undefined);
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    (stream as unknown as { destroy?: () => void }).destroy?.();
    if (ended.kind === 'cancelled') return ended;
    if (ended.kind === 'error') return { kind: 'not-started', message: `the engine lost the container: ${ended.message}` };
    if (ended.kind === 'timed-out')
      return { kind: 'timed-out', timeoutSeconds: request.timeoutSeconds, output: output.text(), truncated: output.truncated };
    return { kind: 'exited', exitCode: ended.exitCode, output: output.text(), truncated: output.truncated };
  } finally {
    await container
      .remove({ force: true })
      .catch((e) => request.warn(`could not remove check container ${container.id.slice(0, 12)}: ${engineMessage(e)}`));
  }
}

type Ended = { kind: 'exited'; exitCode: number } | { kind: 'timed-out' } | { kind: 'cancelled' } | { kind: 'error'; message: string };

function waitOrStop(container: Docker.Container, timeoutMs: number, signal: AbortSignal): Promise<Ended> {
  return new Promise<Ended>((resolve) => {
    const timer = setTimeout(() => done({ kind: 'timed-out' }), timeoutMs);
    const onAbort = () => done({ kind: 'cancelled' });
    signal.addEventListener('abort', onAbort, { once: true });
    function done(e: Ended) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(e);
    }
    container.wait().then(
      (r: { StatusCode: number }) => done({ kind: 'exited', exitCode: r.StatusCode }),
      (e: unknown) => done({ kind: 'error', message: engineMessage(e) }),
    );
  });
}

/** The engine's own words from a dockerode error (its JSON `message`), else the error's message. */
export function engineMessage(e: unknown): string {
  const err = e as { json?: { message?: string }; message?: string };
  return (err.json?.message ?? err.message ?? String(e)).trim();
}

/** Keeps the last `max` bytes of everything written to it, decoded once at the end (no split characters). */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}

  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.add(chunk);
        callback();
      },
    });
  }

  private add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.max) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    if (all.length <= this.max) return all.toString('utf8');
    this.truncated = true;
    return all.subarray(all.length - this.max).toString('utf8');
  }
}

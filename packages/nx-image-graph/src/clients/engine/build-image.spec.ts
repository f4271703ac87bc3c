import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { buildImage } from './build-image';

/**
 * What buildImage asks of the engine client: the build request's options, and whether it opens a
 * session (POST /session, dialled through the modem). The engine's answer is one image id.
 */
function fakeEngine() {
  const calls: { buildOptions?: Record<string, unknown>; dialled: string[] } = { dialled: [] };
  const docker = {
    modem: {
      dial(options: { path: string }, callback: (err: Error | null) => void) {
        calls.dialled.push(options.path);
        callback(new Error('no session here'));
      },
    },
    async buildImage(_context: unknown, options: Record<string, unknown>) {
      calls.buildOptions = options;
      return Readable.from([Buffer.from(`${JSON.stringify({ id: 'moby.image.id', aux: { ID: 'sha256:' + 'a'.repeat(64) } })}\n`)]);
    },
  } as unknown as Docker;
  return { docker, calls };
}

const request = { context: Readable.from([]), dockerfile: 'Dockerfile', args: {}, labels: {} };

describe('buildImage', () => {
  it('builds with BuildKit and opens no session when none is given', async () => {
    const { docker, calls } = fakeEngine();
    const outcome = await buildImage(docker, { ...request, buildkit: true }, () => undefined);
    expect(outcome.imageId).toBe('sha256:' + 'a'.repeat(64));
    expect(calls.dialled).toEqual([]);
    expect(calls.buildOptions).toMatchObject({ version: 2 });
    expect(calls.buildOptions).not.toHaveProperty('session');
  });

  it('opens a session for the services it is given, before the build', async () => {
    const { docker, calls } = fakeEngine();
    await expect(buildImage(docker, { ...request, buildkit: true, session: [] }, () => undefined)).rejects.toThrow(
      /the engine refused a build session \(POST \/session\): no session here/,
    );
    expect(calls.dialled).toEqual(['/session']);
    expect(calls.buildOptions).toBeUndefined();
  });

  it('uses the classic builder without a session', async () => {
    const { docker, calls } = fakeEngine();
    await buildImage(docker, { ...request, buildkit: false, session: [] }, () => undefined);
    expect(calls.dialled).toEqual([]);
    expect(calls.buildOptions).toMatchObject({ version: '1' });
  });

  it('gives every BuildKit build an id, and cancels it in the engine when the build runs past its timeout', async () => {
    const dialled: { path: string; options?: Record<string, unknown> }[] = [];
    let buildOptions: Record<string, unknown> = {};
    const docker = {
      modem: {
        dial(options: { path: string; options?: Record<string, unknown> }, callback: (err: Error | null) => void) {
          dialled.push(options);
          callback(null);
        },
      },
      async buildImage(_context: unknown, options: Record<string, unknown>) {
        buildOptions = options;
        // An engine that starts the build and then says nothing more.
        return new Readable({ read() {} });
      },
    } as unknown as Docker;
    const outcome = await buildImage(docker, { ...request, buildkit: true, timeoutMinutes: 0.002 }, () => undefined);
    expect(buildOptions.buildid).toMatch(/^nx-image-graph-[0-9a-f-]{36}$/);
    expect(outcome.imageId).toBeUndefined();
    expect(outcome.failure?.message).toBe('the build ran past its "timeoutMinutes" (0.1 seconds); the engine\'s build was cancelled');
    expect(dialled).toEqual([expect.objectContaining({ path: '/build/cancel?', options: { id: buildOptions.buildid } })]);
  });

  it('an interrupted build is cancelled in the engine too; a finished one is not', async () => {
    const dialled: string[] = [];
    const abort = new AbortController();
    const docker = {
      modem: { dial: (o: { path: string }, cb: (e: Error | null) => void) => (dialled.push(o.path), cb(null)) },
      buildImage: async () => (setTimeout(() => abort.abort(), 20), new Readable({ read() {} })),
    } as unknown as Docker;
    const outcome = await buildImage(docker, { ...request, buildkit: true, signal: abort.signal }, () => undefined);
    expect(outcome.failure?.message).toBe("build cancelled; the engine's build was cancelled");
    expect(dialled).toEqual(['/build/cancel?']);
    const { docker: finishing, calls } = fakeEngine();
    await buildImage(finishing, { ...request, buildkit: true }, () => undefined);
    expect(calls.dialled).toEqual([]);
  });

  it('an engine that never answers the build request: ended by the silence limit, with its message, and cancelled', async () => {
    process.env.NX_IMAGE_GRAPH_STALL_MINUTES = '0.002';
    try {
      const dialled: string[] = [];
      const docker = {
        modem: { dial: (o: { path: string }, cb: (e: Error | null) => void) => (dialled.push(o.path), cb(null)) },
        buildImage: (_c: unknown, options: { abortSignal: AbortSignal }) =>
          new Promise((_resolve, reject) => options.abortSignal.addEventListener('abort', () => reject(new Error('aborted')))),
      } as unknown as Docker;
      const outcome = await buildImage(docker, { ...request, buildkit: true }, () => undefined);
      expect(outcome.failure?.message).toMatch(
        /^the engine sent no progress for 0\.1 seconds \(a frozen engine, or a step silent that long\); .*; the engine's build was cancelled$/,
      );
      expect(dialled).toEqual(['/build/cancel?']);
    } finally {
      delete process.env.NX_IMAGE_GRAPH_STALL_MINUTES;
    }
  });
});

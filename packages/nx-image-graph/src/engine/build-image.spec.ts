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
    await expect(buildImage(docker, { ...request, buildkit: true, session: [] }, () => undefined)).rejects.toThrow(/the engine refused a build session \(POST \/session\): no session here/);
    expect(calls.dialled).toEqual(['/session']);
    expect(calls.buildOptions).toBeUndefined();
  });

  it('uses the classic builder without a session', async () => {
    const { docker, calls } = fakeEngine();
    await buildImage(docker, { ...request, buildkit: false, session: [] }, () => undefined);
    expect(calls.dialled).toEqual([]);
    expect(calls.buildOptions).toMatchObject({ version: '1' });
  });
});

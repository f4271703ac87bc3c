import { BuildProgress } from './build-progress';
import { encodeBuildkitStatus } from './buildkit-status';

const trace = (status: object) => JSON.stringify({ id: 'moby.buildkit.trace', aux: encodeBuildkitStatus(status) }) + '\n';
const ts = (seconds: number) => ({ seconds, nanos: 0 });
const imageId = `sha256:${'a'.repeat(64)}`;

describe('BuildProgress on BuildKit traces', () => {
  it('counts Dockerfile steps, cached or not, and prints them as they complete', () => {
    const lines: string[] = [];
    const p = new BuildProgress((l) => lines.push(l));
    p.write(trace({ vertexes: [{ digest: 'd1', name: '[1/3] FROM docker.io/library/busybox:1.36', started: ts(1), completed: ts(1) }] }));
    p.write(trace({ vertexes: [{ digest: 'd2', name: '[2/3] RUN echo one', cached: true, started: ts(1), completed: ts(1) }] }));
    p.write(trace({ vertexes: [{ digest: 'd3', name: '[3/3] RUN echo two', started: ts(2) }] }));
    p.write(trace({ logs: [{ vertex: 'd3', stream: 1, msg: Buffer.from('two\n') }] }));
    p.write(trace({ vertexes: [{ digest: 'd3', name: '[3/3] RUN echo two', started: ts(2), completed: ts(4) }] }));
    p.write(JSON.stringify({ id: 'moby.image.id', aux: { ID: imageId } }) + '\n');
    expect(p.end()).toEqual({ imageId, stepsTotal: 2, stepsCached: 1 });
    expect(lines).toEqual([
      '  #1 DONE 0.0s [1/3] FROM docker.io/library/busybox:1.36',
      '  #2 CACHED [2/3] RUN echo one',
      '  #3 [3/3] RUN echo two',
      '  #3 | two',
      '  #3 DONE 2.0s [3/3] RUN echo two',
    ]);
  });

  it('says when the export after the last step starts, and when it is done (seconds for a large image)', () => {
    const lines: string[] = [];
    const p = new BuildProgress((l) => lines.push(l));
    // As recorded from the engine: the export vertex starts, then completes in a later message.
    p.write(trace({ vertexes: [{ digest: 'd2', name: '[2/2] RUN head -c 200000000 /dev/urandom > /b.bin', started: ts(1) }] }));
    p.write(
      trace({ vertexes: [{ digest: 'd2', name: '[2/2] RUN head -c 200000000 /dev/urandom > /b.bin', started: ts(1), completed: ts(3) }] }),
    );
    p.write(trace({ vertexes: [{ digest: 'e1', name: 'exporting to image', started: ts(3) }] }));
    expect(lines).toEqual([
      '  #1 [2/2] RUN head -c 200000000 /dev/urandom > /b.bin',
      '  #1 DONE 2.0s [2/2] RUN head -c 200000000 /dev/urandom > /b.bin',
      '  #2 exporting to image',
    ]);
    p.write(trace({ vertexes: [{ digest: 'e1', name: 'exporting to image', started: ts(3), completed: ts(11) }] }));
    p.write(JSON.stringify({ id: 'moby.image.id', aux: { ID: imageId } }) + '\n');
    expect(p.end()).toEqual({ imageId, stepsTotal: 1, stepsCached: 0 });
    expect(lines.slice(3)).toEqual(['  #2 DONE 8.0s exporting to image']);
  });

  it('does not fail a build for a cache-from image that is not there yet', () => {
    const p = new BuildProgress(() => undefined);
    p.write(
      trace({
        vertexes: [
          {
            digest: 'c1',
            name: 'importing cache manifest from r.example/acme/x:latest',
            started: ts(1),
            completed: ts(1),
            error: 'r.example/acme/x:latest: not found',
          },
        ],
      }),
    );
    p.write(trace({ vertexes: [{ digest: 'd2', name: '[2/2] RUN true', started: ts(1), completed: ts(2) }] }));
    p.write(JSON.stringify({ id: 'moby.image.id', aux: { ID: imageId } }) + '\n');
    expect(p.end()).toEqual({ imageId, stepsTotal: 1, stepsCached: 0 });
  });

  it('fails at the Dockerfile step that failed, with its exit code and log tail', () => {
    const p = new BuildProgress(() => undefined);
    p.write(trace({ vertexes: [{ digest: 'd2', name: '[2/2] RUN ./fetch-model.sh', started: ts(1) }] }));
    p.write(trace({ logs: [{ vertex: 'd2', stream: 2, msg: Buffer.from('downloading\nconnection refused\n') }] }));
    p.write(
      trace({
        vertexes: [
          {
            digest: 'd2',
            name: '[2/2] RUN ./fetch-model.sh',
            started: ts(1),
            completed: ts(2),
            error: 'process "/bin/sh -c ./fetch-model.sh" did not complete successfully: exit code: 7',
          },
        ],
      }),
    );
    p.write(
      JSON.stringify({ errorDetail: { message: 'process "/bin/sh -c ./fetch-model.sh" did not complete successfully: exit code: 7' } }) +
        '\n',
    );
    expect(p.end().failure).toEqual({
      step: '[2/2] RUN ./fetch-model.sh',
      message: 'process "/bin/sh -c ./fetch-model.sh" did not complete successfully: exit code: 7',
      exitCode: 7,
      logTail: ['downloading', 'connection refused'],
    });
  });
});

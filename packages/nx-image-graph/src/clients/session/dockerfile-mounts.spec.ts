import { sessionMounts } from './dockerfile-mounts';

describe('sessionMounts', () => {
  it('finds secret and ssh mounts with BuildKit defaults, across continuation lines', () => {
    const text = [
      'FROM busybox',
      'RUN --mount=type=secret,id=hf_token,required=true \\',
      '    --mount=type=secret,target=/root/.config/pip/pip.conf \\',
      '    --mount=type=cache,target=/c true',
      'RUN --mount=type=ssh git clone x',
      'RUN --mount=type=ssh,id=deploy,required echo',
      'COPY --mount=type=secret,id=no . .',
    ].join('\n');
    expect(sessionMounts(text)).toEqual([
      { type: 'secret', id: 'hf_token', required: true, line: 2 },
      { type: 'secret', id: 'pip.conf', required: false, line: 2 },
      { type: 'ssh', id: 'default', required: false, line: 5 },
      { type: 'ssh', id: 'deploy', required: true, line: 6 },
    ]);
  });
});

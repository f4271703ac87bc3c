import { gpuSupport } from './gpu-runtime';

describe('gpuSupport', () => {
  it('is available with the nvidia runtime', () => {
    expect(gpuSupport({ Runtimes: { runc: {}, nvidia: { path: 'nvidia-container-runtime' } } }, 'docker 27')).toEqual({ available: true });
  });

  it('says which engine lacks it and what it has', () => {
    const s = gpuSupport({ Runtimes: { runc: {}, 'io.containerd.runc.v2': {} } }, 'docker 20.10 at unix:///var/run/docker.sock');
    expect(s.available).toBe(false);
    expect(!s.available && s.reason).toMatch(
      /^no GPU runtime in the engine: docker 20\.10 at unix:\/\/\/var\/run\/docker\.sock has runtimes io\.containerd\.runc\.v2, runc, none of them "nvidia"/,
    );
    expect(gpuSupport({}, 'podman 5')).toMatchObject({ available: false, reason: expect.stringContaining('no runtimes listed') });
  });
});

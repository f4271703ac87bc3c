import { describeUnsupported, unsupportedFeature } from './builder-features';

const dockerClassic = { engine: 'docker', version: '20.10.24', buildkit: false };
const dockerBuildkit = { engine: 'docker', version: '20.10.24', buildkit: true };
const podman43 = { engine: 'podman', version: '4.3.1', buildkit: false };
const podman5 = { engine: 'podman', version: '5.2.0', buildkit: false };

const cacheMount = 'FROM busybox:1.36\nRUN --mount=type=cache,target=/cache sh -c "date > /cache/seen"\n';
const heredoc = 'FROM busybox:1.36\nRUN <<EOF\necho one > /one\nEOF\nRUN cat /one\n';

describe('unsupportedFeature', () => {
  it('lets BuildKit of Docker 23 or later build everything', () => {
    expect(
      unsupportedFeature(cacheMount + heredoc + 'COPY --link a /a\nRUN --network=none true\n', { ...dockerBuildkit, version: '23.0.0' }),
    ).toBeUndefined();
    expect(unsupportedFeature(cacheMount, dockerBuildkit)).toBeUndefined();
  });

  it("refuses on Docker 20.10's BuildKit what its built-in Dockerfile frontend lacks, unless a # syntax= line names another", () => {
    const u = unsupportedFeature(heredoc, dockerBuildkit);
    expect(u).toEqual({ feature: 'heredocs', line: 2, dockerSince: '23.0' });
    expect(describeUnsupported('images/app/Dockerfile', u!, dockerBuildkit)).toBe(
      "images/app/Dockerfile uses heredocs (line 2), which the built-in Dockerfile frontend of Docker 20.10.24 does not have (the engine would read the heredoc's lines as instructions); " +
        'upgrade the engine to Docker 23 or later, or make the first line "# syntax=docker/dockerfile:1" so BuildKit uses a frontend that has them (the engine must be able to pull it)',
    );
    expect(unsupportedFeature('FROM busybox\nCOPY --link a /a\n', dockerBuildkit)).toEqual({
      feature: 'COPY --link',
      line: 2,
      dockerSince: '23.0',
    });
    expect(unsupportedFeature('FROM busybox\nRUN --network=none true\n', dockerBuildkit)).toEqual({
      feature: 'RUN --network',
      line: 2,
      dockerSince: '23.0',
    });
    expect(unsupportedFeature(`# syntax=docker/dockerfile:1\n${heredoc}`, dockerBuildkit)).toBeUndefined();
  });

  it("refuses RUN --mount on Docker's classic builder, but not on Podman, whose builder has it", () => {
    expect(unsupportedFeature(cacheMount, dockerClassic)).toEqual({ feature: 'RUN --mount', line: 2 });
    expect(unsupportedFeature(cacheMount, podman43)).toBeUndefined();
    expect(
      unsupportedFeature('FROM a AS b\nRUN true\nFROM c\nRUN --mount=type=bind,from=b,source=/x,target=/x \\\n  cat /x\n', podman43),
    ).toBeUndefined();
  });

  it('refuses heredocs on Podman before 4.8, naming the line and the version that has them', () => {
    const u = unsupportedFeature(heredoc, podman43);
    expect(u).toEqual({ feature: 'heredocs', line: 2, podmanSince: '4.8' });
    expect(describeUnsupported('images/app/Dockerfile', u!, podman43)).toBe(
      'images/app/Dockerfile uses heredocs (line 2), which the builder of Podman 4.3.1 does not support (Podman builds it from 4.8); ' +
        'upgrade Podman, or build on an engine with BuildKit (Docker 23 or later)',
    );
    expect(unsupportedFeature(heredoc, podman5)).toBeUndefined();
    expect(unsupportedFeature('FROM busybox\nCOPY <<-"EOT" /etc/motd\n\thello\n\tEOT\n', podman43)).toMatchObject({ feature: 'heredocs' });
  });

  it("does not read a heredoc's body as instructions", () => {
    expect(unsupportedFeature('FROM busybox\nRUN <<EOF\nRUN --network=none true\nEOF\n', podman5)).toBeUndefined();
  });

  it('refuses COPY --chmod on the classic Docker builder only', () => {
    const text = 'FROM busybox\nCOPY --chown=0:0 \\\n     --chmod=755 run.sh /run.sh\n';
    expect(unsupportedFeature(text, dockerClassic)).toEqual({ feature: 'COPY --chmod', line: 2 });
    expect(unsupportedFeature(text, podman43)).toBeUndefined();
  });

  it('refuses RUN --network and COPY --link on Podman 4.3, and keeps the Docker wording', () => {
    expect(unsupportedFeature('FROM busybox\nRUN --network=none true\n', podman43)).toEqual({
      feature: 'RUN --network',
      line: 2,
      podmanSince: '4.5',
    });
    expect(unsupportedFeature('FROM busybox\nRUN --network=none true\n', podman5)).toBeUndefined();
    expect(unsupportedFeature('FROM busybox\nCOPY --link a /a\n', podman5)).toMatchObject({ feature: 'COPY --link', podmanSince: '5.6' });
    expect(describeUnsupported('Dockerfile', { feature: 'COPY --link', line: 2 }, dockerClassic)).toBe(
      'Dockerfile uses COPY --link (line 2), which needs BuildKit, but the build would use the classic builder (docker 20.10.24); use an engine with BuildKit',
    );
  });

  it('looks only at flags, not at words in commands or comments', () => {
    const text = '# RUN --mount=type=cache,target=/x\nFROM busybox\nRUN echo --mount=type=cache --link && echo "a<<b"\n';
    expect(unsupportedFeature(text, dockerClassic)).toBeUndefined();
  });
});

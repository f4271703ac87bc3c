import { contextSources, DependencyOptions, imageDependencies, ImageDependency } from './image-dependencies';
import { readDockerfile } from './read-dockerfile';
import { dockerfile } from './test-support/dockerfile';

const model = (text: string) => readDockerfile(dockerfile(text), 'Dockerfile');
const deps = (text: string, args: Record<string, string> = {}, opts?: DependencyOptions) => imageDependencies(model(text), args, opts);
/** The references only, for examples where kinds and lines are not the point. */
const refs = (text: string, args: Record<string, string> = {}, opts?: DependencyOptions) => deps(text, args, opts).map((d) => d.reference);
/** Paths and dynamic only, for examples where the lines are not the point. */
const sources = (text: string, args: Record<string, string> = {}, opts?: DependencyOptions) => {
  const { paths, dynamic } = contextSources(model(text), args, opts);
  return { paths, dynamic };
};

const from = (reference: string, line: number, extra: Partial<ImageDependency> = {}): ImageDependency => ({
  kind: 'from',
  reference,
  raw: reference,
  line,
  stage: 0,
  unresolved: [],
  ...extra,
});

describe('imageDependencies', () => {
  it('finds the base image of a plain Dockerfile', () => {
    expect(deps('FROM alpine:3.20\nRUN apk add curl\n')).toEqual([from('alpine:3.20', 1)]);
  });

  describe('build args', () => {
    const baseImage = `
      ARG BASE_IMAGE=acme/base:cuda
      FROM $BASE_IMAGE
    `;

    it('resolves FROM $BASE_IMAGE through the global ARG default', () => {
      expect(deps(baseImage)).toEqual([from('acme/base:cuda', 2, { raw: '$BASE_IMAGE' })]);
    });

    it('lets a build arg override the default', () => {
      expect(deps(baseImage, { BASE_IMAGE: 'acme/base:cpu' })).toEqual([from('acme/base:cpu', 2, { raw: '$BASE_IMAGE' })]);
    });

    it('expands ARGs built from other ARGs, with quotes removed', () => {
      const text = `
        ARG REGISTRY=ghcr.io
        ARG OWNER="acme"
        ARG BASE=$REGISTRY/$OWNER/base:cpu
        FROM $BASE
      `;
      expect(refs(text)).toEqual(['ghcr.io/acme/base:cpu']);
      expect(refs(text, { REGISTRY: 'registry.local:5000' })).toEqual(['registry.local:5000/acme/base:cpu']);
      // Overriding BASE itself wins over how its default is built.
      expect(refs(text, { BASE: 'acme/other:1' })).toEqual(['acme/other:1']);
    });

    it('lets the tag pick the parent', () => {
      const text = `
        ARG VARIANT=cuda
        FROM acme/base:\${VARIANT}
      `;
      expect(refs(text)).toEqual(['acme/base:cuda']);
      expect(refs(text, { VARIANT: 'cpu' })).toEqual(['acme/base:cpu']);
    });

    it('uses ${VAR:-default} when the ARG has no value, and the ARG when it has', () => {
      const text = `
        ARG TAG
        FROM acme/base:\${TAG:-latest}
      `;
      expect(deps(text)).toEqual([from('acme/base:latest', 2, { raw: 'acme/base:${TAG:-latest}' })]);
      expect(refs(text, { TAG: '1.4' })).toEqual(['acme/base:1.4']);
    });

    it('tells an empty ARG from an unset one', () => {
      const text = `
        ARG EMPTY=
        FROM acme/a:\${EMPTY:-colon}
        FROM acme/b:x\${EMPTY-dash}
      `;
      expect(refs(text)).toEqual(['acme/a:colon', 'acme/b:x']);
    });

    it('adds a suffix only when set, with ${VAR:+alt}', () => {
      const text = `
        ARG FLAVOUR
        FROM acme/base\${FLAVOUR:+-$FLAVOUR}:1
      `;
      expect(refs(text)).toEqual(['acme/base:1']);
      expect(refs(text, { FLAVOUR: 'slim' })).toEqual(['acme/base-slim:1']);
    });

    it('ignores a build arg for an ARG the Dockerfile does not declare (as Docker does)', () => {
      expect(deps('FROM acme/base:${VARIANT}\n', { VARIANT: 'cpu' })).toEqual([
        from('acme/base:', 1, { raw: 'acme/base:${VARIANT}', unresolved: ['VARIANT'] }),
      ]);
    });

    it('passes on the uncertainty of an ARG built from an unset one', () => {
      const text = `
        ARG REGISTRY
        ARG BASE=$REGISTRY/acme/base
        FROM $BASE
      `;
      expect(deps(text)).toEqual([from('/acme/base', 3, { raw: '$BASE', unresolved: ['REGISTRY'] })]);
      expect(refs(text, { REGISTRY: 'ghcr.io' })).toEqual(['ghcr.io/acme/base']);
    });

    it('keeps an escaped $ literal', () => {
      expect(deps('ARG TAG=1\nFROM acme/base:\\$TAG\n')).toEqual([from('acme/base:$TAG', 2, { raw: 'acme/base:\\$TAG' })]);
    });
  });

  describe('stage scope', () => {
    it('does not let a global ARG reach inside a stage unless the stage re-declares it', () => {
      const text = `
        ARG TOOLS=acme/tools:1
        FROM alpine
        COPY --from=$TOOLS /x /y
        ARG TOOLS
        COPY --from=$TOOLS /x /z
      `;
      expect(deps(text)).toEqual([
        from('alpine', 2),
        { kind: 'copy-from', reference: '', raw: '$TOOLS', line: 3, stage: 0, unresolved: ['TOOLS'] },
        { kind: 'copy-from', reference: 'acme/tools:1', raw: '$TOOLS', line: 5, stage: 0, unresolved: [] },
      ]);
      expect(refs(text, { TOOLS: 'acme/tools:2' })).toEqual(['alpine', '', 'acme/tools:2']);
    });

    it('gives a stage ARG with a default the build arg if there is one', () => {
      const text = `
        FROM alpine
        ARG CACHE_IMAGE=acme/cache:1
        RUN --mount=type=cache,target=/root/.cache,from=$CACHE_IMAGE make
      `;
      expect(deps(text)).toEqual([
        from('alpine', 1),
        { kind: 'mount-from', reference: 'acme/cache:1', raw: '$CACHE_IMAGE', line: 3, stage: 0, unresolved: [] },
      ]);
      expect(refs(text, { CACHE_IMAGE: 'acme/cache:2' })).toEqual(['alpine', 'acme/cache:2']);
    });

    it('lets ENV win over an ARG of the same name', () => {
      const text = `
        FROM alpine
        ARG TOOLS=acme/tools:1
        ENV TOOLS=acme/tools:2
        COPY --from=$TOOLS / /
      `;
      expect(refs(text, { TOOLS: 'acme/tools:3' })).toEqual(['alpine', 'acme/tools:2']);
    });
  });

  describe('stages', () => {
    it('does not count stage aliases, in any case, as images', () => {
      const text = `
        FROM golang:1.22 as Builder
        RUN go build -o /app
        FROM builder AS test
        RUN go test
        FROM alpine:3.20
        COPY --from=BUILDER /app /app
        COPY --from=Test /report /report
        RUN --mount=type=bind,from=builder,target=/b true
      `;
      expect(deps(text)).toEqual([from('golang:1.22', 1), from('alpine:3.20', 5, { stage: 2 })]);
    });

    it('does not count COPY --from=<stage number>', () => {
      expect(refs('FROM golang:1.22\nFROM alpine\nCOPY --from=0 /app /app\n')).toEqual(['golang:1.22', 'alpine']);
    });

    it('counts COPY --from=<image> and RUN --mount from=<image>', () => {
      const text = String.raw`
        FROM alpine
        COPY --from=acme/tools:1 /x /y
        RUN --mount=type=cache,target=/root/.cache,from=acme/cache:1 \
            --mount=type=bind,from=acme/x,source=/a,target=/b \
            --mount=type=cache,target=/x \
            ls
      `;
      expect(deps(text)).toEqual([
        from('alpine', 1),
        { kind: 'copy-from', reference: 'acme/tools:1', raw: 'acme/tools:1', line: 2, stage: 0, unresolved: [] },
        { kind: 'mount-from', reference: 'acme/cache:1', raw: 'acme/cache:1', line: 3, stage: 0, unresolved: [] },
        { kind: 'mount-from', reference: 'acme/x', raw: 'acme/x', line: 4, stage: 0, unresolved: [] },
      ]);
    });

    it('lets FROM name only earlier stages: a later alias is an image', () => {
      expect(refs('FROM later AS first\nFROM alpine AS later\n')).toEqual(['later', 'alpine']);
    });

    it('does not count scratch', () => {
      expect(deps('FROM scratch\nCOPY app /app\n')).toEqual([]);
      expect(refs('FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n')).toEqual(['golang:1.22']);
    });

    it('keeps digests, with and without tags', () => {
      const digest = `sha256:${'ab'.repeat(32)}`;
      expect(refs(`FROM acme/base@${digest}\nFROM ghcr.io/acme/base:1.0@${digest}\nCOPY --from=acme/tools@${digest} / /\n`)).toEqual([
        `acme/base@${digest}`,
        `ghcr.io/acme/base:1.0@${digest}`,
        `acme/tools@${digest}`,
      ]);
    });
  });

  describe('platform args', () => {
    it('leaves --platform aside and does not fail on automatic platform args', () => {
      const text = `
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        FROM alpine:3.20
        COPY --from=build /app /app
      `;
      expect(deps(text)).toEqual([from('golang:1.22', 1), from('alpine:3.20', 2, { stage: 1 })]);
    });

    it('lists automatic platform args as unresolved, even with a default', () => {
      expect(deps('FROM acme/base:${TARGETARCH}\n')).toEqual([
        from('acme/base:', 1, { raw: 'acme/base:${TARGETARCH}', unresolved: ['TARGETARCH'] }),
      ]);
      expect(deps('FROM acme/base:${TARGETARCH:-amd64}\n')).toEqual([
        from('acme/base:amd64', 1, { raw: 'acme/base:${TARGETARCH:-amd64}', unresolved: ['TARGETARCH'] }),
      ]);
    });

    it('uses a platform arg the caller knows', () => {
      expect(refs('FROM acme/base:${TARGETARCH}\n', { TARGETARCH: 'arm64' })).toEqual(['acme/base:arm64']);
    });

    it('keeps a platform arg re-imported in a stage unresolved', () => {
      const text = `
        FROM alpine
        ARG TARGETARCH
        COPY --from=acme/tools:\${TARGETARCH} /t /t
      `;
      expect(deps(text)[1]).toEqual({
        kind: 'copy-from',
        reference: 'acme/tools:',
        raw: 'acme/tools:${TARGETARCH}',
        line: 3,
        stage: 0,
        unresolved: ['TARGETARCH'],
      });
    });
  });

  describe('syntax', () => {
    it('reads FROM across line continuations', () => {
      const text = String.raw`
        ARG BASE=acme/base:1
        FROM \
          $BASE \
          AS base
      `;
      expect(deps(text)).toEqual([from('acme/base:1', 2, { raw: '$BASE' })]);
    });

    it('follows # escape=` (backtick continuations, backslashes are plain)', () => {
      const text = `
        # escape=\`
        ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022
        FROM $BASE \`
            AS base
        COPY --from=mcr.microsoft.com/powershell:lts \`
             C:\\pwsh C:\\pwsh
      `;
      expect(refs(text)).toEqual(['mcr.microsoft.com/windows/servercore:ltsc2022', 'mcr.microsoft.com/powershell:lts']);
    });

    it('ignores FROM lines inside heredocs and comments', () => {
      const text = `
        # FROM fake:1
        FROM alpine
        RUN <<EOF
        FROM fake:2
        EOF
        COPY <<EOF /etc/x
        FROM fake:3
        EOF
      `;
      expect(refs(text)).toEqual(['alpine']);
    });

    it('reads lower-case instructions', () => {
      const text = `
        arg BASE=alpine:3.20
        from $BASE as base
        copy --from=acme/tools:1 /x /y
        from base
        copy --from=BASE /a /b
      `;
      expect(refs(text)).toEqual(['alpine:3.20', 'acme/tools:1']);
    });
  });

  describe('target', () => {
    const text = `
      FROM golang:1.22 AS build
      FROM node:20 AS web
      FROM acme/tools:1 AS tools
      FROM alpine:3.20 AS app
      COPY --from=build /app /app
      RUN --mount=type=bind,from=tools,source=/bin,target=/t true
      FROM debian:12 AS debug
      COPY --from=app / /
    `;

    it('counts every stage without a target', () => {
      expect(refs(text)).toEqual(['golang:1.22', 'node:20', 'acme/tools:1', 'alpine:3.20', 'debian:12']);
    });

    it('counts only the stages the target needs, through COPY --from and mount from=', () => {
      expect(deps(text, {}, { target: 'app' }).map((d) => [d.stage, d.reference])).toEqual([
        [0, 'golang:1.22'],
        [2, 'acme/tools:1'],
        [3, 'alpine:3.20'],
      ]);
      expect(refs(text, {}, { target: 'WEB' })).toEqual(['node:20']);
    });

    it('follows FROM <stage> and COPY --from=<number> to the stages a target needs', () => {
      const chain = `
        FROM acme/base:1 AS base
        FROM acme/other:1
        FROM acme/unused:1 AS unused
        FROM base AS final
        COPY --from=1 / /
      `;
      expect(refs(chain, {}, { target: 'final' })).toEqual(['acme/base:1', 'acme/other:1']);
    });

    it('counts every stage when the target does not exist', () => {
      expect(refs(text, {}, { target: 'nope' })).toHaveLength(5);
    });
  });

  it('skips a FROM without an image (readDockerfile reports it)', () => {
    expect(refs('FROM\nFROM alpine\n')).toEqual(['alpine']);
  });
});

describe('contextSources', () => {
  it('names the instruction and line of each resolved source', () => {
    expect(
      contextSources(
        model('FROM alpine\nARG D=dist\nCOPY ${D}/api /app\nADD a.tgz b/ /x/\nRUN --mount=type=bind,source=c,target=/c true\n'),
        {},
      ).entries,
    ).toEqual([
      { path: 'dist/api', line: 3, instruction: 'COPY' },
      { path: 'a.tgz', line: 4, instruction: 'ADD' },
      { path: 'b/', line: 4, instruction: 'ADD' },
      { path: 'c', line: 5, instruction: 'RUN --mount' },
    ]);
  });

  it('reads COPY . .', () => {
    expect(sources('FROM alpine\nCOPY . .\n')).toEqual({ paths: ['.'], dynamic: false });
  });

  it('reads several sources, flags aside', () => {
    expect(sources('FROM alpine\nCOPY --chown=1:1 src/ app/ /dst/\nCOPY --link --chmod=755 bin/run /usr/local/bin/\n')).toEqual({
      paths: ['src/', 'app/', 'bin/run'],
      dynamic: false,
    });
  });

  it('has no source for ADD of a URL, even through an ARG', () => {
    expect(sources('FROM alpine\nADD https://x/y.tgz /\n')).toEqual({ paths: [], dynamic: false });
    expect(sources('FROM alpine\nARG URL=https://example.com/a.tgz\nADD $URL /opt/\n')).toEqual({ paths: [], dynamic: false });
  });

  it('reads the JSON form', () => {
    expect(sources('FROM alpine\nCOPY ["a b.txt", "/x/"]\n')).toEqual({ paths: ['a b.txt'], dynamic: false });
  });

  it('resolves sources through ARGs and build args', () => {
    const text = `
      FROM alpine
      ARG SRC=dist
      COPY $SRC /x
    `;
    expect(sources(text)).toEqual({ paths: ['dist'], dynamic: false });
    expect(sources(text, { SRC: 'build' })).toEqual({ paths: ['build'], dynamic: false });
  });

  it('is dynamic when a source cannot be resolved', () => {
    expect(sources('FROM alpine\nCOPY $SRC /x\nCOPY app /app\n')).toEqual({ paths: ['app'], dynamic: true });
    expect(sources('FROM alpine\nCOPY "unterminated /x\n')).toEqual({ paths: [], dynamic: true });
  });

  it('reads RUN --mount=type=bind sources, default .', () => {
    const text = `
      FROM alpine
      RUN --mount=type=bind,source=scripts,target=/s /s/build.sh
      RUN --mount=type=bind,target=/src make -C /src
      RUN --mount=type=bind,from=acme/x,source=/a,target=/b true
    `;
    expect(sources(text)).toEqual({ paths: ['scripts', '.'], dynamic: false });
  });

  it('leaves out COPY --from and heredocs, and lists a path once', () => {
    const text = `
      FROM golang:1.22 AS build
      COPY go.mod go.sum ./
      COPY . .
      FROM alpine
      COPY --from=build /app /app
      COPY <<EOF /etc/motd
      hello
      EOF
      COPY go.mod /
    `;
    expect(sources(text)).toEqual({ paths: ['go.mod', 'go.sum', '.'], dynamic: false });
  });

  it('leaves out stages the target does not need', () => {
    const text = `
      FROM alpine AS docs
      COPY docs/ /docs/
      FROM alpine AS app
      COPY src/ /src/
    `;
    expect(sources(text, {}, { target: 'app' })).toEqual({ paths: ['src/'], dynamic: false });
    expect(sources(text)).toEqual({ paths: ['docs/', 'src/'], dynamic: false });
  });

  it('removes quotes the way Docker does', () => {
    expect(sources('FROM alpine\nARG V=1\nCOPY \'lit$V\' "dir-$V" /x/\n')).toEqual({ paths: ['lit$V', 'dir-1'], dynamic: false });
  });
});

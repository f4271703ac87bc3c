import { joinContinuations, parseMountOptions, readDockerfile, StageModel } from './read-dockerfile';
import { dockerfile } from './test-support/dockerfile';

const read = (text: string) => readDockerfile(text, 'images/app/Dockerfile');
const stage = (s: Partial<StageModel> & Pick<StageModel, 'index' | 'from'>): StageModel => ({
  args: [],
  envs: [],
  copyFroms: [],
  mountFroms: [],
  contextSources: [],
  ...s,
});

describe('readDockerfile', () => {
  it('reads global ARGs (raw, unexpanded) and a stage', () => {
    const model = read(
      dockerfile(String.raw`
      # syntax=docker/dockerfile:1
      ARG REGISTRY=ghcr.io
      ARG OWNER="acme"
      ARG BASE=$REGISTRY/$OWNER/base:cpu
      FROM $BASE AS build
      ARG VERSION
      RUN make
    `),
    );
    expect(model).toEqual({
      file: 'images/app/Dockerfile',
      escapeChar: '\\',
      globalArgs: [
        { name: 'REGISTRY', defaultValue: 'ghcr.io', line: 2 },
        { name: 'OWNER', defaultValue: '"acme"', line: 3 },
        { name: 'BASE', defaultValue: '$REGISTRY/$OWNER/base:cpu', line: 4 },
      ],
      stages: [stage({ index: 0, name: 'build', from: { raw: '$BASE', line: 5 }, args: [{ name: 'VERSION', line: 6 }] })],
      problems: [],
    });
  });

  it('reads several ARGs on one line, empty defaults and escapes as written', () => {
    const model = read(
      dockerfile(String.raw`
      ARG A=1 B="two words" C EMPTY=
      ARG PRICE=\$5
      FROM alpine
    `),
    );
    expect(model.globalArgs).toEqual([
      { name: 'A', defaultValue: '1', line: 1 },
      { name: 'B', defaultValue: '"two words"', line: 1 },
      { name: 'C', line: 1 },
      { name: 'EMPTY', defaultValue: '', line: 1 },
      { name: 'PRICE', defaultValue: '\\$5', line: 2 },
    ]);
  });

  it('lower-cases stage aliases however AS is written', () => {
    const model = read(
      dockerfile(`
      FROM golang:1.22 AS builder
      FROM node:20 as Web
      FROM alpine:3.20 As FINAL
    `),
    );
    expect(model.stages.map((s) => [s.index, s.name, s.from.raw])).toEqual([
      [0, 'builder', 'golang:1.22'],
      [1, 'web', 'node:20'],
      [2, 'final', 'alpine:3.20'],
    ]);
  });

  it('captures --platform on FROM, unexpanded', () => {
    const model = read('FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n');
    expect(model.stages).toEqual([stage({ index: 0, name: 'build', from: { raw: 'golang:1.22', line: 1, platform: '$BUILDPLATFORM' } })]);
  });

  it('joins line continuations inside FROM, COPY and RUN', () => {
    const model = read(
      dockerfile(String.raw`
      FROM \
        ghcr.io/acme/base:1 \
        AS base
      COPY --from=acme/tools:1 \
        /bin/tool /usr/local/bin/
      RUN --mount=type=cache,target=/root/.cache,from=acme/cache:1 \
          --mount=type=bind,source=scripts,target=/s \
          /s/build.sh
    `),
    );
    expect(model.stages).toEqual([
      stage({
        index: 0,
        name: 'base',
        from: { raw: 'ghcr.io/acme/base:1', line: 1 },
        copyFroms: [{ raw: 'acme/tools:1', line: 4 }],
        mountFroms: [{ raw: 'acme/cache:1', line: 6 }],
        contextSources: [{ sources: ['scripts'], line: 6, instruction: 'RUN --mount' }],
      }),
    ]);
  });

  it('follows # escape=` with backtick continuations and literal backslashes', () => {
    const model = read(
      dockerfile(String.raw`
      # escape=${'`'}
      FROM mcr.microsoft.com/windows/servercore:ltsc2022 ${'`'}
          AS base
      COPY C:\src\app ${'`'}
           C:\dst\
    `),
    );
    expect(model.escapeChar).toBe('`');
    expect(model.stages).toEqual([
      stage({
        index: 0,
        name: 'base',
        from: { raw: 'mcr.microsoft.com/windows/servercore:ltsc2022', line: 2 },
        contextSources: [{ sources: ['C:\\src\\app'], line: 4, instruction: 'COPY' }],
      }),
    ]);
  });

  it('does not treat lines inside a RUN heredoc as instructions', () => {
    const model = read(
      dockerfile(`
      FROM alpine:3.20
      RUN <<EOF
      FROM fake:1
      COPY --from=fake:2 / /
      EOF
      COPY --from=acme/tools:1 /x /y
    `),
    );
    expect(model.stages).toEqual([
      stage({ index: 0, from: { raw: 'alpine:3.20', line: 1 }, copyFroms: [{ raw: 'acme/tools:1', line: 6 }] }),
    ]);
    expect(model.problems).toEqual([]);
  });

  it('gives a heredoc-only COPY no context source, and keeps real files beside heredocs', () => {
    const model = read(
      dockerfile(`
      FROM alpine
      COPY <<EOF /etc/motd
      FROM not-an-image
      EOF
      COPY <<-"CONF" app.yaml /etc/app/
      	listen: 80
      	CONF
    `),
    );
    expect(model.stages).toEqual([
      stage({ index: 0, from: { raw: 'alpine', line: 1 }, contextSources: [{ sources: ['app.yaml'], line: 5, instruction: 'COPY' }] }),
    ]);
  });

  it('skips comments, including ones that look like FROM and ones between continuation lines', () => {
    const model = read(
      dockerfile(String.raw`
      # FROM fake:1
      FROM alpine
      # COPY --from=fake:2 / /
      COPY --chown=1:1 \
        # the sources
        src/ \

        app/ /dst/
    `),
    );
    expect(model.stages).toEqual([
      stage({ index: 0, from: { raw: 'alpine', line: 2 }, contextSources: [{ sources: ['src/', 'app/'], line: 4, instruction: 'COPY' }] }),
    ]);
  });

  it('reads lower-case instructions', () => {
    const model = read(
      dockerfile(`
      arg BASE=alpine
      from $BASE as base
      copy --from=acme/x:1 /a /b
      add local.tgz /opt/
      run --mount=from=acme/y:1,target=/y true
    `),
    );
    expect(model.globalArgs).toEqual([{ name: 'BASE', defaultValue: 'alpine', line: 1 }]);
    expect(model.stages).toEqual([
      stage({
        index: 0,
        name: 'base',
        from: { raw: '$BASE', line: 2 },
        copyFroms: [{ raw: 'acme/x:1', line: 3 }],
        mountFroms: [{ raw: 'acme/y:1', line: 5 }],
        contextSources: [{ sources: ['local.tgz'], line: 4, instruction: 'ADD' }],
      }),
    ]);
  });

  it('reads the JSON form of COPY, spaces included', () => {
    const model = read(
      dockerfile(String.raw`
      FROM alpine
      COPY ["a b.txt", "c\"d", "/x/"]
      COPY --chown=1:1 [ "one", \
        "two", "/y/" ]
    `),
    );
    expect(model.stages[0].contextSources).toEqual([
      { sources: ['a b.txt', 'c"d'], line: 2, instruction: 'COPY' },
      { sources: ['one', 'two'], line: 3, instruction: 'COPY' },
    ]);
  });

  it('leaves URLs and git sources out of ADD sources', () => {
    const model = read(
      dockerfile(`
      FROM alpine
      ADD https://example.com/y.tgz /
      ADD git@github.com:moby/buildkit.git /src/buildkit
      ADD https://github.com/moby/buildkit.git#v0.10.1 /src/buildkit
      ADD --checksum=sha256:abc https://example.com/z.tgz vendor.tgz /opt/
    `),
    );
    expect(model.stages[0].contextSources).toEqual([{ sources: ['vendor.tgz'], line: 5, instruction: 'ADD' }]);
  });

  it('reads every kind of RUN --mount', () => {
    const model = read(
      dockerfile(`
      FROM alpine
      RUN --mount=type=cache,target=/root/.cache,from=acme/cache:1 true
      RUN --mount=type=bind,from=acme/x,source=/a,target=/b true
      RUN --mount=type=cache,target=/x true
      RUN --mount=type=secret,id=npmrc,required true
      RUN --mount=type=bind,src=scripts,target=/s,ro true
      RUN --mount=target=/src true
      RUN --mount=type=bind,"source=a,b",target=/x true
      RUN --mount=type=tmpfs,target=/tmp true
    `),
    );
    expect(model.stages[0].mountFroms).toEqual([
      { raw: 'acme/cache:1', line: 2 },
      { raw: 'acme/x', line: 3 },
    ]);
    expect(model.stages[0].contextSources).toEqual([
      { sources: ['scripts'], line: 6, instruction: 'RUN --mount' },
      { sources: ['.'], line: 7, instruction: 'RUN --mount' },
      { sources: ['a,b'], line: 8, instruction: 'RUN --mount' },
    ]);
    expect(model.problems).toEqual([]);
  });

  it('keeps COPY --from stage names and numbers as written, and a --from COPY has no context source', () => {
    const model = read(
      dockerfile(`
      FROM golang:1.22 AS Build
      FROM alpine
      COPY --from=0 /a /b
      COPY --from=BUILD /app /app
      COPY --link . .
    `),
    );
    expect(model.stages[1]).toEqual(
      stage({
        index: 1,
        from: { raw: 'alpine', line: 2 },
        copyFroms: [
          { raw: '0', line: 3 },
          { raw: 'BUILD', line: 4 },
        ],
        contextSources: [{ sources: ['.'], line: 5, instruction: 'COPY' }],
      }),
    );
  });

  it('records ENV values for expansion', () => {
    const model = read(
      dockerfile(`
      FROM alpine
      ENV TOOLS=acme/tools:2 DIR="/opt/x"
      ENV LEGACY value with spaces
    `),
    );
    expect(model.stages[0].envs).toEqual([
      { name: 'TOOLS', value: 'acme/tools:2', line: 2 },
      { name: 'DIR', value: '"/opt/x"', line: 2 },
      { name: 'LEGACY', value: 'value with spaces', line: 3 },
    ]);
  });

  it('reads FROM scratch and digests as written', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    const model = read(`FROM scratch\nFROM acme/base@${digest} AS a\nFROM acme/base:1@${digest}\n`);
    expect(model.stages.map((s) => s.from.raw)).toEqual(['scratch', `acme/base@${digest}`, `acme/base:1@${digest}`]);
  });

  describe('problems', () => {
    it('reports a file with no FROM', () => {
      expect(read('ARG A=1\n# nothing else\n').problems).toEqual([
        {
          file: 'images/app/Dockerfile',
          line: 1,
          message: 'no FROM instruction; start the Dockerfile (after any ARGs) with FROM <image>, e.g. FROM alpine:3.20',
        },
      ]);
      expect(read('').problems).toHaveLength(1);
    });

    it('reports FROM with no image, and keeps counting stages', () => {
      const model = read('FROM alpine AS a\nFROM\nFROM --platform=linux/amd64\nFROM b\n');
      expect(model.problems).toEqual([
        {
          file: 'images/app/Dockerfile',
          line: 2,
          message: 'FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)',
        },
        {
          file: 'images/app/Dockerfile',
          line: 3,
          message: 'FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)',
        },
      ]);
      expect(model.stages.map((s) => [s.index, s.from.raw])).toEqual([
        [0, 'alpine'],
        [1, ''],
        [2, ''],
        [3, 'b'],
      ]);
    });

    it('reports instructions other than ARG before the first FROM', () => {
      const model = read(
        dockerfile(`
        # syntax=docker/dockerfile:1
        ARG BASE=alpine
        RUN echo too early
        ENV X=1
        FROM $BASE
      `),
      );
      expect(model.problems).toEqual([
        {
          file: 'images/app/Dockerfile',
          line: 3,
          message: 'RUN comes before the first FROM; only ARG may come before FROM, so move it into a stage',
        },
        {
          file: 'images/app/Dockerfile',
          line: 4,
          message: 'ENV comes before the first FROM; only ARG may come before FROM, so move it into a stage',
        },
      ]);
      expect(model.globalArgs).toEqual([{ name: 'BASE', defaultValue: 'alpine', line: 2 }]);
    });

    it('reports COPY --from with an empty value', () => {
      const model = read('FROM alpine\nCOPY --from= /a /b\nCOPY --from /a /b\n');
      expect(model.problems.map((p) => [p.line, p.message])).toEqual([
        [2, 'COPY --from= has no value; name a stage (--from=build), a stage number (--from=0) or an image (--from=alpine:3.20)'],
        [3, 'COPY --from= has no value; name a stage (--from=build), a stage number (--from=0) or an image (--from=alpine:3.20)'],
      ]);
      expect(model.stages[0].copyFroms).toEqual([]);
    });

    it('reports RUN --mount values that cannot be parsed', () => {
      const model = read(
        dockerfile(`
        FROM alpine
        RUN --mount true
        RUN --mount=type=bind,"source=a true
        RUN --mount=type=cache,/x true
      `),
      );
      expect(model.problems.map((p) => [p.line, p.message])).toEqual([
        [
          2,
          'RUN --mount= cannot be read: it is empty; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache',
        ],
        [
          3,
          'RUN --mount=type=bind,"source=a cannot be read: a quoted field is not closed; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache',
        ],
        [
          4,
          'RUN --mount=type=cache,/x cannot be read: "/x" is not a key=value pair; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache',
        ],
      ]);
    });

    it('reports a malformed FROM line and an invalid stage name', () => {
      const model = read('FROM alpine base\nFROM alpine AS 1st\n');
      expect(model.problems.map((p) => [p.line, p.message])).toEqual([
        [1, 'FROM takes an image and optionally "AS <name>", but got "alpine base"; write FROM <image> [AS <name>]'],
        [2, "stage name \"1st\" is not valid; start it with a letter and use only letters, digits, '-', '_' and '.'"],
      ]);
    });

    it('reports COPY without a destination', () => {
      expect(read('FROM alpine\nCOPY only-one\n').problems.map((p) => [p.line, p.message])).toEqual([
        [2, 'COPY needs at least one source and a destination, e.g. COPY src/ /app/'],
      ]);
    });

    it('never throws on odd text', () => {
      for (const text of [
        '\u0000 ]]] {{{ \\\n',
        'FROM',
        'FROM a\nCOPY <<EOF',
        'FROM a\nRUN --mount=,,, x\n',
        '\\\n\\\n',
        'FROM "unterminated\n',
        '\ufeffFROM alpine\n',
      ]) {
        expect(() => read(text)).not.toThrow();
      }
      // NUL bytes: binary data, one problem instead of one per garbage line.
      expect(read('\u0000 ]]] {{{\n').problems.map((p) => p.line)).toEqual([1]);
    });
  });
});

describe('parseMountOptions', () => {
  it('reads key=value pairs with lower-cased keys, quoted fields and bare booleans', () => {
    expect(parseMountOptions('Type=bind,"source=a,b",target=/x,ro')).toEqual(
      new Map([
        ['type', 'bind'],
        ['source', 'a,b'],
        ['target', '/x'],
        ['ro', 'true'],
      ]),
    );
    expect(parseMountOptions('"id=a""b"')).toEqual(new Map([['id', 'a"b']]));
  });

  it('says what is wrong otherwise', () => {
    expect(parseMountOptions('')).toBe('it is empty');
    expect(parseMountOptions('type=bind,,target=/x')).toBe('"" is not a key=value pair');
    expect(parseMountOptions('=x')).toBe('"=x" has no key');
    expect(parseMountOptions('"type=bind"x')).toBe('text follows a closing quote');
    expect(parseMountOptions('source=a"b')).toBe('a quote appears inside an unquoted field');
  });
});

describe('joinContinuations', () => {
  it('joins escaped line ends and drops comment and empty lines inside', () => {
    expect(joinContinuations('a \\\n  # c\n\n  b', '\\')).toBe('a   b');
    expect(joinContinuations('a`  \r\nb', '`')).toBe('ab');
    expect(joinContinuations('a\\ b', '\\')).toBe('a\\ b');
  });
});

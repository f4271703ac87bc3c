import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCases } from './test-support/bad-input-workspace';

const D = 'images/bad/Dockerfile';
const bad = (dockerfile: string, more: Record<string, string> = {}) => ({ [D]: dockerfile, ...more });
/** Writes the Dockerfile as bytes (Latin-1 text, megabytes), as a file on disk would hold them. */
const bytes = (content: Buffer) => (dir: string) => (writeFileSync(join(dir, D), content), []);
const garbage = Array.from({ length: 30 }, (_, i) => `garbage line ${i}`).join('\n');

describeCases('bad input: Dockerfile syntax', [
  {
    name: 'binary data (NUL bytes)',
    files: bad('\u007fELF\u0002\u0001\u0001\u0000\u0000\u0000FROM x\n\u0000\u0000'),
    messages: [
      'images/bad/Dockerfile:1: binary data, not a Dockerfile (it holds NUL bytes); point "dockerfile" at the text file, or remove it',
    ],
  },
  {
    name: 'binary data (not UTF-8)',
    files: bad('\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD garbage \uFFFD\n'),
    messages: [
      'images/bad/Dockerfile:1: binary data, not a Dockerfile (it holds bytes that are not UTF-8 text); point "dockerfile" at the text file, or remove it',
    ],
  },
  {
    name: 'empty Dockerfile',
    files: bad(''),
    messages: [
      'images/bad/Dockerfile:1: no FROM instruction; start the Dockerfile (after any ARGs) with FROM <image>, e.g. FROM alpine:3.20',
    ],
  },
  {
    name: 'only comments',
    files: bad('# just a comment\n# another\n'),
    messages: [
      'images/bad/Dockerfile:1: no FROM instruction; start the Dockerfile (after any ARGs) with FROM <image>, e.g. FROM alpine:3.20',
    ],
  },
  {
    name: 'unknown instruction, one edit from COPY',
    files: bad('FROM busybox:1.36\nCOPYY app.txt /app/\n'),
    messages: ['images/bad/Dockerfile:2: unknown instruction "COPYY"; did you mean COPY?'],
  },
  {
    name: 'unknown instruction, nothing close',
    files: bad('FROM busybox:1.36\nINSTALL curl\n'),
    messages: ['images/bad/Dockerfile:2: unknown instruction "INSTALL"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)'],
  },
  {
    name: 'lower-case typo of an instruction',
    files: bad('FROM busybox:1.36\nrum true\n'),
    messages: ['images/bad/Dockerfile:2: unknown instruction "rum"; did you mean RUN?'],
  },
  {
    name: 'RUN before the first FROM',
    files: bad('RUN true\nFROM busybox:1.36\n'),
    messages: ['images/bad/Dockerfile:1: RUN comes before the first FROM; only ARG may come before FROM, so move it into a stage'],
  },
  {
    name: 'invalid # escape= directive',
    files: bad('# escape=%\nFROM busybox:1.36\n'),
    messages: ['images/bad/Dockerfile:1: invalid "# escape=%" directive; the escape character must be \\ or ` (a backtick)'],
  },
  {
    name: 'FROM without an image',
    files: bad('FROM\n'),
    messages: ['images/bad/Dockerfile:1: FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)'],
  },
  {
    name: 'FROM with extra words',
    files: bad('FROM busybox:1.36 extra words here\n'),
    messages: [
      'images/bad/Dockerfile:1: FROM takes an image and optionally "AS <name>", but got "busybox:1.36 extra words here"; write FROM <image> [AS <name>]',
    ],
  },
  {
    name: 'FROM ... AS with an invalid stage name',
    files: bad('FROM busybox:1.36 AS 1st\n'),
    messages: [
      "images/bad/Dockerfile:1: stage name \"1st\" is not valid; start it with a letter and use only letters, digits, '-', '_' and '.'",
    ],
  },
  {
    name: 'COPY with no destination',
    files: bad('FROM busybox:1.36\nCOPY app.txt\n'),
    messages: ['images/bad/Dockerfile:2: COPY needs at least one source and a destination, e.g. COPY src/ /app/'],
  },
  {
    name: 'COPY --from= with no value',
    files: bad('FROM busybox:1.36\nCOPY --from= /a /b\n'),
    messages: [
      'images/bad/Dockerfile:2: COPY --from= has no value; name a stage (--from=build), a stage number (--from=0) or an image (--from=alpine:3.20)',
    ],
  },
  {
    name: 'RUN --mount with an unclosed quote',
    files: bad('FROM busybox:1.36\nRUN --mount=type=cache,"target=/x true\n'),
    messages: [
      'images/bad/Dockerfile:2: RUN --mount=type=cache,"target=/x cannot be read: a quoted field is not closed; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache',
    ],
  },
  {
    name: 'RUN --mount with a bare word',
    files: bad('FROM busybox:1.36\nRUN --mount=type=cache,nonsense true\n'),
    messages: [
      'images/bad/Dockerfile:2: RUN --mount=type=cache,nonsense cannot be read: "nonsense" is not a key=value pair; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache',
    ],
  },
  {
    name: 'COPY --from a stage number out of range',
    files: bad('FROM busybox:1.36 AS build\nFROM busybox:1.36\nCOPY --from=5 /a /b\n'),
    messages: ["images/bad/Dockerfile:3: COPY --from=5: there is no stage 5; this Dockerfile's stages are numbered 0 to 1"],
  },
  {
    name: 'COPY --from its own stage number',
    files: bad('FROM busybox:1.36\nCOPY --from=0 /a /b\n'),
    messages: ['images/bad/Dockerfile:2: COPY --from=0 is the stage it is in; copy from an earlier stage'],
  },
  {
    name: 'COPY --from a stage name one edit off',
    files: bad('FROM busybox:1.36 AS build\nFROM busybox:1.36\nCOPY --from=buidl /a /b\n'),
    messages: [
      'images/bad/Dockerfile:3: COPY --from=buidl names no stage; did you mean stage build? (An image named "buidl" would be pulled from Docker Hub; write docker.io/library/buidl if you mean that.)',
    ],
  },
  {
    name: 'RUN --mount from= a stage name one edit off',
    files: bad('FROM busybox:1.36 AS deps\nFROM busybox:1.36\nRUN --mount=from=dep,target=/d true\n'),
    messages: [
      'images/bad/Dockerfile:3: RUN --mount from=dep names no stage; did you mean stage deps? (An image named "dep" would be pulled from Docker Hub; write docker.io/library/dep if you mean that.)',
    ],
  },
  {
    name: 'thirty garbage lines: five problems and a count',
    files: bad(`FROM busybox:1.36\n${garbage}\n`),
    messages: [
      'images/bad/Dockerfile:2: unknown instruction "garbage"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)\nimages/bad/Dockerfile:3: unknown instruction "garbage"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)\nimages/bad/Dockerfile:4: unknown instruction "garbage"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)\nimages/bad/Dockerfile:5: unknown instruction "garbage"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)\nimages/bad/Dockerfile:6: unknown instruction "garbage"; it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)\n... and 25 more problems in images/bad/Dockerfile',
    ],
  },
  {
    name: 'unterminated quote in FROM',
    files: bad('FROM "busybox:1.36\n'),
    messages: ['images/bad/Dockerfile:1: FROM "busybox:1.36 cannot be read: unterminated double quote; Docker would refuse it too'],
  },
  {
    name: 'bad substitution in FROM',
    files: bad('FROM ${}\n'),
    messages: ['images/bad/Dockerfile:1: FROM ${} cannot be read: bad substitution; Docker would refuse it too'],
  },
  {
    name: 'FROM an ARG with no value',
    files: bad('ARG BASE\nFROM ${BASE}\n'),
    messages: [
      'images/bad/Dockerfile:2: "${BASE}" uses $BASE, which has no value; give the ARG a default or set it in the manifest\'s "args"',
    ],
  },
  {
    name: 'FROM an invalid reference (upper case)',
    files: bad('FROM BusyBox:1.36\n'),
    messages: ['images/bad/Dockerfile:1: "BusyBox:1.36" is not a valid image reference; fix the reference or the ARG that makes it'],
  },
  {
    name: 'COPY of a file missing from the context',
    files: bad('FROM busybox:1.36\nCOPY missing.txt /app/\n'),
    messages: [
      'images/bad/Dockerfile:2: COPY source "missing.txt" is not in the build context images/bad, and no task of the workspace declares it as an output; create it, fix the path, set the manifest\'s "context", or name the task that builds it in "dependsOn" in images/bad/image.json (e.g. "api:build")',
    ],
  },
  {
    name: 'COPY of a file .dockerignore excludes',
    files: bad('FROM busybox:1.36\nCOPY secret.txt /app/\n', { 'images/bad/secret.txt': 's', 'images/bad/.dockerignore': 'secret.txt\n' }),
    messages: [
      'images/bad/Dockerfile:2: COPY source "secret.txt" is excluded by .dockerignore in images/bad, so the build cannot see it; remove it from .dockerignore or from the Dockerfile',
    ],
  },
  {
    name: 'a dangling line continuation at the end',
    files: bad('FROM busybox:1.36\nRUN echo hi \\\n'),
    messages: [
      'images/bad/Dockerfile:2: the last line ends with "\\", which continues it onto a line that does not exist; add the missing line, or remove the "\\" (Docker would build without it, without a word)',
    ],
  },
  {
    name: 'a dangling continuation with the backtick escape',
    files: bad('# escape=`\nFROM busybox:1.36\nRUN echo hi `\n\n'),
    messages: [
      'images/bad/Dockerfile:3: the last line ends with "`", which continues it onto a line that does not exist; add the missing line, or remove the "`" (Docker would build without it, without a word)',
    ],
  },
  {
    name: 'COPY --chmod that is not a mode',
    files: bad('FROM busybox:1.36\nCOPY --chmod=xyz app.txt /app/\n', { 'images/bad/app.txt': 'x' }),
    messages: [
      'images/bad/Dockerfile:2: COPY --chmod=xyz is not a file mode; write it in octal, e.g. --chmod=755 or --chmod=0644 (an engine that cannot read it leaves the mode as it was, without a word)',
    ],
  },
  {
    name: 'ADD --chmod out of range',
    files: bad('FROM busybox:1.36\nADD --chmod=99999 app.txt /app/\n', { 'images/bad/app.txt': 'x' }),
    messages: [
      'images/bad/Dockerfile:2: ADD --chmod=99999 is not a file mode; write it in octal, e.g. --chmod=755 or --chmod=0644 (an engine that cannot read it leaves the mode as it was, without a word)',
    ],
  },
  {
    name: 'Latin-1 bytes (not UTF-8)',
    files: bad(''),
    prepare: bytes(Buffer.from('FROM busybox:1.36\nLABEL author="Jos\xe9 Mar\xeda"\n', 'latin1')),
    messages: ['images/bad/Dockerfile:2: byte 0xE9 is not UTF-8 text (the file looks saved as Latin-1 or Windows-1252); save it as UTF-8'],
  },
  {
    name: 'a Dockerfile of megabytes',
    files: bad(''),
    prepare: bytes(Buffer.from(`FROM busybox:1.36\n${'RUN true\n'.repeat(300_000)}`)),
    messages: [
      'images/bad/Dockerfile: 2.7 MB, far beyond any real Dockerfile; the plugin refuses one over 1 MB before the engine is asked (an engine takes minutes to parse such a file, and cannot be stopped while it does): point "dockerfile" at the right file',
    ],
  },
  {
    name: 'ADD --from (only COPY has --from)',
    files: bad('FROM busybox:1.36\nADD --from=good /a /b\n'),
    messages: ['images/bad/Dockerfile:2: ADD has no --from flag (Docker refuses it); use COPY --from=<stage or image>'],
  },
]);

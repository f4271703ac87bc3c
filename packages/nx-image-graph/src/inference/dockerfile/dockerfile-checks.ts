import type { DockerfileProblem, StageModel } from './dockerfile-model';

/** Checks on a Dockerfile that the engine would otherwise make only when the build starts. */

/** Every instruction Docker knows (BuildKit's parser; MAINTAINER is deprecated but accepted). */
export const INSTRUCTIONS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];

/**
 * Binary data is not a Dockerfile: read as text it gives hundreds of "instructions" of garbage.
 * NUL bytes, or bytes that are not UTF-8, say it is binary.
 */
export function binaryProblem(text: string, file: string): DockerfileProblem | undefined {
  const nul = text.indexOf('\u0000');
  const invalid = (text.match(/\uFFFD/g) ?? []).length;
  if (nul < 0 && invalid < 4) return undefined;
  const line = text.slice(0, nul >= 0 ? nul : text.indexOf('\uFFFD')).split('\n').length;
  return {
    file,
    line,
    message: `binary data, not a Dockerfile (it holds ${nul >= 0 ? 'NUL bytes' : 'bytes that are not UTF-8 text'}); point "dockerfile" at the text file, or remove it`,
  };
}

/**
 * A file whose last line ends with the escape character: Docker continues it onto a line that does
 * not exist and builds without a word, so a line the author meant to add (or lost) goes unnoticed.
 */
export function danglingContinuationProblem(text: string, escapeChar: string, file: string): DockerfileProblem | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  if (last < 0 || /^\s*#/.test(lines[last]) || !lines[last].replace(/[ \t]+$/, '').endsWith(escapeChar)) return undefined;
  return {
    file,
    line: last + 1,
    message: `the last line ends with "${escapeChar}", which continues it onto a line that does not exist; add the missing line, or remove the "${escapeChar}" (Docker would build without it, without a word)`,
  };
}

/** `--chmod` of COPY/ADD: octal up to 7777, or a symbolic mode (u+x,go-w); Docker 20.10 ignores anything else silently. */
const OCTAL_MODE = /^[0-7]{1,4}$/;
const SYMBOLIC_MODE = /^[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*$/;

export function chmodProblem(keyword: string, value: string): string | undefined {
  if (value.includes('$') || OCTAL_MODE.test(value) || SYMBOLIC_MODE.test(value)) return undefined;
  return `${keyword} --chmod=${value} is not a file mode; write it in octal, e.g. --chmod=755 or --chmod=0644 (an engine that cannot read it leaves the mode as it was, without a word)`;
}

/** `# escape=` takes `\` or a backtick only; Docker refuses anything else. */
export function escapeProblem(directives: { name: string; value: string; line: number }[], file: string): DockerfileProblem | undefined {
  const escape = directives.find((d) => d.name.toLowerCase() === 'escape');
  if (!escape || escape.value === '\\' || escape.value === '`') return undefined;
  return {
    file,
    line: escape.line,
    message: `invalid "# escape=${escape.value}" directive; the escape character must be \\ or \` (a backtick)`,
  };
}

export function unknownInstructionMessage(keyword: string): string {
  const near = INSTRUCTIONS.map((i) => ({ i, d: editDistance(keyword.toUpperCase(), i) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return `unknown instruction "${keyword}"; ${near ? `did you mean ${near.i}?` : 'it is not a Dockerfile instruction (FROM, RUN, COPY, ENV, ...)'}`;
}

/**
 * `COPY --from` / `RUN --mount from=` written literally (no $variables): a stage number must exist,
 * and a bare word one edit from a stage name is taken for a typo of it rather than an image to pull.
 */
export function stageReferenceProblems(stages: StageModel[], file: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  const names = stages.flatMap((s) => (s.name ? [s.name] : []));
  for (const stage of stages) {
    const refs = [
      ...stage.copyFroms.map((r) => ({ ...r, what: 'COPY --from' })),
      ...stage.mountFroms.map((r) => ({ ...r, what: 'RUN --mount from' })),
    ];
    for (const ref of refs) {
      const raw = ref.raw;
      if (raw.includes('$')) continue;
      if (/^[0-9]+$/.test(raw)) {
        const index = Number(raw);
        if (index >= stages.length) {
          const have =
            stages.length === 1
              ? 'this Dockerfile has one stage, number 0'
              : `this Dockerfile's stages are numbered 0 to ${stages.length - 1}`;
          problems.push({ file, line: ref.line, message: `${ref.what}=${raw}: there is no stage ${index}; ${have}` });
        } else if (index === stage.index) {
          problems.push({ file, line: ref.line, message: `${ref.what}=${raw} is the stage it is in; copy from an earlier stage` });
        }
        continue;
      }
      const lower = raw.toLowerCase();
      if (names.includes(lower) || !/^[a-z0-9][a-z0-9_.-]*$/.test(lower)) continue;
      const near = names.find((n) => editDistance(lower, n) === 1);
      if (near) {
        problems.push({
          file,
          line: ref.line,
          message: `${ref.what}=${raw} names no stage; did you mean stage ${near}? (An image named "${raw}" would be pulled from Docker Hub; write docker.io/library/${raw} if you mean that.)`,
        });
      }
    }
  }
  return problems;
}

/** Damerau-Levenshtein (optimal string alignment): a swap of two neighbours is one edit. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Names one edit away, for "did you mean" (a target typo). */
export function closestName(name: string, names: string[]): string | undefined {
  return names
    .map((n) => ({ n, d: editDistance(name.toLowerCase(), n) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0]?.n;
}

import type { Argument, Flag, Heredoc, Instruction, Property } from 'dockerfile-ast';
import { substitute } from './substitute';
import {
  binaryProblem,
  chmodProblem,
  danglingContinuationProblem,
  escapeProblem,
  INSTRUCTIONS,
  stageReferenceProblems,
  unknownInstructionMessage,
} from './dockerfile-checks';

type Range = ReturnType<Argument['getRange']>;

/**
 * Reads a Dockerfile into a plain model: what each stage is built from, which images it copies or
 * mounts from, and which build-context paths it copies. Values are kept as written (unexpanded);
 * deciding what they mean under given build args is image-dependencies.ts's job.
 *
 * dockerfile-ast finds instructions, flags, heredocs and line ranges. Values are read back from the
 * source text by range rather than through its getters, because those half-unescape (`\\` becomes `\`
 * but `\$` stays) and its JSON strings lose their spaces; our substitute() then does Docker's unescaping.
 */

export type { ArgDeclaration, EnvDeclaration, ContextSource, StageModel, DockerfileProblem, DockerfileModel } from './dockerfile-model';
import type { ArgDeclaration, DockerfileModel, DockerfileProblem, EnvDeclaration, StageModel } from './dockerfile-model';

/** Docker's rule for stage names (after lower-casing). */
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** `RUN --mount` options that may appear without `=value`. */
const MOUNT_BOOLEAN_KEYS = new Set(['readonly', 'ro', 'readwrite', 'rw', 'required']);

const KNOWN_INSTRUCTIONS = new Set(INSTRUCTIONS);

export function readDockerfile(text: string, file: string): DockerfileModel {
  const binary = binaryProblem(text, file);
  if (binary) return { file, escapeChar: '\\', globalArgs: [], stages: [], problems: [binary] };
  // The parser loads with the first Dockerfile read: a warm graph reads none (cached models and definitions).
  const dockerfile = (require('dockerfile-ast') as typeof import('dockerfile-ast')).DockerfileParser.parse(text);
  const escapeChar = dockerfile.getEscapeCharacter();
  const source = new SourceText(text, escapeChar);
  const problems: DockerfileProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const escape = escapeProblem(
    dockerfile.getDirectives().map((d) => ({ name: d.getName(), value: d.getValue(), line: d.getRange().start.line + 1 })),
    file,
  );
  if (escape) problems.push(escape);
  const dangling = danglingContinuationProblem(text, escapeChar, file);

  const globalArgs: ArgDeclaration[] = [];
  const stages: StageModel[] = [];

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    const stage = stages[stages.length - 1];

    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      problem(line, unknownInstructionMessage(instruction.getInstruction()));
      continue;
    }
    if (keyword === 'FROM') {
      stages.push(readFrom(instruction, stages.length, source, problem));
      continue;
    }
    if (!stage) {
      if (keyword === 'ARG') globalArgs.push(...readArgs(instruction as PropertyLike, source));
      else
        problem(
          line,
          `${instruction.getInstruction()} comes before the first FROM; only ARG may come before FROM, so move it into a stage`,
        );
      continue;
    }
    switch (keyword) {
      case 'ARG':
        stage.args.push(...readArgs(instruction as PropertyLike, source));
        break;
      case 'ENV':
        stage.envs.push(...readEnvs(instruction as PropertyLike, source));
        break;
      case 'COPY':
      case 'ADD':
        readCopy(instruction as FlaggedInstruction, keyword, stage, source, problem);
        break;
      case 'RUN':
        readRunMounts(instruction as FlaggedInstruction, stage, source, problem);
        break;
      case 'ONBUILD': {
        // The trigger runs in the child's build, from the child's context: recorded apart from this stage's own reads.
        const trigger = (instruction as Instruction & { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
        const kw = trigger?.getKeyword();
        if (trigger && (kw === 'COPY' || kw === 'ADD')) {
          stage.onbuild ??= { contextSources: [], copyFroms: [] };
          readCopy(trigger as FlaggedInstruction, kw, stage.onbuild as StageModel, source, problem);
        }
        break;
      }
    }
  }

  if (dangling) problems.push(dangling);
  problems.push(...stageReferenceProblems(stages, file));
  if (stages.length === 0) {
    problem(1, 'no FROM instruction; start the Dockerfile (after any ARGs) with FROM <image>, e.g. FROM alpine:3.20');
  }
  return { file, escapeChar, globalArgs, stages, problems };
}

type Problem = (line: number, message: string) => void;
type FlaggedInstruction = Instruction & { getFlags(): Flag[] };
type PropertyLike = Instruction & { getProperties(): Property[] };

function readFrom(instruction: Instruction, index: number, source: SourceText, problem: Problem): StageModel {
  const line = instruction.getRange().start.line + 1;
  const args = instruction.getArguments();
  const stage: StageModel = { index, from: { raw: '', line }, args: [], envs: [], copyFroms: [], mountFroms: [], contextSources: [] };

  const platform = (instruction as FlaggedInstruction).getFlags().find((f) => f.getName() === 'platform');
  if (platform) stage.from.platform = source.flagValue(platform);

  if (args.length === 0) {
    problem(line, 'FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)');
    return stage;
  }
  stage.from.raw = source.argument(args[0]);
  const syntax = syntaxError(stage.from.raw, source.escapeChar);
  if (syntax) problem(line, `FROM ${stage.from.raw} cannot be read: ${syntax}; Docker would refuse it too`);
  if (args.length === 1) return stage;
  if (args.length !== 3 || args[1].getValue().toLowerCase() !== 'as') {
    problem(
      line,
      `FROM takes an image and optionally "AS <name>", but got "${args.map((a) => a.getValue()).join(' ')}"; write FROM <image> [AS <name>]`,
    );
  }
  if (args.length >= 3 && args[1].getValue().toLowerCase() === 'as') {
    const name = source.argument(args[2]).toLowerCase();
    if (!STAGE_NAME.test(name)) {
      problem(line, `stage name "${name}" is not valid; start it with a letter and use only letters, digits, '-', '_' and '.'`);
    }
    stage.name = name;
  }
  return stage;
}

function readArgs(instruction: PropertyLike, source: SourceText): ArgDeclaration[] {
  const line = instruction.getRange().start.line + 1;
  return instruction.getProperties().map((p) => {
    const defaultValue = p.getValue() === null ? undefined : source.propertyValue(p);
    return { name: p.getName(), ...(defaultValue !== undefined ? { defaultValue } : {}), line };
  });
}

function readEnvs(instruction: PropertyLike, source: SourceText): EnvDeclaration[] {
  const line = instruction.getRange().start.line + 1;
  return instruction.getProperties().map((p) => ({ name: p.getName(), value: source.propertyValue(p) ?? '', line }));
}

function readCopy(instruction: FlaggedInstruction, keyword: 'COPY' | 'ADD', stage: StageModel, source: SourceText, problem: Problem): void {
  const line = instruction.getRange().start.line + 1;
  // ADD has no --from in Docker; only COPY copies out of another stage or image.
  const addFrom = keyword === 'ADD' ? instruction.getFlags().find((f) => f.getName() === 'from') : undefined;
  if (addFrom) {
    problem(addFrom.getRange().start.line + 1, 'ADD has no --from flag (Docker refuses it); use COPY --from=<stage or image>');
    return;
  }
  const chmod = instruction.getFlags().find((f) => f.getName() === 'chmod');
  const badMode = chmod ? chmodProblem(keyword, chmod.getValue() === null ? '' : source.flagValue(chmod)) : undefined;
  if (badMode) problem(chmod!.getRange().start.line + 1, badMode);
  const from = keyword === 'COPY' ? instruction.getFlags().find((f) => f.getName() === 'from') : undefined;
  if (from) {
    const raw = from.getValue() === null ? '' : source.flagValue(from);
    const fromLine = from.getRange().start.line + 1;
    if (raw === '')
      problem(
        fromLine,
        'COPY --from= has no value; name a stage (--from=build), a stage number (--from=0) or an image (--from=alpine:3.20)',
      );
    else if (syntaxError(raw, source.escapeChar))
      problem(fromLine, `COPY --from=${raw} cannot be read: ${syntaxError(raw, source.escapeChar)}`);
    else stage.copyFroms.push({ raw, line: fromLine });
    return;
  }

  const heredocs = heredocsOf(instruction);
  const header = headerArguments(instruction, heredocs);
  const items = source.sourcesAndDest(header);
  if (items.length === 0 || (items.length === 1 && heredocs.length === 0)) {
    problem(line, `${keyword} needs at least one source and a destination, e.g. ${keyword} src/ /app/`);
    return;
  }
  // The last item is the destination; heredoc files are written by the Dockerfile itself, not read from the context.
  const sources = items.slice(0, -1).filter((s) => !isRemoteSource(s));
  if (sources.length > 0) stage.contextSources.push({ sources, line, instruction: keyword });
}

function readRunMounts(instruction: FlaggedInstruction, stage: StageModel, source: SourceText, problem: Problem): void {
  const line = instruction.getRange().start.line + 1;
  for (const flag of instruction.getFlags().filter((f) => f.getName() === 'mount')) {
    const flagLine = flag.getRange().start.line + 1;
    const value = flag.getValue() === null ? '' : source.flagValue(flag);
    const parsed = parseMountOptions(value);
    if (typeof parsed === 'string') {
      problem(
        flagLine,
        `RUN --mount=${value} cannot be read: ${parsed}; write it as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache`,
      );
      continue;
    }
    const type = (parsed.get('type') ?? 'bind').toLowerCase();
    const from = parsed.get('from');
    if (from !== undefined && from !== '') stage.mountFroms.push({ raw: from, line: flagLine });
    else if (type === 'bind')
      stage.contextSources.push({ sources: [parsed.get('source') ?? parsed.get('src') ?? '.'], line, instruction: 'RUN --mount' });
  }
}

/**
 * A `--mount` value as BuildKit reads it: CSV fields (Go encoding/csv: `"..."` quoting, `""` for a quote),
 * each `key=value` or a bare boolean option. Returns the options, or what is wrong.
 */
export function parseMountOptions(value: string): Map<string, string> | string {
  if (value.trim() === '') return 'it is empty';
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) return 'a quoted field is not closed';
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < value.length && value[i] !== ',') return 'text follows a closing quote';
    } else {
      while (i < value.length && value[i] !== ',') {
        if (value[i] === '"') return 'a quote appears inside an unquoted field';
        field += value[i++];
      }
    }
    fields.push(field);
    if (i >= value.length) break;
    i++; // ','
  }

  const options = new Map<string, string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      if (!MOUNT_BOOLEAN_KEYS.has(field.toLowerCase())) return `"${field}" is not a key=value pair`;
      options.set(field.toLowerCase(), 'true');
      continue;
    }
    if (eq === 0) return `"${field}" has no key`;
    options.set(field.slice(0, eq).toLowerCase(), field.slice(eq + 1));
  }
  return options;
}

/** URLs (ADD downloads them) and git remotes are not build-context paths. */
export function isRemoteSource(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[\w.-]+@[\w.-]+:/.test(s);
}

function heredocsOf(instruction: Instruction): Heredoc[] {
  // getHeredocs() is public on COPY and RUN but protected on Instruction (ADD); the method exists on all.
  const get = (instruction as unknown as { getHeredocs?: () => Heredoc[] }).getHeredocs;
  return typeof get === 'function' ? get.call(instruction) : [];
}

/** Arguments before any heredoc body, without the `<<EOF` operators (the parser lists body words too). */
function headerArguments(instruction: Instruction, heredocs: Heredoc[]): Argument[] {
  const args = instruction.getArguments();
  if (heredocs.length === 0) return args;
  const bodyStart = Math.min(...heredocs.map((h) => h.getStartRange().end.line)) + 1;
  const operators = new Set(heredocs.map((h) => positionKey(h.getStartRange())));
  return args.filter((a) => a.getRange().start.line < bodyStart && !operators.has(positionKey(a.getRange())));
}

function positionKey(range: Range): string {
  return `${range.start.line}:${range.start.character}`;
}

/** Docker's complaint about a value's quotes or ${...} (unterminated quote, bad substitution), if any. */
function syntaxError(raw: string, escapeChar: string): string | undefined {
  return substitute(raw, {}, escapeChar).error;
}

/** The Dockerfile text, for reading values back by range with Docker's line continuations applied. */
class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    readonly escapeChar: string,
  ) {
    // Same line breaks as the parser's TextDocument: \r\n, \r or \n.
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      if (text[i] === '\n' || text[i] === '\r') this.lineStarts.push(i + 1);
    }
  }

  private offset(position: { line: number; character: number }): number {
    return Math.min((this.lineStarts[position.line] ?? this.text.length) + position.character, this.text.length);
  }

  slice(range: Range): string {
    return joinContinuations(this.text.slice(this.offset(range.start), this.offset(range.end)), this.escapeChar);
  }

  argument(arg: Argument): string {
    return this.slice(arg.getRange());
  }

  flagValue(flag: Flag): string {
    const range = flag.getValueRange();
    return range ? this.slice(range) : '';
  }

  propertyValue(property: Property): string | undefined {
    const range = property.getValueRange();
    return range ? this.slice(range) : property.getValue() === null ? undefined : '';
  }

  /**
   * COPY/ADD items as Docker splits them: a JSON array of strings when the arguments parse as one,
   * otherwise words split on whitespace (quotes do not group words here; substitute() removes them).
   */
  sourcesAndDest(args: Argument[]): string[] {
    if (args.length === 0) return [];
    const all = this.slice({ start: args[0].getRange().start, end: args[args.length - 1].getRange().end }).trim();
    if (all.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(all);
        if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed as string[];
      } catch {
        // Not JSON: Docker falls back to the shell form too.
      }
    }
    return args.map((a) => this.argument(a));
  }
}

/**
 * Docker's line joining: an escape char (plus trailing blanks) at the end of a line continues it,
 * and comment or empty lines inside a continued instruction are dropped.
 */
export function joinContinuations(text: string, escapeChar: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const continued = new RegExp(`${escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`);
  let out = '';
  let continuing = false;
  lines.forEach((line, i) => {
    if (continuing && /^[ \t]*(#.*)?$/.test(line)) return;
    const m = continued.exec(line);
    if (m) {
      out += line.slice(0, m.index);
      continuing = true;
    } else {
      out += line;
      continuing = false;
      if (i < lines.length - 1) out += '\n';
    }
  });
  return out;
}

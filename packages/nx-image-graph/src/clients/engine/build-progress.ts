import { decodeBuildkitStatus, VertexUpdate } from './buildkit-status';
import { ClassicOptions, ClassicProgress } from './classic-progress';
import { formatSeconds } from '../../core/text/format-units';

/** One Dockerfile step as BuildKit reports it. */
interface Step {
  digest: string;
  name: string;
  number: number;
  cached: boolean;
  started?: number;
  completed?: number;
  error?: string;
  log: string[];
  printedStart: boolean;
  printedEnd: boolean;
}

export interface BuildFailure {
  step?: string;
  message: string;
  exitCode?: number;
  logTail: string[];
}

export interface BuildOutcome {
  imageId?: string;
  stepsTotal: number;
  stepsCached: number;
  failure?: BuildFailure;
}

const LOG_TAIL = 25;
/** Dockerfile steps, as opposed to BuildKit's internal vertices: `[2/5] RUN ...`, `[build 1/3] FROM ...`. */
const DOCKERFILE_STEP = /^\[(?:[^\]]+ )?\d+\/\d+\]/;
const FROM_STEP = /^\[[^\]]+\] FROM /i;
/**
 * BuildKit's export after the last step (`exporting to image`, with `exporting layers`, `writing
 * image sha256:...`, `naming to ...` inside it, or as vertices of their own on other engines): it
 * takes seconds for a large image, and without its line the build looked stalled after its last step.
 */
const EXPORT_VERTEX = /^(exporting |writing image |naming to |preparing build cache for export)/;

/**
 * Reads the build's JSON stream (BuildKit traces or classic `stream` lines) and turns it
 * into readable lines as they happen, plus the outcome: image id, steps cached/total and,
 * on failure, the failing step with the tail of its log.
 */
export class BuildProgress {
  private readonly steps = new Map<string, Step>();
  private readonly classic: ClassicProgress;
  private imageId?: string;
  private errorMessage?: string;
  private errorCode?: number;
  private buffer = '';

  constructor(
    private readonly print: (line: string) => void,
    classicOptions: ClassicOptions = {},
  ) {
    this.classic = new ClassicProgress(print, classicOptions);
  }

  /** Feed raw bytes from the engine's response stream. */
  write(chunk: Buffer | string): void {
    this.buffer += chunk.toString();
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.handleLine(line);
    }
  }

  end(): BuildOutcome {
    if (this.buffer.trim()) this.handleLine(this.buffer.trim());
    this.buffer = '';
    this.classic.flush();
    // FROM is resolved, not built: BuildKit never reports it cached, so it would skew the count.
    const buildkitSteps = [...this.steps.values()].filter((s) => DOCKERFILE_STEP.test(s.name) && !FROM_STEP.test(s.name));
    const steps = buildkitSteps.length ? buildkitSteps : this.classic.counted;
    const stepsTotal = steps.length;
    const stepsCached = steps.filter((s) => s.cached).length;
    // A failed Dockerfile step fails the build; other vertices may fail harmlessly (a cache-from image
    // that does not exist yet) and count only when the engine also ends the stream with an error.
    const errored = [...this.steps.values()].filter((s) => s.error);
    const failed = errored.find((s) => DOCKERFILE_STEP.test(s.name)) ?? (this.errorMessage ? errored[0] : undefined);
    // The aux message is authoritative; the classic text's id is the fallback for engines that send none.
    const imageId = this.imageId ?? this.classic.announcedId;
    if (!this.errorMessage && !failed) return { imageId, stepsTotal, stepsCached };
    const message = this.errorMessage ?? failed!.error!;
    const classicStep = failed ? undefined : this.classic.lastStep;
    return {
      stepsTotal,
      stepsCached,
      failure: {
        step: failed?.name ?? classicStep?.name,
        message,
        exitCode: this.errorCode ?? exitCodeOf(message),
        logTail: (failed?.log ?? classicStep?.log ?? []).slice(-LOG_TAIL),
      },
    };
  }

  private handleLine(line: string): void {
    let msg: { id?: string; aux?: unknown; stream?: string; error?: string; errorDetail?: { message?: string; code?: number } };
    try {
      msg = JSON.parse(line);
    } catch {
      this.print(line);
      return;
    }
    if (msg.id === 'moby.buildkit.trace' && typeof msg.aux === 'string') this.handleTrace(msg.aux);
    else if (msg.id === 'moby.image.id' && msg.aux && typeof msg.aux === 'object') this.imageId = (msg.aux as { ID: string }).ID;
    else if (msg.aux && typeof msg.aux === 'object' && 'ID' in msg.aux) this.imageId = (msg.aux as { ID: string }).ID;
    else if (msg.error || msg.errorDetail) {
      this.classic.flush();
      this.errorMessage = (msg.errorDetail?.message ?? msg.error ?? '').trim();
      // Docker's classic builder gives the RUN step's exit code here; others only in the message.
      if (typeof msg.errorDetail?.code === 'number' && msg.errorDetail.code > 0) this.errorCode = msg.errorDetail.code;
    } else if (typeof msg.stream === 'string') this.classic.write(msg.stream);
  }

  private handleTrace(aux: string): void {
    const status = decodeBuildkitStatus(aux);
    for (const v of status.vertexes) this.updateVertex(v);
    for (const log of status.logs) {
      const step = this.steps.get(log.vertex);
      if (!step) continue;
      for (const text of log.text.split('\n').map((l) => l.trimEnd())) {
        if (!text) continue;
        step.log.push(text);
        if (step.log.length > LOG_TAIL * 4) step.log.splice(0, step.log.length - LOG_TAIL);
        this.print(`  #${step.number} | ${text}`);
      }
    }
    for (const w of status.warnings) this.print(`  WARNING: ${w.text}`);
  }

  private updateVertex(v: VertexUpdate): void {
    let step = this.steps.get(v.digest);
    if (!step) {
      step = {
        digest: v.digest,
        name: v.name,
        number: this.steps.size + 1,
        cached: false,
        log: [],
        printedStart: false,
        printedEnd: false,
      };
      this.steps.set(v.digest, step);
    }
    step.name = v.name || step.name;
    step.cached ||= v.cached;
    step.started ??= v.started;
    step.completed ??= v.completed;
    if (v.error) step.error = v.error;
    const visible = DOCKERFILE_STEP.test(step.name) || EXPORT_VERTEX.test(step.name);
    if (visible && step.started && !step.completed && !step.printedStart && !step.cached) {
      step.printedStart = true;
      this.print(`  #${step.number} ${step.name}`);
    }
    if (step.error && !step.printedEnd) {
      step.printedEnd = true;
      this.print(`  #${step.number} ERROR ${step.name}: ${step.error}`);
    } else if (visible && step.completed && !step.printedEnd) {
      step.printedEnd = true;
      if (step.cached) this.print(`  #${step.number} CACHED ${step.name}`);
      else this.print(`  #${step.number} DONE ${formatSeconds((step.completed - (step.started ?? step.completed)) / 1000)} ${step.name}`);
    }
  }
}

function exitCodeOf(message: string): number | undefined {
  // BuildKit: "exit code: 3"; Docker's classic builder: "returned a non-zero code: 3"; Podman (buildah): "exit status 3".
  const m = /exit code: (\d+)/.exec(message) ?? /returned a non-zero code: (\d+)/.exec(message) ?? /\bexit status (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * The classic builders' text stream, Docker's and Podman's (buildah), as it arrives in the
 * `stream` fields of POST /build without BuildKit:
 *
 *   Docker   "Step 2/5 : RUN ..."  " ---> Running in <id>"  " ---> Using cache"  " ---> <12 hex>"
 *            "Removing intermediate container <id>"  "Successfully built <12 hex>"
 *   Podman   "STEP 2/5: RUN ..." or, with several stages, "[2/3] STEP 2/5: RUN ..."
 *            "--> Using cache <64 hex>"  "--> <11 hex>"  "COMMIT [name]"  "<64 hex>"  "Successfully built <12 hex>"
 *
 * Both builders turn each label passed with the build into a LABEL step of their own, appended
 * to a stage (Docker: the stage built; Podman: the Dockerfile's last stage, and only that one):
 * `appendedLabelSteps` says how many, so they are left out of the counts and the numbering.
 */

export interface ClassicStep {
  /** As shown: `[2/2] RUN ...`, or `[build 3/4] RUN ...` for a named Podman stage. */
  name: string;
  instruction: string;
  cached: boolean;
  /** Builder bookkeeping (FROM, the appended label steps): not a Dockerfile step that ran or was cached. */
  counted: boolean;
  log: string[];
}

export interface ClassicOptions {
  /** Label steps the builder appends to the stage being built (0 when it appends none there). */
  appendedLabelSteps?: number;
}

const LOG_KEEP = 100;
const DOCKER_STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const PODMAN_STEP = /^(?:\[(\d+)\/(\d+)\] )?STEP (\d+)\/(\d+): (.*)$/;
const CACHE_HIT = /^ ?---?> Using cache\b/;
/** Lines that only report the builder's own progress: never part of a step's log. */
const CHATTER = [
  /^ ---> (?:Running in [0-9a-f]+|[0-9a-f]{12,64})$/,
  /^Removing intermediate container [0-9a-f]+$/,
  /^--> [0-9a-f]{11,64}$/,
  /^(?:\[\d+\/\d+\] )?COMMIT(?: \S+)?$/,
  /^Successfully (?:built|tagged) \S+$/,
  /^[0-9a-f]{64}$/,
];

export class ClassicProgress {
  readonly steps: ClassicStep[] = [];
  private current?: ClassicStep;
  private buffer = '';
  private builtId?: string;
  private stageAlias = new Map<number, string>();

  constructor(
    private readonly print: (line: string) => void,
    private readonly options: ClassicOptions = {},
  ) {}

  /** Text of one `stream` message; lines may be split across messages. */
  write(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.line(line);
    }
  }

  /** The rest of a line the stream ended (or failed) in the middle of. */
  flush(): void {
    if (this.buffer) this.line(this.buffer);
    this.buffer = '';
  }

  /** The step running when the stream ended: the failing one when the build failed. */
  get lastStep(): ClassicStep | undefined {
    return this.current;
  }

  /** The image id the text announced (`Successfully built`, or Podman's bare id line); the `aux` message is preferred. */
  get announcedId(): string | undefined {
    return this.builtId;
  }

  get counted(): ClassicStep[] {
    return this.steps.filter((s) => s.counted);
  }

  private line(raw: string): void {
    const line = raw.trimEnd();
    if (!line.trim()) return;
    const step = this.header(line);
    if (step) {
      this.current = step;
      this.steps.push(step);
      if (step.counted) this.print(`  ${step.name}`);
      return;
    }
    if (CACHE_HIT.test(line)) {
      if (this.current) {
        this.current.cached = true;
        if (this.current.counted) this.print('    CACHED');
      }
      return;
    }
    const built = /^Successfully built ([0-9a-f]{12,64})$/.exec(line) ?? /^([0-9a-f]{64})$/.exec(line);
    // A full id (Podman's bare line) beats the short one of "Successfully built" that follows it.
    if (built && (built[1].length === 64 || !this.builtId?.startsWith('sha256:')))
      this.builtId = built[1].length === 64 ? `sha256:${built[1]}` : built[1];
    if (CHATTER.some((re) => re.test(line))) return;
    if (this.current) {
      this.current.log.push(line);
      if (this.current.log.length > LOG_KEEP * 2) this.current.log.splice(0, this.current.log.length - LOG_KEEP);
    }
    this.print(`    ${line}`);
  }

  private header(line: string): ClassicStep | undefined {
    const appended = this.options.appendedLabelSteps ?? 0;
    const docker = DOCKER_STEP.exec(line);
    if (docker) {
      // Docker numbers steps across all stages; its label steps come last.
      const [n, total, instruction] = [Number(docker[1]), Number(docker[2]), docker[3]];
      const labelStep = appended > 0 && n > total - appended && /^LABEL\b/i.test(instruction);
      return this.make(`[${n}/${total - appended}] ${instruction}`, instruction, labelStep);
    }
    const podman = PODMAN_STEP.exec(line);
    if (!podman) return undefined;
    const stage = podman[1] ? Number(podman[1]) : 1;
    const stages = podman[2] ? Number(podman[2]) : 1;
    const [n, total, instruction] = [Number(podman[3]), Number(podman[4]), podman[5]];
    const alias = /^FROM\s.*\sAS\s+(\S+)\s*$/i.exec(instruction);
    if (alias) this.stageAlias.set(stage, alias[1].toLowerCase());
    // Podman numbers steps per stage; its label steps end the last stage.
    const last = stage === stages;
    const shift = last ? appended : 0;
    const labelStep = shift > 0 && n > total - shift && /^LABEL\b/i.test(instruction);
    const prefix = stages > 1 ? `${this.stageAlias.get(stage) ?? `stage-${stage - 1}`} ` : '';
    return this.make(`[${prefix}${n}/${total - shift}] ${instruction}`, instruction, labelStep);
  }

  private make(name: string, instruction: string, labelStep: boolean): ClassicStep {
    return { name, instruction, cached: false, counted: !labelStep && !/^FROM\b/i.test(instruction), log: [] };
  }
}

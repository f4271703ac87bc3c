import { DockerfileModel, isRemoteSource, StageModel } from './read-dockerfile';
import { substitute } from './substitute';
import { VariableHistory } from './variable-history';

/**
 * The deciding step: which images a Dockerfile needs, and which context paths it reads, under given
 * build args. Scoping follows Docker:
 * - global ARGs (before the first FROM) are visible to FROM lines only;
 * - inside a stage, `ARG NAME` re-imports the global value and `ARG NAME=x` declares a new one;
 * - a build arg overrides only an ARG that is declared (Docker ignores the others);
 * - ENV wins over an ARG of the same name, and a stage built FROM another stage inherits its ENV.
 */

export interface ImageDependency {
  kind: 'from' | 'copy-from' | 'mount-from';
  /** The reference after build-arg substitution. */
  reference: string;
  /** As written in the Dockerfile. */
  raw: string;
  line: number;
  /** Index of the stage the instruction is in. */
  stage: number;
  /** Variables the reference needed that had no value: the reference is uncertain when non-empty. */
  unresolved: string[];
}

export interface DependencyOptions {
  /** The `--target` stage: only the stages it needs count. */
  target?: string;
}

export interface ContextSources {
  /** Context paths the Dockerfile reads, expanded, as written (relative to the context root). */
  paths: string[];
  /** Each fully resolved source with the instruction and line that reads it, for messages that name the line. */
  entries: { path: string; line: number; instruction: 'COPY' | 'ADD' | 'RUN --mount' }[];
  /** True when some source could not be fully resolved: the caller must assume the whole context is read. */
  dynamic: boolean;
}

/**
 * BuildKit's automatic platform ARGs. Their values depend on the machine and `--platform`, which this
 * module cannot know: they stay unresolved (unless the caller passes them as build args), never an error.
 */
export const AUTOMATIC_PLATFORM_ARGS: readonly string[] = [
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
];

export function imageDependencies(
  model: DockerfileModel,
  buildArgs: Record<string, string>,
  opts: DependencyOptions = {},
): ImageDependency[] {
  const resolved = resolveStages(model, buildArgs);
  const needed = neededStages(resolved, opts.target);
  return resolved.filter((s) => needed.has(s.index)).flatMap((s) => s.dependencies);
}

export function contextSources(model: DockerfileModel, buildArgs: Record<string, string>, opts: DependencyOptions = {}): ContextSources {
  const resolved = resolveStages(model, buildArgs);
  const needed = neededStages(resolved, opts.target);
  const paths: string[] = [];
  const entries: ContextSources['entries'] = [];
  let dynamic = false;
  for (const stage of resolved.filter((s) => needed.has(s.index))) {
    for (const entry of stage.model.contextSources) {
      for (const raw of entry.sources) {
        const expanded = stage.scopeAt(entry.line).expand(raw);
        if (expanded.unresolved.length > 0 || expanded.error) dynamic = true;
        // A variable may turn out to hold a URL (ADD $URL /): still not a context path.
        else if (!isRemoteSource(expanded.value)) {
          if (!paths.includes(expanded.value)) paths.push(expanded.value);
          entries.push({ path: expanded.value, line: entry.line, instruction: entry.instruction });
        }
      }
    }
  }
  return { paths, entries, dynamic };
}

/** A variable's value as far as we know it; `unknown` values exist but cannot be known here. */
interface Value {
  value?: string;
  unknown?: boolean;
  /** Variables this value was built from that had no value. */
  unresolved: string[];
}

interface Expanded {
  value: string;
  unresolved: string[];
  error?: string;
}

/** Where variables are looked up: the global ARGs, or a stage's ARGs and ENVs at one point. */
interface Lookup {
  get(name: string): Value | undefined;
}

class Scope {
  constructor(
    private readonly escapeChar: string,
    private readonly lookup: Lookup,
  ) {}

  get(name: string): Value | undefined {
    return this.lookup.get(name);
  }

  expand(text: string): Expanded {
    // Looked up name by name: building a map of every variable for each expansion was quadratic.
    const vars = { get: (name: string) => (this.get(name)?.unknown ? undefined : this.get(name)?.value) };
    const unknown = { has: (name: string) => this.get(name)?.unknown === true };
    const r = substitute(text, vars, this.escapeChar, { unknown });
    // A variable built from unresolved ones passes their uncertainty on (ARG BASE=$REGISTRY/base).
    const unresolved = new Set(r.unresolved);
    for (const name of r.used) for (const u of this.get(name)?.unresolved ?? []) unresolved.add(u);
    return { value: r.value, unresolved: [...unresolved], ...(r.error ? { error: r.error } : {}) };
  }
}

/** A stage's ARGs and ENVs, declaration by declaration; ENV wins over an ARG of the same name. */
class StageVariables {
  readonly args = new VariableHistory<Value>();
  readonly envs: VariableHistory<Value>;
  /** Line of each declaration, in order: an instruction on line L sees the declarations on earlier lines. */
  private readonly lines: number[] = [];

  constructor(inheritedEnv: ReadonlyMap<string, Value>) {
    this.envs = new VariableHistory(inheritedEnv);
  }

  declare(kind: 'arg' | 'env', name: string, line: number, value: Value): void {
    (kind === 'arg' ? this.args : this.envs).set(name, this.lines.length, value);
    this.lines.push(line);
  }

  /** The scope the next declaration sees (every declaration so far, as Docker reads them in order). */
  beforeNext(): Lookup {
    const at = this.lines.length;
    return { get: (name) => this.envs.get(name, at) ?? this.args.get(name, at) };
  }

  /** The scope of an instruction on `line`. */
  atLine(line: number): Lookup {
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid] < line) lo = mid + 1;
      else hi = mid;
    }
    return { get: (name) => this.envs.get(name, lo) ?? this.args.get(name, lo) };
  }
}

interface ResolvedStage {
  index: number;
  model: StageModel;
  dependencies: ImageDependency[];
  /** Stages this one needs: its FROM stage and the stages it copies or mounts from. */
  needs: Set<number>;
  /** ENV at the end of the stage, inherited by stages built FROM it. */
  finalEnv: Map<string, Value>;
  scopeAt(line: number): Scope;
}

/** The stage indexes a build of `target` (default: the last stage) runs. */
export function stagesNeeded(model: DockerfileModel, buildArgs: Record<string, string>, target?: string): Set<number> {
  return neededStages(resolveStages(model, buildArgs), target);
}

function resolveStages(model: DockerfileModel, buildArgs: Record<string, string>): ResolvedStage[] {
  const hasBuildArg = (name: string) => Object.prototype.hasOwnProperty.call(buildArgs, name);
  const esc = model.escapeChar;

  // Global scope: the automatic platform args, then the declared global ARGs in order. A build arg
  // for a name that no global ARG declares does NOT reach FROM lines: Docker ignores it there.
  const globals = new Map<string, Value>();
  for (const name of AUTOMATIC_PLATFORM_ARGS)
    globals.set(name, hasBuildArg(name) ? { value: buildArgs[name], unresolved: [] } : { unknown: true, unresolved: [] });
  const globalScope = new Scope(esc, globals);
  for (const arg of model.globalArgs) {
    globals.set(
      arg.name,
      declare(arg.name, arg.defaultValue, globalScope, () => globals.get(arg.name) ?? { unresolved: [] }),
    );
  }

  function declare(name: string, defaultValue: string | undefined, scope: Scope, inherited: () => Value): Value {
    if (hasBuildArg(name)) return { value: buildArgs[name], unresolved: [] };
    if (defaultValue === undefined) return inherited();
    const e = scope.expand(defaultValue);
    return { value: e.value, unresolved: e.unresolved };
  }

  // Stage names compare case-insensitively; with duplicate names the latest one wins, as in BuildKit's name map.
  const stageRef = (value: string, earlierThan = model.stages.length): number | undefined =>
    latestStageNamed(model.stages.slice(0, earlierThan), value);

  const resolved: ResolvedStage[] = [];
  for (const stage of model.stages) {
    const needs = new Set<number>();
    const dependencies: ImageDependency[] = [];
    const add = (kind: ImageDependency['kind'], raw: string, line: number, e: Expanded) =>
      dependencies.push({ kind, reference: e.value, raw, line, stage: stage.index, unresolved: e.unresolved });

    // FROM sees the global scope only, and can name earlier stages only.
    const from = stage.from.raw === '' ? undefined : globalScope.expand(stage.from.raw);
    const parent = from ? stageRef(from.value, stage.index) : undefined;
    if (parent !== undefined) needs.add(parent);
    else if (from && !isScratch(from.value)) add('from', stage.from.raw, stage.from.line, from);

    // The stage's scope, instruction by instruction: ARGs (re-importing globals) and ENVs (inherited from a parent stage).
    const vars = new StageVariables(parent !== undefined ? resolved[parent].finalEnv : new Map());
    const declarations = [
      ...stage.args.map((a) => ({ kind: 'arg' as const, ...a })),
      ...stage.envs.map((e) => ({ kind: 'env' as const, ...e })),
    ].sort((a, b) => a.line - b.line);
    for (const d of declarations) {
      const scope = new Scope(esc, vars.beforeNext());
      if (d.kind === 'arg')
        vars.declare(
          'arg',
          d.name,
          d.line,
          declare(d.name, d.defaultValue, scope, () => globals.get(d.name) ?? { unresolved: [] }),
        );
      else {
        const e = scope.expand(d.value);
        vars.declare('env', d.name, d.line, { value: e.value, unresolved: e.unresolved });
      }
    }
    const scopeAt = (line: number) => new Scope(esc, vars.atLine(line));
    const envs = vars.envs.final();

    // COPY --from and RUN --mount from= can name any stage (BuildKit looks them up among all stages) or a stage number.
    const refs = [
      ...stage.copyFroms.map((c) => ({ kind: 'copy-from' as const, ...c })),
      ...stage.mountFroms.map((m) => ({ kind: 'mount-from' as const, ...m })),
    ].sort((a, b) => a.line - b.line);
    for (const ref of refs) {
      const e = scopeAt(ref.line).expand(ref.raw);
      if (/^[0-9]+$/.test(e.value)) {
        const index = Number(e.value);
        if (index < model.stages.length) needs.add(index);
        continue;
      }
      const index = stageRef(e.value);
      if (index !== undefined) needs.add(index);
      else if (!isScratch(e.value)) add(ref.kind, ref.raw, ref.line, e);
    }

    resolved.push({ index: stage.index, model: stage, dependencies, needs, finalEnv: envs, scopeAt });
  }
  return resolved;
}

/**
 * Stages that count. With a target, BuildKit builds only the target and the stages it needs, so only
 * those contribute. Without one we count every stage: the classic builder builds them all, and a
 * missed edge (building on a stale parent) costs more than an extra one (an unneeded rebuild).
 * An unknown target also counts every stage, for the same reason; Docker will report the bad target.
 */
function neededStages(stages: ResolvedStage[], target: string | undefined): Set<number> {
  const all = new Set(stages.map((s) => s.index));
  if (target === undefined) return all;
  const start = latestStageNamed(
    stages.map((s) => s.model),
    target,
  );
  if (start === undefined) return all;
  const needed = new Set<number>();
  const visit = (index: number) => {
    if (needed.has(index)) return;
    needed.add(index);
    stages[index]?.needs.forEach(visit);
  };
  visit(start);
  return needed;
}

function latestStageNamed(stages: StageModel[], name: string): number | undefined {
  const lower = name.toLowerCase();
  for (let i = stages.length - 1; i >= 0; i--) if (stages[i].name === lower) return stages[i].index;
  return undefined;
}

function isScratch(reference: string): boolean {
  return reference.toLowerCase() === 'scratch';
}

/** The plain model read-dockerfile.ts makes of a Dockerfile (kept apart so its checks can name these types). */
export interface ArgDeclaration {
  name: string;
  /** Raw default, unexpanded (quotes and escapes as written). */
  defaultValue?: string;
  line: number;
}

export interface EnvDeclaration {
  name: string;
  /** Raw value, unexpanded. */
  value: string;
  line: number;
}

export interface ContextSource {
  sources: string[];
  line: number;
  instruction: 'COPY' | 'ADD' | 'RUN --mount';
}

export interface StageModel {
  index: number;
  /** Alias from `AS name`, lower-cased as Docker does. */
  name?: string;
  /** Raw image text of FROM, unexpanded. */
  from: { raw: string; line: number; platform?: string };
  /** ARGs declared inside this stage, in order. */
  args: ArgDeclaration[];
  /** ENVs set inside this stage, in order: they win over ARGs of the same name when expanding. */
  envs: EnvDeclaration[];
  /** `COPY --from=X` (raw X); line is the flag's line. */
  copyFroms: { raw: string; line: number }[];
  /** `RUN --mount=...,from=X` (raw X) of any mount type; line is the flag's line. */
  mountFroms: { raw: string; line: number }[];
  /** Build-context paths read: COPY/ADD without --from, and `RUN --mount=type=bind` without from= (source, default '.'). */
  contextSources: ContextSource[];
  /** ONBUILD COPY/ADD: what an image built FROM this stage's image reads from its own context, and copies from other images. */
  onbuild?: { contextSources: ContextSource[]; copyFroms: { raw: string; line: number }[] };
}

export interface DockerfileProblem {
  file: string;
  line: number;
  /** Says what is wrong and what to do. */
  message: string;
}

export interface DockerfileModel {
  file: string;
  escapeChar: string;
  /** ARGs before the first FROM: the only variables FROM lines can use. */
  globalArgs: ArgDeclaration[];
  stages: StageModel[];
  problems: DockerfileProblem[];
}

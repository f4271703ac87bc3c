import type { DockerfileModel, ImageDependency } from '../../inference/dockerfile';
import type { BaseLock } from '../../inference/lock/lock-file';
import type { BuildContextFiles } from './build-context';
import type { BuildSettings } from './build-settings';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';
import type { PlanRow } from '../input-records/plan-row';

/** One build task as Nx gives it, whichever way it runs (the command, the executor). */
export interface BuildTask {
  root: string;
  project: string;
  target: string;
  /** The task's Nx hash, when Nx gave one. */
  nxHash?: string;
  /** The target's settings with the command line's options over them. */
  options: BuildExecutorOptions;
  /** The settings the command line changed (a changed build arg is another image: tag-policy.ts). */
  overrides: string[];
  /** What a real run would do with this task (its Nx hash, cache status, why): asked only by a dry run. */
  outlook?: () => Promise<PlanRow | { error: string }>;
}

/**
 * Everything a build is, read from the workspace before the engine is asked anything: computed
 * once by prepareBuild and read by the build, its record, the dry run and the plan.
 */
export interface BuildPlan {
  task: BuildTask;
  /** The options with their defaults (`parents`, `tags`). */
  options: BuildExecutorOptions & { parents: BuildExecutorOptions['parents']; tags: string[] };
  /** `asr (cpu, linux/arm64)`: how output and errors name the build. */
  label: string;
  dockerfile: { path: string; absolute: string; text: string; model: DockerfileModel };
  /** The Dockerfile the engine gets: locked bases by digest, stages other images build replaced by them. */
  sentDockerfile: string;
  /** The Dockerfile's path inside the context tar, or undefined when it is sent as an extra file. */
  dockerfileInContext?: string;
  contextDir: string;
  /** Build args as given, the manifest's then the command line's, templates unexpanded (what Nx hashes). */
  givenArgs: Record<string, string>;
  /** Args expanded, tags, references, labels. */
  settings: BuildSettings;
  /** Why the configured tags were not used (a command-line override). */
  tagNote?: string;
  /** One platform's build of a multi-platform image: the plain tags, which the index gets. */
  indexTags?: string[];
  /** The images the stages built name (FROM, COPY --from, RUN --mount from=), after the args. */
  dependencies: ImageDependency[];
  /** Of those, the external bases: not a workspace parent, each once. */
  bases: string[];
  lock?: BaseLock;
  /** Why images.lock.json cannot be read: the build fails on it. */
  lockProblem?: string;
  /** Registry digests of the bases the lock pins by digest (the sent Dockerfile names them). */
  lockedDigests: Map<string, string>;
  /** Workspace parents, their references with build-time templates filled in. */
  parents: BuildExecutorOptions['parents'];
  context: {
    /** Context paths the Dockerfile reads; undefined: the whole context. */
    sources?: string[];
    /** The context's files the build reads (the Dockerfile not counted unless the build reads it). */
    files: BuildContextFiles;
    /** Whether the whole context is read because a base or parent has ONBUILD triggers. */
    onBuild: boolean;
  };
}

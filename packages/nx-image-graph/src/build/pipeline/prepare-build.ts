import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { imageDependencies, readDockerfile } from '../../inference/dockerfile';
import { readLockFor, type BaseLock } from '../../inference/lock/lock-file';
import { pinReferences } from '../../inference/lock/pin-references';
import { platformBuildTags } from '../platforms/build-platform';
import { expandArgTemplates } from '../../inference/tags/arg-templates';
import { BuildFailure } from './build-failure';
import { buildContextFiles, readSources } from './build-context';
import type { BuildPlan, BuildTask } from './build-plan';
import { givenArgs, resolveBuildSettings } from './build-settings';
import { gitRevision } from './git-revision';
import { lockedBase } from './locked-bases';
import { ociLabels } from './oci-labels';
import { parentRevisions } from './parent-revisions';
import { replaceStages } from './stage-images';
import { tagPolicy } from './tag-policy';

/** Stands for an Nx hash not known here in `{hash}`: a dry run has another hash (its own overrides are hashed), a plan none yet. */
export const HASH_STANDIN = '0'.repeat(64);

export interface PrepareOptions {
  /** What `{hash}` is filled with: the task's Nx hash unless given (a dry run has another hash). */
  hash?: string;
  /** Derive the OCI labels from git (default true): the build sets them, a dry run or a plan does not need them. */
  ociLabels?: boolean;
  /** Read the whole context, as for a base with ONBUILD triggers (the plan knows it from the last build). */
  onBuild?: boolean;
}

/** `asr (cpu, linux/arm64)`: the project, with the variant and the platform of one platform's build. */
export function buildLabel(task: BuildTask): string {
  const o = task.options;
  const parts = [o.variant, o.platformTags ? o.platform : undefined].filter(Boolean);
  return `${task.project}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * A build's plan, from the workspace alone (no engine): its Dockerfile as the engine will get it,
 * args, tags and labels, external bases under the lock, parents, and the context files it reads.
 * Every problem is a BuildFailure naming the file or the field.
 */
export async function prepareBuild(task: BuildTask, opts: PrepareOptions = {}): Promise<BuildPlan> {
  const options = { ...task.options, parents: task.options.parents ?? [], tags: task.options.tags ?? [] };
  const { root } = task;
  const absolute = join(root, options.dockerfile);
  const contextDir = join(root, options.context);
  if (!existsSync(absolute)) throw new BuildFailure(`Dockerfile ${options.dockerfile} does not exist`);
  if (!existsSync(contextDir)) throw new BuildFailure(`build context ${options.context} does not exist`);
  const text = readFileSync(absolute, 'utf8');
  const model = readDockerfile(text, options.dockerfile);
  const hash = opts.hash ?? task.nxHash;
  const onBuild = opts.onBuild ?? false;

  let settings, tagNote, indexTags, args: Record<string, string>;
  try {
    args = givenArgs(options);
    const labels =
      opts.ociLabels === false || options.ociLabels === false
        ? {}
        : ociLabels(root, {
            title: task.project,
            dockerfile: options.dockerfile,
            context: options.context,
            sources: readSources(model, args, options.target, false),
            extraInputs: options.inputs,
            parentRevisions: parentRevisions(root, options.parents),
          });
    // The git commit only for templates that name it ({git.sha}): no git process otherwise.
    const git = [...options.tags, ...Object.values(args)].some((t) => t.includes('{git.')) ? gitRevision(root) : undefined;
    settings = resolveBuildSettings(options, { projectName: task.project, args, hash, git, now: new Date(), ociLabels: labels });
    const policy = tagPolicy(settings.tags, task.overrides, hash);
    if (policy.note) {
      tagNote = policy.note;
      settings = { ...settings, tags: policy.tags, references: policy.tags.map((t) => `${options.repository}:${t}`) };
    } else if (options.platformTags && options.platform) {
      // One platform of a multi-platform image: tags of its own (latest-linux-arm64); the plain ones go to the index.
      ({ indexTags, ...settings } = { ...settings, ...platformBuildTags(settings.tags, options.repository, options.platform) });
    }
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }

  // A parent named through a templated arg (`acme/base:sha-{git.sha}`) is pinned under the reference the FROM will read.
  const parents = options.parents.map((p) => ({
    ...p,
    reference: expandArgTemplates({ r: p.reference }, settings.tagContext, { dynamic: true }).r,
  }));
  const parentRefs = new Set(options.parents.map((p) => p.reference));
  const dependencies = imageDependencies(model, settings.args, { target: options.target });
  const bases = dependencies.map((d) => d.reference).filter((r, i, all) => r && !parentRefs.has(r) && all.indexOf(r) === i);
  // A lock that cannot be read fails the build (run-build.ts); a dry run names it and goes on.
  let lock: BaseLock | undefined;
  let lockProblem: string | undefined;
  try {
    // Only a problem of the lock that concerns this build's bases fails it (another base's bad entry blocks the builds on that one).
    lock = readLockFor(root, bases);
  } catch (e) {
    lockProblem = (e as Error).message;
  }
  // images.lock.json pins external bases by registry digest: the sent Dockerfile names the digest.
  const lockedDigests = new Map(bases.flatMap((b) => (lockedBase(b, lock).digest ? [[b, lockedBase(b, lock).digest!] as const] : [])));
  let sentDockerfile: string;
  try {
    // Stages other images build are taken from their exact images.
    const stageImages = new Map(parents.filter((p) => p.stage).map((p) => [p.stage!, p.reference]));
    sentDockerfile = replaceStages(pinReferences(text, dependencies, lockedDigests), model, stageImages);
  } catch (e) {
    throw new BuildFailure(`${options.dockerfile}: ${(e as Error).message}`);
  }
  const inContext = relative(contextDir, absolute).split('\\').join('/');
  // The Dockerfile goes in the context as it is, unless it lies outside it or is sent rewritten.
  const dockerfileInContext = !inContext.startsWith('..') && sentDockerfile === text ? inContext : undefined;

  // Exactly what the build reads, the files Nx hashed: never the repository's node_modules next to it.
  const sources = readSources(model, settings.args, options.target, onBuild);
  let files;
  try {
    files = await buildContextFiles(contextDir, absolute, sources, []);
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
  return {
    task,
    options,
    label: buildLabel(task),
    dockerfile: { path: options.dockerfile, absolute, text, model },
    sentDockerfile,
    ...(dockerfileInContext !== undefined ? { dockerfileInContext } : {}),
    contextDir,
    givenArgs: args,
    settings,
    ...(tagNote ? { tagNote } : {}),
    ...(indexTags ? { indexTags } : {}),
    dependencies,
    bases,
    ...(lock ? { lock } : {}),
    ...(lockProblem ? { lockProblem } : {}),
    lockedDigests,
    parents,
    context: { ...(sources ? { sources } : {}), files, onBuild },
  };
}

/** The plan again with the whole context read: a base or parent turned out to have ONBUILD triggers. */
export async function withWholeContext(plan: BuildPlan): Promise<BuildPlan> {
  if (plan.context.onBuild) return plan;
  try {
    const files = await buildContextFiles(plan.contextDir, plan.dockerfile.absolute, undefined, []);
    return { ...plan, context: { files, onBuild: true } };
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
}

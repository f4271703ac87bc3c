import type { ExecutorContext } from '@nx/devkit';
import type Docker from 'dockerode';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { packContext } from '../../context/context-tar';
import { imageDependencies, readDockerfile } from '../../dockerfile';
import { buildImage } from '../../engine/build-image';
import { BuildOutcome, formatSeconds } from '../../engine/build-progress';
import { pullImage } from '../../registry/push-image';
import { contentTag, registryReference } from '../../registry/registry-reference';
import { connectEngine, EngineInfo } from '../../engine/engine-client';
import { ImageMetadata, removeTemporaryFiles, writeImageMetadata } from '../../metadata/image-metadata';
import { ARCHIVE_SUFFIX, IMAGE_ID_SUFFIX } from '../../metadata/output-files';
import { saveImageArchive } from '../../materialize/image-archive';
import { BuildSettings, parseBuildArgs, resolveBuildSettings } from './build-settings';
import { buildContextFiles, BuildContextFiles, readSources } from './build-context';
import { ociLabels } from './oci-labels';
import { expandArgTemplates } from '../../tags/arg-templates';
import { tagPolicy } from './tag-policy';
import { replaceStages } from './stage-images';
import { executorSettings, missingSettings } from '../../graph/target-settings';
import { FAILURE_SUFFIX } from '../../metadata/output-files';
import { planBuildSession, type BuildSessionPlan } from '../../session/session-settings';
import { sessionReason } from '../../session/session-need';
import { syntaxDirective } from '../../engine/syntax-frontend';
import { redactArgs } from '../../session/secret-args';
import { describeUnsupported, unsupportedFeature } from './builder-features';
import { gitRevision } from './git-revision';
import { parentHasOnBuild, pinParents, recordedParents } from './pin-parents';
import { checkBuildPlatform, parentPlatformProblem, platformBuildTags } from '../../platforms/build-platform';
import { parentsForPlatform } from '../../platforms/parent-platforms';
import { nativePlatform } from '../../platforms/engine-platform';
import { lockReferences } from '../../platforms/reference-lock';
import type { BuildExecutorOptions } from './schema';
import { refuseUnknownOptions } from '../options/unknown-options';
import { buildDryRun } from './dry-run';
import { dryRunRequested } from '../../dry-run/dry-run-hook';
import { readLock, type BaseLock } from '../../lock/lock-file';
import { LOCK_FILE } from '../../lock/lock-key';
import { lockable } from '../../lock/lock-input';
import { pinReferences } from '../../lock/pin-references';
import { engineLockProblem, lockedBase, unlockedNote } from './locked-bases';
import { buildRecord } from '../../plan/build-record';
import { inputsFileOf, readRecordedInputs, writeRecordedInputs } from '../../plan/recorded-inputs';

/** Name the Dockerfile gets inside the context tar when it lives outside the context. */
const OUTSIDE_DOCKERFILE = '.nx-image-graph.Dockerfile';

/**
 * docker-build: settings -> engine -> parents pinned -> context streamed -> build -> tags -> metadata.
 * Tags move and metadata is written only after the build succeeded; a cancelled or failed build leaves both as they were.
 */
export default async function buildExecutor(given: BuildExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('build', given, context);
  if (refused) return refused;
  const started = Date.now();
  // Inferred targets keep their settings in metadata (graph/target-settings.ts); options hold the command line.
  const { settings: options, overrides } = executorSettings(given, context);
  const missing = missingSettings(options, ['dockerfile', 'context', 'repository', 'metadataFile']);
  if (missing) {
    process.stderr.write(`\n✖ ${context.projectName}:${context.targetName}: ${missing}\n`);
    return { success: false };
  }
  options.parents ??= [];
  options.tags ??= [];
  if (dryRunRequested(options)) return buildDryRun(options, context);
  const projectName = context.projectName!;
  const labelParts = [options.variant, options.platformTags ? options.platform : undefined].filter(Boolean);
  const label = `${projectName}${labelParts.length ? ` (${labelParts.join(', ')})` : ''}`;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const failureFile = join(context.root, options.metadataFile).replace(/\.json$/, FAILURE_SUFFIX);
  rmSync(failureFile, { force: true });
  // The failure is also left beside the metadata path, for the run summary to name the step.
  const fail = (message: string, details: { step?: string; exitCode?: number } = {}) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    try {
      mkdirSync(dirname(failureFile), { recursive: true });
      writeFileSync(failureFile, JSON.stringify({ ...details, message }) + '\n');
    } catch {
      // The summary then says "see its output above".
    }
    return { success: false };
  };
  const root = context.root;
  const taskId = `${projectName}:${context.targetName}${context.configurationName ? `:${context.configurationName}` : ''}`;
  // Nx gives forked tasks their hash in the environment; the task graph has it in-process.
  const nxHash = process.env.NX_TASK_HASH || context.taskGraph?.tasks[taskId]?.hash;

  const contextDir = join(root, options.context);
  const dockerfilePath = join(root, options.dockerfile);
  if (!existsSync(dockerfilePath)) return fail(`Dockerfile ${options.dockerfile} does not exist`);
  if (!existsSync(contextDir)) return fail(`build context ${options.context} does not exist`);
  const dockerfileText = readFileSync(dockerfilePath, 'utf8');
  const dockerfileModel = readDockerfile(dockerfileText, options.dockerfile);

  let settings: BuildSettings;
  let tagNote: string | undefined;
  let indexTags: string[] | undefined;
  try {
    const args = { ...options.args, ...parseBuildArgs(options.buildArg) };
    const labels =
      options.ociLabels === false
        ? {}
        : ociLabels(root, { title: projectName, dockerfile: options.dockerfile, context: options.context, sources: readSources(dockerfileModel, args, options.target, false), extraInputs: options.inputs });
    // The git commit only for tags that name it ({git.sha}): no git process otherwise.
    const git = [...options.tags, ...Object.values(args)].some((t) => t.includes('{git.')) ? gitRevision(root) : undefined;
    settings = resolveBuildSettings(options, { projectName, hash: nxHash, git, now: new Date(), ociLabels: labels });
    const policy = tagPolicy(settings.tags, overrides, nxHash);
    if (policy.note) {
      tagNote = policy.note;
      settings = { ...settings, tags: policy.tags, references: policy.tags.map((t) => `${options.repository}:${t}`) };
    } else if (options.platformTags && options.platform) {
      // One platform of a multi-platform image: tags of its own (latest-linux-arm64); the plain ones go to the index.
      ({ indexTags, ...settings } = { ...settings, ...platformBuildTags(settings.tags, options.repository, options.platform) });
    }
  } catch (e) {
    return fail((e as Error).message);
  }

  let docker: Docker, engine: EngineInfo;
  try {
    ({ docker, info: engine } = await connectEngine());
  } catch (e) {
    return fail((e as Error).message);
  }
  const buildkit = options.builder === 'classic' ? false : options.builder === 'buildkit' ? true : engine.buildkit;
  if (options.builder === 'buildkit' && !engine.buildkit) return fail(`builder "buildkit" was asked for, but ${engine.name} ${engine.version} at ${engine.address} has no BuildKit; use "auto" or "classic"`);

  // Without BuildKit, refuse only what this engine's builder cannot build (Podman's builds RUN --mount, for one).
  const builder = { engine: engine.name, version: engine.version, buildkit };
  const unsupported = unsupportedFeature(dockerfileText, builder);
  if (unsupported) return fail(describeUnsupported(options.dockerfile, unsupported, builder));
  // A platform whose RUN steps this engine cannot run fails here, not at its first RUN step.
  let buildPlatform = options.platform;
  try {
    const checked = await checkBuildPlatform(docker, engine, options.platform);
    if (checked.problem) return fail(checked.problem);
    if (checked.note) print(`  NOTE: ${checked.note}`);
    // Which of a per-platform parent's images to build on: the engine's own platform's, without one asked for.
    if (!buildPlatform && options.parents.some((p) => p.platform)) buildPlatform = await nativePlatform(docker, engine);
  } catch (e) {
    return fail(`could not read the engine's platform: ${(e as Error).message}`);
  }
  // Secrets, ssh and registry credentials, answered over the BuildKit session: absent required ones fail here.
  let session: BuildSessionPlan;
  try {
    session = planBuildSession(options, { text: dockerfileText, path: options.dockerfile }, root, buildkit);
  } catch (e) {
    return fail((e as Error).message);
  }
  for (const note of session.notes) print(`  NOTE: ${note}`);

  // External bases: with pull "never" they must already be here; with "always" they are pulled here,
  // one by one, because a builder asked to pull would also pull the workspace parents pinned below.
  const parentRefs = new Set(options.parents.map((p) => p.reference));
  const dependencies = imageDependencies(dockerfileModel, settings.args, { target: options.target });
  const bases = dependencies.map((d) => d.reference).filter((r, i, all) => r && !parentRefs.has(r) && all.indexOf(r) === i);
  // images.lock.json pins external bases: by registry digest (the sent Dockerfile names it) or by the engine's image id (checked here).
  let lock: BaseLock | undefined;
  try {
    lock = readLock(root);
  } catch (e) {
    return fail((e as Error).message);
  }
  const lockedDigests = new Map<string, string>();
  const baseIds: ImageMetadata['bases'] = [];
  // A base with ONBUILD COPY/ADD reads context files this Dockerfile does not name: then the whole context goes.
  let baseHasOnBuild = false;
  for (const base of bases) {
    const { reference, digest, engineId } = lockedBase(base, lock);
    if (digest) lockedDigests.set(base, digest);
    if (lock && !digest && !engineId && lockable(base)) print(`  NOTE: ${unlockedNote(base)}`);
    if (options.pull === 'always' && engineId) print(`  NOTE: ${base} is locked to the engine's image in ${LOCK_FILE}: not pulled`);
    else if (options.pull === 'always') {
      const pulled = await pullImage(docker, reference);
      if (pulled.error) return fail(`could not pull base image ${reference} (pull is "always"): ${pulled.error}`);
    }
    const inspected = await docker.getImage(reference).inspect().catch(() => undefined);
    const id = inspected?.Id;
    if (engineId) {
      const problem = engineLockProblem(base, engineId, id, context.targetName ? `${projectName}:${context.targetName}` : projectName);
      if (problem) return fail(problem);
    }
    if (inspected?.Config?.OnBuild?.length) baseHasOnBuild = true;
    if (!id && options.pull === 'never') return fail(`base image ${reference} is not in the engine and pull is "never"; pull or load it first`);
    baseIds.push({ reference: base, ...(id ? { imageId: id } : {}), ...(digest ? { digest } : {}) });
  }
  // A session only where BuildKit would ask for one (gRPC loads in ~90 ms): the parents are pinned in the engine below.
  const sessionNeed = buildkit
    ? sessionReason({
        secrets: session.secrets.size,
        ssh: session.ssh.length,
        mounts: session.mounts,
        cacheFrom: options.cacheFrom?.length ?? 0,
        syntax: syntaxDirective(dockerfileText),
        basesToFetch: baseIds.filter((b) => !b.imageId || b.digest).length,
        platform: options.platform,
      })
    : undefined;
  let lockedDockerfile: string;
  try {
    lockedDockerfile = pinReferences(dockerfileText, dependencies, lockedDigests);
  } catch (e) {
    return fail(`${options.dockerfile}: ${(e as Error).message}`);
  }
  // Podman appends the build's labels as LABEL steps to the Dockerfile's last stage only (Docker: to the stage built).
  const lastStage = dockerfileModel.stages[dockerfileModel.stages.length - 1];
  const labelStepsOnBuiltStage = engine.name !== 'podman' || !options.target || options.target.toLowerCase() === lastStage?.name;

  // Opt-in: an image for exactly these inputs may already be in a registry (pushed by CI under nx-<hash>).
  let reused: string | undefined;
  if (options.reuseFromRegistry?.length && nxHash) {
    for (const registry of options.reuseFromRegistry) {
      const ref = registryReference(registry, options.repository, contentTag(nxHash));
      const pulled = await pullImage(docker, ref);
      if (pulled.imageId) {
        print(`Reusing ${ref} (${pulled.imageId.slice(7, 19)}): the registry has the image for these exact inputs; not building`);
        reused = pulled.imageId;
        break;
      }
    }
  }

  let parents;
  let expandedParents: BuildExecutorOptions['parents'] = [];
  // Per-platform parent images share a tag in the engine: held from pinning to the build's end (platforms/reference-lock.ts).
  let releaseParents = () => undefined as void;
  try {
    // A parent built per platform is listed per platform: this build's own platform is kept.
    const ownParents = buildPlatform ? parentsForPlatform(options.parents, buildPlatform) : options.parents;
    // A parent named through a templated arg (`acme/base:sha-{git.sha}`) is pinned under the reference the FROM will read.
    expandedParents = ownParents.map((p) => ({ ...p, reference: expandArgTemplates({ r: p.reference }, settings.tagContext, { dynamic: true }).r }));
    if (!reused) releaseParents = await lockReferences(engine.address, expandedParents.filter((p) => p.platform).map((p) => p.reference), print);
    parents = reused ? recordedParents(expandedParents, root) : await pinParents(docker, expandedParents, root, print);
    const mismatch = reused ? undefined : await parentPlatformProblem(docker, parents, options.platform);
    if (mismatch) throw new Error(mismatch);
  } catch (e) {
    releaseParents();
    return fail((e as Error).message);
  }

  for (const p of parents ?? []) {
    if (await parentHasOnBuild(docker, p.imageId)) baseHasOnBuild = true;
  }

  async function runBuild(): Promise<BuildOutcome | { success: boolean }> {
    const dockerfileInContext = relative(contextDir, dockerfilePath);
    // Stages other images build are taken from their exact images: then the sent Dockerfile is rewritten.
    const stageImages = new Map(expandedParents.filter((p) => p.stage).map((p) => [p.stage!, p.reference]));
    const sentDockerfile = replaceStages(lockedDockerfile, dockerfileModel, stageImages);
    const inside = !dockerfileInContext.startsWith('..') && sentDockerfile === dockerfileText;
    // Exactly what the build reads, the files Nx hashed: never the repository's node_modules next to it.
    const sources = readSources(dockerfileModel, settings.args, options.target, baseHasOnBuild);
    try {
      sent = await buildContextFiles(contextDir, dockerfilePath, sources, inside ? [dockerfileInContext.split('\\').join('/')] : []);
    } catch (e) {
      return fail((e as Error).message);
    }
    const warnAt = (options.contextWarnMB ?? 200) * 1e6;
    if (sent.bytes > warnAt) {
      print(
        `  WARNING: the build context ${options.context} sends ${formatBytes(sent.bytes)} to the engine (over ${formatBytes(warnAt)}): ` +
          `${sent.largest.slice(0, 3).map((d) => `${d.path} ${formatBytes(d.bytes)}`).join(', ')}. ` +
          `Exclude what the build does not need in .dockerignore, or copy narrower paths than "COPY . ."`,
      );
    }
    const tar = packContext(contextDir, sent.files, inside ? {} : { extraFiles: [{ name: OUTSIDE_DOCKERFILE, content: sentDockerfile }] });

    const abort = new AbortController();
    const onSignal = () => abort.abort();
    // on, not once: Nx sends a second SIGTERM shortly after the first, which would otherwise kill us mid-cleanup.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    print(`Building ${label} -> ${settings.references.join(', ')} with ${buildkit ? 'BuildKit' : 'the classic builder'} on ${engine.name} ${engine.version}`);
    let outcome;
    try {
      outcome = await buildImage(
        docker,
        {
          context: tar,
          dockerfile: inside ? posix.normalize(dockerfileInContext.split('\\').join('/')) : OUTSIDE_DOCKERFILE,
          buildkit,
          // BUILDKIT_INLINE_CACHE embeds cache metadata so other machines can reuse layers through cacheFrom.
          args: options.inlineCache ? { ...settings.args, BUILDKIT_INLINE_CACHE: '1' } : settings.args,
          labels: settings.labels,
          cacheFrom: options.cacheFrom,
          // Credentials for every registry the build touches, secrets and ssh: BuildKit asks through the session.
          session: sessionNeed ? (await import('../../session/session-services')).sessionServices(session) : undefined,
          redact: session.redact,
          dockerfileText,
          target: options.target,
          platform: options.platform,
          network: options.network,
          noCache: options.noCache,
          labelStepsOnBuiltStage,
          signal: abort.signal,
        },
        print,
      );
    } catch (e) {
      return fail(`the engine stopped the build: ${(e as Error).message}`);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    if (abort.signal.aborted) return fail('cancelled; no tag was moved and no metadata written');
    if (outcome.failure || !outcome.imageId) {
      const f = outcome.failure!;
      const lines = [
        `build failed${f.step ? ` at step ${f.step}` : ''}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}`,
        `  ${f.message}`,
        ...(f.logTail.length ? ['  last lines of its log:', ...f.logTail.map((l) => `    ${l}`)] : []),
        '  No tag was moved and no metadata written.',
      ];
      return fail(lines.join('\n'), { step: f.step, exitCode: f.exitCode });
    }
    return outcome;
  }

  let sent: BuildContextFiles | undefined;
  const outcome = reused ? { imageId: reused, stepsTotal: 0, stepsCached: 0 } : await runBuild().finally(releaseParents);
  if ('success' in outcome) return outcome;
  const image = docker.getImage(outcome.imageId!);
  // Inspected first: a tag already on this image (a rebuild giving the same id) costs no request.
  const before = await image.inspect();
  const missingTags = settings.tags.filter((tag) => !before.RepoTags?.includes(`${options.repository}:${tag}`));
  for (const tag of missingTags) await image.tag({ repo: options.repository, tag });
  const inspected = missingTags.length ? await image.inspect() : before;
  // Podman 4.3, building a target that is not the last stage, reuses a cached stage image with the labels of the build that made it.
  const unlabelled = reused ? [] : Object.keys(settings.labels).filter((k) => inspected.Config?.Labels?.[k] !== settings.labels[k]);
  if (unlabelled.length) print(`  WARNING: ${engine.name} ${engine.version} did not give the image the labels asked for: ${unlabelled.join(', ')}`);
  const metadataPath = join(root, options.metadataFile);
  const idPath = metadataPath.replace(/\.json$/, IMAGE_ID_SUFFIX);
  if (options.archive) {
    try {
      await saveImageArchive(docker, inspected.Id, metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX));
    } catch (e) {
      return fail(`built ${inspected.Id} but could not save its archive: ${(e as Error).message}`);
    }
  }
  const metadata: ImageMetadata = {
    schemaVersion: 1,
    project: projectName,
    target: context.targetName!,
    ...(options.variant ? { variant: options.variant } : {}),
    repository: options.repository,
    tags: settings.tags,
    references: settings.references,
    imageId: inspected.Id,
    size: inspected.Size,
    created: inspected.Created,
    args: redactArgs(settings.args),
    ...(nxHash ? { nxHash } : {}),
    parents,
    bases: baseIds,
    steps: { total: outcome.stepsTotal, cached: outcome.stepsCached },
    durationMs: Date.now() - started,
    engine: { name: engine.name, version: engine.version, apiVersion: engine.apiVersion, builder: buildkit ? 'buildkit' : 'classic' },
    ...(settings.labels['org.opencontainers.image.revision'] ? { git: { sha: settings.labels['org.opencontainers.image.revision'] } } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(indexTags ? { indexTags } : {}),
  };
  try {
    writeImageMetadata(metadataPath, idPath, metadata);
  } catch (e) {
    removeTemporaryFiles(metadataPath, idPath);
    return fail(`built ${inspected.Id} but could not write ${options.metadataFile}: ${(e as Error).message}`);
  }
  // What it was built from, beside the metadata: the next plan and build say why an image rebuilds.
  const inputsPath = inputsFileOf(metadataPath);
  try {
    const contextFiles = sent?.files ?? (await buildContextFiles(contextDir, dockerfilePath, readSources(dockerfileModel, settings.args, options.target, baseHasOnBuild), [])).files;
    const facts = { context: options.context, dockerfile: options.dockerfile, contextFiles, onBuildContext: baseHasOnBuild, parents: parents ?? [], bases: baseIds };
    const args = { ...options.args, ...parseBuildArgs(options.buildArg) };
    writeRecordedInputs(inputsPath, buildRecord(root, { ...facts, args, options, nxHash }, readRecordedInputs(inputsPath)));
  } catch (e) {
    return fail(`built ${inspected.Id} but could not write ${relative(root, inputsPath)}: ${(e as Error).message}`);
  }
  if (tagNote) print(`  NOTE: ${tagNote}`);
  print(
    `✔ ${label}: ${inspected.Id.slice(7, 19)} ${settings.references.join(' ')} ${formatBytes(inspected.Size)}, ` +
      `${outcome.stepsCached}/${outcome.stepsTotal} steps cached, ` +
      `${sent ? `context ${sent.files.length} files ${formatBytes(sent.bytes)}, ` : ''}${formatSeconds((Date.now() - started) / 1000)}`,
  );
  return { success: true };
}

export function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

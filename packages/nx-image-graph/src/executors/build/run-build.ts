import type Docker from 'dockerode';
import { connectEngine, type EngineInfo } from '../../engine/engine-client';
import { imageByLabel } from '../../engine/images-by-label';
import { syntaxDirective } from '../../engine/syntax-frontend';
import type { ImageMetadata } from '../../metadata/image-metadata';
import { checkBuildPlatform, parentPlatformProblem } from '../../platforms/build-platform';
import { nativePlatform } from '../../platforms/engine-platform';
import { parentsForPlatform } from '../../platforms/parent-platforms';
import { lockReferences } from '../../platforms/reference-lock';
import { pullImage } from '../../registry/push-image';
import { contentTag, registryReference } from '../../registry/registry-reference';
import { secretSources } from '../../session/secret-sources';
import { sessionReason } from '../../session/session-need';
import { planBuildSession, type BuildSessionPlan } from '../../session/session-settings';
import { secretValueDigest } from '../../session/secret-digest';
import { BuildFailure } from './build-failure';
import { withFile, type BuildContextFiles } from './build-context';
import type { BuildPlan } from './build-plan';
import { describeUnsupported, unsupportedFeature } from './builder-features';
import { engineBases } from './external-bases';
import { INPUTS_LABEL, inputDigest } from './input-digest';
import { parentHasOnBuild, pinParents } from './pin-parents';
import { withWholeContext } from './prepare-build';
import { sendBuild } from './send-build';

/** What the engine did for a plan: the image and how it came to be, with what it was made of. */
export interface BuildResult {
  docker: Docker;
  engine: EngineInfo;
  buildkit: boolean;
  /** The plan, its context widened where a base or parent turned out to have ONBUILD triggers. */
  plan: BuildPlan;
  imageId: string;
  /** `build`: BuildKit (or the classic builder) built it; `engine`: the engine had an image of these exact inputs; `registry`: pulled by nx-<hash>. */
  source: 'build' | 'engine' | 'registry';
  steps?: { total: number; cached: number };
  parents: ImageMetadata['parents'];
  bases: ImageMetadata['bases'];
  /** The context files sent (or that a build would send), the Dockerfile among them when it goes as it is. */
  files: BuildContextFiles;
  /** The labels asked for, the inputs label among them when the inputs could be known. */
  labels: Record<string, string>;
  inputsDigest?: string;
}

/**
 * The engine's part: builder and platform checked, secrets read, external bases and parents made
 * exactly what the plan says, then the image: the one the engine already has for these inputs
 * (its inputs label), else one a registry has under nx-<hash> (reuseFromRegistry), else a build.
 * Nothing here moves a tag of the image or writes a record: record-build.ts does, after.
 */
export async function runBuild(prepared: BuildPlan, print: (line: string) => void, signal: AbortSignal): Promise<BuildResult> {
  let plan = prepared;
  const { options, task } = plan;
  if (plan.lockProblem) throw new BuildFailure(plan.lockProblem);
  let docker: Docker, engine: EngineInfo;
  try {
    ({ docker, info: engine } = await connectEngine());
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
  const buildkit = options.builder === 'classic' ? false : options.builder === 'buildkit' ? true : engine.buildkit;
  if (options.builder === 'buildkit' && !engine.buildkit) throw new BuildFailure(`builder "buildkit" was asked for, but ${engine.name} ${engine.version} at ${engine.address} has no BuildKit; use "auto" or "classic"`);
  // Without BuildKit, refuse only what this engine's builder cannot build (Podman's builds RUN --mount, for one).
  const builder = { engine: engine.name, version: engine.version, buildkit };
  const unsupported = unsupportedFeature(plan.dockerfile.text, builder);
  if (unsupported) throw new BuildFailure(describeUnsupported(options.dockerfile, unsupported, builder));

  // A platform whose RUN steps this engine cannot run fails here, not at its first RUN step.
  let buildPlatform = options.platform;
  try {
    const checked = await checkBuildPlatform(docker, engine, options.platform);
    if (checked.problem) throw new BuildFailure(checked.problem);
    if (checked.note) print(`  NOTE: ${checked.note}`);
    // Which of a per-platform parent's images to build on: the engine's own platform's, without one asked for.
    if (!buildPlatform && plan.parents.some((p) => p.platform)) buildPlatform = await nativePlatform(docker, engine);
  } catch (e) {
    if (e instanceof BuildFailure) throw e;
    throw new BuildFailure(`could not read the engine's platform: ${(e as Error).message}`);
  }
  // Secrets, ssh and registry credentials, answered over the BuildKit session: absent required ones fail here.
  let session: BuildSessionPlan;
  try {
    session = planBuildSession(options, { text: plan.dockerfile.text, path: options.dockerfile }, task.root, buildkit);
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
  for (const note of session.notes) print(`  NOTE: ${note}`);
  const { bases, onBuild: baseOnBuild } = await engineBases(docker, plan, print);

  // Per-platform parent images share a tag in the engine: held from pinning to the build's end (platforms/reference-lock.ts).
  let release = () => undefined as void;
  let parents: ImageMetadata['parents'];
  try {
    // A parent built per platform is listed per platform: this build's own platform is kept.
    const own = buildPlatform ? parentsForPlatform(plan.parents, buildPlatform) : plan.parents;
    release = await lockReferences(
      engine.address,
      own.filter((p) => p.platform).map((p) => p.reference),
      print,
    );
    parents = await pinParents(docker, own, task.root, print);
    const mismatch = await parentPlatformProblem(docker, parents, options.platform);
    if (mismatch) throw new Error(mismatch);
  } catch (e) {
    release();
    throw new BuildFailure((e as Error).message);
  }
  try {
    // A base or parent with ONBUILD COPY/ADD reads context files this Dockerfile does not name: then the whole context goes.
    let onBuild = baseOnBuild;
    for (const p of parents) if (await parentHasOnBuild(docker, p.imageId)) onBuild = true;
    if (onBuild) plan = await withWholeContext(plan);
    const files = withFile(plan.context.files, plan.contextDir, plan.dockerfileInContext);
    // BUILDKIT_INLINE_CACHE embeds cache metadata so other machines can reuse layers through cacheFrom.
    const args = options.inlineCache ? { ...plan.settings.args, BUILDKIT_INLINE_CACHE: '1' } : plan.settings.args;
    const digest = inputDigest({
      dockerfile: plan.sentDockerfile,
      target: options.target,
      platform: options.platform,
      builder: buildkit ? 'buildkit' : 'classic',
      network: options.network,
      args,
      labels: plan.settings.labels,
      contextDir: plan.contextDir,
      files: files.files,
      parents: parents.map((p) => ({ reference: p.reference, imageId: p.imageId })),
      bases,
      secrets: hashedSecrets(options, session),
    });
    const labels = digest ? { ...plan.settings.labels, [INPUTS_LABEL]: digest } : plan.settings.labels;
    const result = { docker, engine, buildkit, plan, parents, bases, files, labels, ...(digest ? { inputsDigest: digest } : {}) };
    if (signal.aborted) throw new BuildFailure('cancelled; no tag was moved and no metadata written');

    // The engine already holds an image of exactly these inputs (an nx.json edit, a cold Nx cache): that image, no build.
    if (digest && !options.noCache) {
      const found = await imageByLabel(docker, INPUTS_LABEL, digest, plan.settings.references).catch(() => undefined);
      if (found) return { ...result, imageId: found, source: 'engine' };
    }
    // Opt-in: an image for exactly these inputs may already be in a registry (pushed by CI under nx-<hash>).
    if (options.reuseFromRegistry?.length && task.nxHash) {
      for (const registry of options.reuseFromRegistry) {
        const ref = registryReference(registry, options.repository, contentTag(task.nxHash));
        const pulled = await pullImage(docker, ref);
        if (pulled.imageId) {
          print(`Reusing ${ref} (${pulled.imageId.slice(7, 19)}): the registry has the image for these exact inputs; not building`);
          return { ...result, imageId: pulled.imageId, source: 'registry', steps: { total: 0, cached: 0 } };
        }
      }
    }

    // A session only where BuildKit would ask for one (gRPC loads in ~90 ms): the parents are pinned in the engine above.
    const withSession = buildkit
      ? !!sessionReason({
          secrets: session.secrets.size,
          ssh: session.ssh.length,
          mounts: session.mounts,
          cacheFrom: options.cacheFrom?.length ?? 0,
          syntax: syntaxDirective(plan.dockerfile.text),
          basesToFetch: bases.filter((b) => !b.imageId || b.digest).length,
          platform: options.platform,
        })
      : false;
    // Podman appends the build's labels as LABEL steps to the Dockerfile's last stage only (Docker: to the stage built).
    const lastStage = plan.dockerfile.model.stages[plan.dockerfile.model.stages.length - 1];
    const labelStepsOnBuiltStage = engine.name !== 'podman' || !options.target || options.target.toLowerCase() === lastStage?.name;
    const built = await sendBuild(docker, plan, { engine, buildkit, files, labels, args, session, withSession, labelStepsOnBuiltStage, signal }, print);
    return { ...result, imageId: built.imageId, source: 'build', steps: { total: built.stepsTotal, cached: built.stepsCached } };
  } finally {
    release();
  }
}

/** Digests of the secrets marked "hashValue" (as their Nx runtime inputs hash them): a new value is another image. */
function hashedSecrets(options: BuildPlan['options'], session: BuildSessionPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, source] of secretSources(options.secrets, options.secret)) if (source.hashValue) out[id] = secretValueDigest(session.secrets.get(id));
  return out;
}

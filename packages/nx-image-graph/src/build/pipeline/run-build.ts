import type Docker from 'dockerode';
import { join } from 'node:path';
import type { EngineInfo } from '../../clients/engine/engine-client';
import { imageByLabel } from '../../clients/engine/images-by-label';
import { type ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import { pullImage } from '../../clients/registry/push-image';
import { contentTag, registryReference } from '../../inference/references/registry-reference';
import { hashedSecretDigests, planBuildSession, type BuildSessionPlan } from '../../clients/session/session-settings';
import { BuildFailure } from './build-failure';
import { withFile, type BuildContextFiles } from './build-context';
import type { BuildPlan } from './build-plan';
import { buildEngine } from './build-engine';
import { engineBases } from './external-bases';
import { buildInputsDigest, INPUTS_LABEL } from './input-digest';
import { parentHasOnBuild, pinBuildParents } from './pin-parents';
import { withWholeContext } from './prepare-build';
import { sendBuild } from './send-build';
import { cacheFromWarnings } from './cache-from-check';
import { pinnedBasesToFetch, unavailablePinnedBase } from './pinned-bases';
import { cacheImageField, type CacheImage } from '../../clients/engine/inline-cache';

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
  /** With `"inlineCache": true`: the build cache image made beside it (engine/inline-cache.ts). */
  cacheImage?: CacheImage;
}

/**
 * The engine's part: builder and platform checked, secrets read, external bases and parents made
 * exactly what the plan says, then the image: the one the engine already has for these inputs
 * (its inputs label), else one a registry has under nx-<hash> (reuseFromRegistry), else a build.
 * Nothing here moves a tag of the image or writes a record: record-build.ts does, after.
 */
export async function runBuild(
  prepared: BuildPlan,
  print: (line: string) => void,
  signal: AbortSignal,
  warn: (warning: string) => void = (w) => print(`  WARNING: ${w}`),
): Promise<BuildResult> {
  let plan = prepared;
  const { options, task } = plan;
  if (plan.lockProblem) throw new BuildFailure(plan.lockProblem);
  const { docker, engine, buildkit, platform: buildPlatform } = await buildEngine(plan, print);
  // Secrets, ssh and registry credentials, answered over the BuildKit session: absent required ones fail here.
  let session: BuildSessionPlan;
  try {
    session = planBuildSession(options, { text: plan.dockerfile.text, path: options.dockerfile }, task.root, buildkit);
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
  for (const note of session.notes) print(`  NOTE: ${note}`);
  for (const w of await cacheFromWarnings(options.cacheFrom)) warn(w);
  const { bases, onBuild: baseOnBuild } = await engineBases(docker, plan, print);
  // A base pinned by digest that the engine lacks: its registry is asked now, not BuildKit mid-build.
  const unavailable = await unavailablePinnedBase(pinnedBasesToFetch(bases, plan.dependencies), options.dockerfile);
  if (unavailable) throw new BuildFailure(unavailable);

  const { parents, release } = await pinBuildParents(
    docker,
    engine.address,
    { parents: plan.parents, platform: options.platform, root: task.root },
    buildPlatform,
    print,
  );
  try {
    // A base or parent with ONBUILD COPY/ADD reads context files this Dockerfile does not name: then the whole context goes.
    let onBuild = baseOnBuild;
    for (const p of parents) if (await parentHasOnBuild(docker, p.imageId)) onBuild = true;
    if (onBuild) plan = await withWholeContext(plan);
    const files = withFile(plan.context.files, plan.contextDir, plan.dockerfileInContext);
    // Inline cache metadata goes into a cache image of its own (send-build.ts), never into this image's id.
    const args = plan.settings.args;
    const digest = buildInputsDigest(plan, {
      builder: buildkit ? 'buildkit' : 'classic',
      args,
      files: files.files,
      parents,
      bases,
      secrets: hashedSecretDigests(options.secrets, options.secret, session.secrets),
    });
    const labels = digest ? { ...plan.settings.labels, [INPUTS_LABEL]: digest } : plan.settings.labels;
    const result = { docker, engine, buildkit, plan, parents, bases, files, labels, ...(digest ? { inputsDigest: digest } : {}) };
    if (signal.aborted) throw new BuildFailure('cancelled; no tag was moved and no metadata written');

    // The engine already holds an image of exactly these inputs (an nx.json edit, a cold Nx cache): that image, no build.
    // Not with inline cache: its cache image is made by the build (engine/inline-cache.ts).
    if (digest && !options.noCache && !options.inlineCache) {
      const found = await imageByLabel(docker, INPUTS_LABEL, digest, plan.settings.references, recordedFor(plan, digest)).catch(
        () => undefined,
      );
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

    const built = await sendBuild(docker, plan, { engine, buildkit, files, labels, args, session, bases, signal, warn }, print);
    return {
      ...result,
      imageId: built.imageId,
      source: 'build',
      steps: { total: built.stepsTotal, cached: built.stepsCached },
      ...cacheImageField(built),
    };
  } finally {
    release();
  }
}

/** The image this target recorded for the same inputs, if its record is there (an nx.json edit leaves it): asked for first. */
function recordedFor(plan: BuildPlan, digest: string): string[] {
  try {
    const m = readImageMetadata(join(plan.task.root, plan.options.metadataFile));
    return m.inputsDigest === digest ? [m.imageId] : [];
  } catch {
    return [];
  }
}

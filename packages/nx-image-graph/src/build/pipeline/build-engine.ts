import type Docker from 'dockerode';
import { connectEngine, type EngineInfo } from '../../clients/engine/engine-client';
import { checkBuildPlatform } from '../platforms/build-platform';
import { nativePlatform } from '../platforms/engine-platform';
import { BuildFailure } from './build-failure';
import type { BuildPlan } from './build-plan';
import { describeUnsupported, unsupportedFeature } from './builder-features';

/** The engine a build runs on, and what it can build: its builder, and the platform the build is for. */
export interface BuildEngine {
  docker: Docker;
  engine: EngineInfo;
  buildkit: boolean;
  /** The platform asked for; without one, the engine's own where a parent is built per platform. */
  platform?: string;
}

/**
 * Connects to the engine and refuses, before anything is sent, what it cannot build: BuildKit asked
 * of an engine without it, a Dockerfile feature its builder lacks, a platform whose RUN steps it cannot run.
 */
export async function buildEngine(plan: BuildPlan, print: (line: string) => void): Promise<BuildEngine> {
  const { options } = plan;
  let docker: Docker, engine: EngineInfo;
  try {
    ({ docker, info: engine } = await connectEngine());
  } catch (e) {
    throw new BuildFailure((e as Error).message);
  }
  const buildkit = options.builder === 'classic' ? false : options.builder === 'buildkit' ? true : engine.buildkit;
  if (options.builder === 'buildkit' && !engine.buildkit)
    throw new BuildFailure(
      `builder "buildkit" was asked for, but ${engine.name} ${engine.version} at ${engine.address} has no BuildKit; use "auto" or "classic"`,
    );
  // Without BuildKit, refuse only what this engine's builder cannot build (Podman's builds RUN --mount, for one).
  const builder = { engine: engine.name, version: engine.version, buildkit };
  const unsupported = unsupportedFeature(plan.dockerfile.text, builder);
  if (unsupported) throw new BuildFailure(describeUnsupported(options.dockerfile, unsupported, builder));
  let platform = options.platform;
  try {
    const checked = await checkBuildPlatform(docker, engine, options.platform);
    if (checked.problem) throw new BuildFailure(checked.problem);
    if (checked.note) print(`  NOTE: ${checked.note}`);
    // Which of a per-platform parent's images to build on: the engine's own platform's, without one asked for.
    if (!platform && plan.parents.some((p) => p.platform)) platform = await nativePlatform(docker, engine);
  } catch (e) {
    if (e instanceof BuildFailure) throw e;
    throw new BuildFailure(`could not read the engine's platform: ${(e as Error).message}`);
  }
  return { docker, engine, buildkit, ...(platform ? { platform } : {}) };
}

import type Docker from 'dockerode';
import { posix } from 'node:path';
import { packContext } from '../context/context-tar';
import { buildImage } from '../../clients/engine/build-image';
import type { BuildOutcome } from '../../clients/engine/build-progress';
import type { EngineInfo } from '../../clients/engine/engine-client';
import { syntaxDirective } from '../../clients/engine/syntax-frontend';
import { sessionReason } from '../../clients/session/session-need';
import type { BuildSessionPlan } from '../../clients/session/session-settings';
import { BuildFailure } from './build-failure';
import type { BuildContextFiles } from './build-context';
import type { BuildPlan } from './build-plan';
import { contextWarnings } from './context-warnings';
import { cacheImageRequest } from '../../clients/engine/inline-cache';

/** Name the Dockerfile gets inside the context tar when it lives outside the context or is sent rewritten. */
const OUTSIDE_DOCKERFILE = '.nx-image-graph.Dockerfile';

export interface SendRequest {
  engine: EngineInfo;
  buildkit: boolean;
  /** The context files sent, the Dockerfile among them when it goes as it is. */
  files: BuildContextFiles;
  labels: Record<string, string>;
  args: Record<string, string>;
  session: BuildSessionPlan;
  /** The external bases as the engine holds them: one it lacks, or holds only by digest, BuildKit may fetch. */
  bases: { imageId?: string; digest?: string }[];
  signal: AbortSignal;
  /** A warning the run summary repeats (build-warnings.ts). */
  warn: (warning: string) => void;
}

/** The context streamed as a tar and built; a failed step is a BuildFailure with its log's last lines. */
export async function sendBuild(
  docker: Docker,
  plan: BuildPlan,
  request: SendRequest,
  print: (line: string) => void,
): Promise<BuildOutcome & { imageId: string }> {
  const { options } = plan;
  const inside = plan.dockerfileInContext;
  // A session only where BuildKit would ask for one (gRPC loads in ~90 ms): the parents are pinned in the engine already.
  const withSession =
    request.buildkit &&
    !!sessionReason({
      secrets: request.session.secrets.size,
      ssh: request.session.ssh.length,
      mounts: request.session.mounts,
      cacheFrom: options.cacheFrom?.length ?? 0,
      syntax: syntaxDirective(plan.dockerfile.text),
      basesToFetch: request.bases.filter((b) => !b.imageId || b.digest).length,
      platform: options.platform,
    });
  // Podman appends the build's labels as LABEL steps to the Dockerfile's last stage only (Docker: to the stage built).
  const lastStage = plan.dockerfile.model.stages[plan.dockerfile.model.stages.length - 1];
  const labelStepsOnBuiltStage = request.engine.name !== 'podman' || !options.target || options.target.toLowerCase() === lastStage?.name;
  for (const w of contextWarnings(request.files, options.context, options.contextWarnMB)) request.warn(w);
  const packTar = () =>
    packContext(
      plan.contextDir,
      request.files.files,
      inside !== undefined ? {} : { extraFiles: [{ name: OUTSIDE_DOCKERFILE, content: plan.sentDockerfile }] },
    );
  const tar = packTar();
  print(
    `Building ${plan.label} -> ${plan.settings.references.join(', ')} with ${request.buildkit ? 'BuildKit' : 'the classic builder'} on ${request.engine.name} ${request.engine.version}`,
  );
  let outcome: BuildOutcome;
  try {
    outcome = await buildImage(
      docker,
      {
        context: tar,
        dockerfile: inside !== undefined ? posix.normalize(inside) : OUTSIDE_DOCKERFILE,
        buildkit: request.buildkit,
        args: request.args,
        // Inline cache goes into a cache image of its own, never into the recorded image's id (engine/inline-cache.ts).
        cacheImage: cacheImageRequest(options, packTar),
        labels: request.labels,
        cacheFrom: options.cacheFrom,
        // Credentials for every registry the build touches, secrets and ssh: BuildKit asks through the session.
        session: withSession ? (await import('../../clients/session/session-services')).sessionServices(request.session) : undefined,
        redact: request.session.redact,
        dockerfileText: plan.dockerfile.text,
        target: options.target,
        platform: options.platform,
        network: options.network,
        noCache: options.noCache,
        timeoutMinutes: options.timeoutMinutes,
        labelStepsOnBuiltStage,
        signal: request.signal,
      },
      print,
    );
  } catch (e) {
    throw new BuildFailure(`the engine stopped the build: ${(e as Error).message}`);
  }
  if (request.signal.aborted) throw new BuildFailure('cancelled; no tag was moved and no metadata written');
  if (outcome.failure || !outcome.imageId) {
    const f = outcome.failure!;
    const lines = [
      `build failed${f.step ? ` at step ${f.step}` : ''}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}`,
      `  ${f.message}`,
      ...(f.logTail.length ? ['  last lines of its log:', ...f.logTail.map((l) => `    ${l}`)] : []),
      '  No tag was moved and no metadata written.',
    ];
    throw new BuildFailure(lines.join('\n'), { step: f.step, exitCode: f.exitCode });
  }
  return outcome as BuildOutcome & { imageId: string };
}

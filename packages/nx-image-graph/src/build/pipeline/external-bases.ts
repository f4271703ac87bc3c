import type Docker from 'dockerode';
import { LOCK_FILE } from '../../inference/lock/lock-key';
import { lockable } from '../../inference/lock/lock-input';
import type { ImageMetadata } from '../../core/image-records/image-metadata';
import { pullImage } from '../../clients/registry/push-image';
import { BuildFailure } from './build-failure';
import type { BuildPlan } from './build-plan';
import { engineLockProblem, lockedBase, unlockedNote } from './locked-bases';

export interface EngineBases {
  /** Each external base with its image id in the engine (when it holds it) and its locked digest. */
  bases: ImageMetadata['bases'];
  /** A base has ONBUILD triggers: they read context files the Dockerfile does not name. */
  onBuild: boolean;
}

/**
 * The external bases as the engine holds them. With pull "never" they must already be there; with
 * "always" they are pulled here, one by one, because a builder asked to pull would also pull the
 * workspace parents pinned by the build. A base locked to the engine's image must be that image.
 */
export async function engineBases(docker: Docker, plan: BuildPlan, print: (line: string) => void): Promise<EngineBases> {
  const { options, lock } = plan;
  const bases: ImageMetadata['bases'] = [];
  let onBuild = false;
  for (const base of plan.bases) {
    const { reference, digest, engineId } = lockedBase(base, lock);
    if (lock && !digest && !engineId && lockable(base)) print(`  NOTE: ${unlockedNote(base)}`);
    if (options.pull === 'always' && engineId) print(`  NOTE: ${base} is locked to the engine's image in ${LOCK_FILE}: not pulled`);
    else if (options.pull === 'always') {
      const pulled = await pullImage(docker, reference);
      if (pulled.error) throw new BuildFailure(`could not pull base image ${reference} (pull is "always"): ${pulled.error}`);
    }
    const inspected = await docker
      .getImage(reference)
      .inspect()
      .catch(() => undefined);
    const id = inspected?.Id;
    if (engineId) {
      const problem = engineLockProblem(base, engineId, id, `${plan.task.project}:${plan.task.target}`);
      if (problem) throw new BuildFailure(problem);
    }
    if (inspected?.Config?.OnBuild?.length) onBuild = true;
    if (!id && options.pull === 'never')
      throw new BuildFailure(`base image ${reference} is not in the engine and pull is "never"; pull or load it first`);
    bases.push({ reference: base, ...(id ? { imageId: id } : {}), ...(digest ? { digest } : {}) });
  }
  return { bases, onBuild };
}

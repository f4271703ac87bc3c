import type Docker from 'dockerode';
import { lockedBase } from '../../build/pipeline/locked-bases';
import { HASH_STANDIN, prepareBuild } from '../../build/pipeline/prepare-build';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';
import { buildFilePaths, extraInputFiles, fileHashes } from '../../build/input-records/file-hashes';
import type { PlannedInputs, PlannedParent } from '../../build/input-records/input-diff';
import { recordedArgs, RecordedInputs, settingsDigest } from '../../build/input-records/recorded-inputs';

/**
 * A build's inputs as they are now, from the build's own plan (executors/build/prepare-build.ts),
 * recorded the way the build records them (build-record.ts): the same context files, bases and args.
 * Parents come from the plan of the run (their ids, or why not known). Without an engine (docker
 * undefined) the bases are taken as recorded: the plan then says nothing of them.
 */
export async function currentInputs(
  build: { root: string; project: string; target: string; options: BuildExecutorOptions },
  parents: PlannedParent[],
  previous: RecordedInputs | undefined,
  docker: Docker | undefined,
): Promise<PlannedInputs> {
  const plan = await prepareBuild(
    { ...build, overrides: [] },
    { hash: HASH_STANDIN, ociLabels: false, onBuild: previous?.onBuildContext ?? false },
  );
  if (plan.lockProblem) throw new Error(plan.lockProblem);
  // A base pinned in images.lock.json by registry digest is built (and recorded) as repository@digest.
  const bases = docker
    ? await Promise.all(
        plan.bases.map(async (reference) => {
          const id = await docker
            .getImage(lockedBase(reference, plan.lock).reference)
            .inspect()
            .then(
              (i) => i.Id,
              () => undefined,
            );
          return { reference, ...(id ? { imageId: id } : {}) };
        }),
      )
    : (previous?.bases ?? plan.bases.map((reference) => ({ reference })));
  return {
    files: fileHashes(build.root, [
      ...buildFilePaths(build.options.context, build.options.dockerfile, plan.context.files.files),
      ...extraInputFiles(build.root, build.options.inputs),
    ]),
    ...(plan.context.onBuild ? { onBuildContext: true } : {}),
    parents,
    bases,
    args: recordedArgs(plan.givenArgs),
    settings: settingsDigest(build.options),
  };
}

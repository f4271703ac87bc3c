import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageDependencies, readDockerfile } from '../dockerfile';
import { buildContextFiles, readSources } from '../executors/build/build-context';
import { lockedBase } from '../executors/build/locked-bases';
import { readLock } from '../lock/lock-file';
import type { BuildExecutorOptions } from '../executors/build/schema';
import { buildFilePaths, extraInputFiles, fileHashes } from './file-hashes';
import type { PlannedInputs, PlannedParent } from './input-diff';
import { recordedArgs, RecordedInputs, settingsDigest } from './recorded-inputs';

/**
 * A build's inputs as they are now, computed the way the build records them (build-record.ts):
 * the same context files, bases and args. Parents come from the plan (their ids, or why not known).
 * Without an engine (docker undefined) the bases are taken as recorded: the plan then says nothing of them.
 */
export async function currentInputs(root: string, options: BuildExecutorOptions, parents: PlannedParent[], previous: RecordedInputs | undefined, docker: Docker | undefined): Promise<PlannedInputs> {
  const dockerfilePath = join(root, options.dockerfile);
  const contextDir = join(root, options.context);
  if (!existsSync(dockerfilePath)) throw new Error(`Dockerfile ${options.dockerfile} does not exist`);
  if (!existsSync(contextDir)) throw new Error(`build context ${options.context} does not exist`);
  const model = readDockerfile(readFileSync(dockerfilePath, 'utf8'), options.dockerfile);
  const args = options.args ?? {};
  const onBuildContext = previous?.onBuildContext ?? false;
  const sent = await buildContextFiles(contextDir, dockerfilePath, readSources(model, args, options.target, onBuildContext), []);
  const parentRefs = new Set((options.parents ?? []).map((p) => p.reference));
  const references = imageDependencies(model, args, { target: options.target })
    .map((d) => d.reference)
    .filter((r, i, all) => r && !parentRefs.has(r) && all.indexOf(r) === i);
  // A base pinned in images.lock.json by registry digest is built (and recorded) as repository@digest.
  const lock = readLock(root);
  const bases = docker
    ? await Promise.all(
        references.map(async (reference) => {
          const id = await docker
            .getImage(lockedBase(reference, lock).reference)
            .inspect()
            .then((i) => i.Id, () => undefined);
          return { reference, ...(id ? { imageId: id } : {}) };
        }),
      )
    : (previous?.bases ?? references.map((reference) => ({ reference })));
  return {
    files: fileHashes(root, [...buildFilePaths(options.context, options.dockerfile, sent.files), ...extraInputFiles(root, options.inputs)]),
    ...(onBuildContext ? { onBuildContext } : {}),
    parents,
    bases,
    args: recordedArgs(args),
    settings: settingsDigest(options),
  };
}

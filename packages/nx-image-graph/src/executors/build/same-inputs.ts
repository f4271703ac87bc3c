import type Docker from 'dockerode';
import { join } from 'node:path';
import type { DockerfileModel } from '../../dockerfile';
import { ImageMetadata, readImageMetadata } from '../../metadata/image-metadata';
import { recordedFacts } from '../../plan/build-record';
import { inputReasons } from '../../plan/input-diff';
import { inputsFileOf, readRecordedInputs } from '../../plan/recorded-inputs';
import { buildContextFiles, readSources } from './build-context';
import { parseBuildArgs } from './build-settings';
import type { BuildExecutorOptions } from './schema';

export interface SameInputsCheck {
  docker: Docker;
  root: string;
  options: BuildExecutorOptions;
  model: DockerfileModel;
  /** The parents this build is pinned to, and its external bases, as it records them. */
  parents: { project: string; target?: string; imageId: string }[];
  bases: { reference: string; imageId?: string; digest?: string }[];
  onBuildContext: boolean;
  /** The labels this build would give its image (the OCI labels included). */
  labels: Record<string, string>;
  print: (line: string) => void;
}

/**
 * The recorded build's image, when this build's inputs are exactly its inputs (its record,
 * `<target>.inputs.json`: files by content, parents' and bases' ids, args, settings) and the engine
 * still holds that image with the labels this build gives. Nx misses such a build after an edit
 * that reaches every task's hash but not the build (nx.json, a new target). Solving it again would
 * take each step from BuildKit's cache, which gives the newest layers it holds for that step: after a
 * plain `docker build --no-cache` of the same Dockerfile, other layers (other file times), another
 * image id, and every image built on it rebuilt. The recorded image is the build's answer whatever
 * else the engine built. Not with `--no-cache` or `--skip-nx-cache` (asked to build), a secret whose
 * value is hashed (the record does not hold it), or `"inlineCache"` (its build cache image is made by the build).
 */
export async function sameInputsImage(check: SameInputsCheck): Promise<{ imageId: string; metadata: ImageMetadata } | undefined> {
  const { options, root } = check;
  // Asked to build (--no-cache, --skip-nx-cache, which Nx hands its tasks as NX_SKIP_NX_CACHE), or the record cannot tell.
  if (options.noCache || process.env.NX_SKIP_NX_CACHE === 'true' || options.inlineCache || Object.values(options.secrets ?? {}).some((s) => s.hashValue)) return undefined;
  const metadataPath = join(root, options.metadataFile);
  const previous = readRecordedInputs(inputsFileOf(metadataPath));
  let metadata: ImageMetadata;
  try {
    metadata = readImageMetadata(metadataPath);
  } catch {
    return undefined;
  }
  if (!previous || previous.nxHash !== metadata.nxHash) return undefined;
  const args = { ...options.args, ...parseBuildArgs(options.buildArg) };
  const contextDir = join(root, options.context);
  const sent = await buildContextFiles(contextDir, join(root, options.dockerfile), readSources(check.model, args, options.target, check.onBuildContext), []);
  const current = recordedFacts(root, { context: options.context, dockerfile: options.dockerfile, contextFiles: sent.files, onBuildContext: check.onBuildContext, parents: check.parents, bases: check.bases, args, options });
  if (inputReasons(previous, current).length > 0) return undefined;
  const image = await check.docker.getImage(metadata.imageId).inspect().catch(() => undefined);
  if (!image) return undefined;
  const labels = (image.Config?.Labels ?? {}) as Record<string, string>;
  if (Object.entries(check.labels).some(([k, v]) => labels[k] !== v)) return undefined;
  check.print(`Same inputs as the recorded build (files, parents, bases, args, settings): its image ${metadata.imageId.slice(7, 19)}, still in the engine, is this build's image; not solved again`);
  return { imageId: metadata.imageId, metadata };
}

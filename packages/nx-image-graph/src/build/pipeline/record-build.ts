import { join, relative } from 'node:path';
import { formatBytes, formatSeconds } from '../../core/text/format-units';
import { saveImageArchive } from '../materialize/image-archive';
import {
  ENGINE_SAME_INPUTS,
  type ImageMetadata,
  readImageMetadata,
  removeTemporaryFiles,
  writeImageMetadata,
} from '../../core/image-records/image-metadata';
import { ARCHIVE_SUFFIX, IMAGE_ID_SUFFIX } from '../../core/image-records/output-files';
import { buildRecord } from '../input-records/build-record';
import { inputsFileOf, readRecordedInputs, writeRecordedInputs } from '../input-records/recorded-inputs';
import { redactArgs } from '../../inference/secrets/secret-args';
import { BuildFailure } from './build-failure';
import type { BuildResult } from './run-build';

/**
 * The image made the build's own: its tags moved to it, its metadata and image-id file written
 * (atomically, the pair), what it was made of recorded beside them, and one closing line. Runs only
 * after the engine's part succeeded, and not at all once the task was cancelled.
 */
export async function recordBuild(result: BuildResult, started: number, print: (line: string) => void, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new BuildFailure('cancelled; no tag was moved and no metadata written');
  const { docker, engine, buildkit, plan } = result;
  const { options, settings, task } = plan;
  const image = docker.getImage(result.imageId);
  // Inspected first: a tag already on this image (a rebuild giving the same id) costs no request.
  const before = await image.inspect();
  const missingTags = settings.tags.filter((tag) => !before.RepoTags?.includes(`${options.repository}:${tag}`));
  for (const tag of missingTags) await image.tag({ repo: options.repository, tag });
  const inspected = missingTags.length ? await image.inspect() : before;
  if (result.source === 'build') {
    // Podman 4.3, building a target that is not the last stage, reuses a cached stage image with the labels of the build that made it.
    const unlabelled = Object.keys(result.labels).filter((k) => inspected.Config?.Labels?.[k] !== result.labels[k]);
    if (unlabelled.length)
      print(`  WARNING: ${engine.name} ${engine.version} did not give the image the labels asked for: ${unlabelled.join(', ')}`);
  }
  const metadataPath = join(task.root, options.metadataFile);
  const idPath = metadataPath.replace(/\.json$/, IMAGE_ID_SUFFIX);
  if (options.archive) {
    try {
      await saveImageArchive(docker, inspected.Id, metadataPath.replace(/\.json$/, ARCHIVE_SUFFIX));
    } catch (e) {
      throw new BuildFailure(`built ${inspected.Id} but could not save its archive: ${(e as Error).message}`);
    }
  }
  const steps = result.steps ?? stepsOfRecorded(metadataPath, inspected.Id);
  const metadata: ImageMetadata = {
    schemaVersion: 1,
    project: task.project,
    target: task.target,
    ...(options.variant ? { variant: options.variant } : {}),
    repository: options.repository,
    tags: settings.tags,
    references: settings.references,
    imageId: inspected.Id,
    size: inspected.Size,
    created: inspected.Created,
    args: redactArgs(settings.args),
    ...(task.nxHash ? { nxHash: task.nxHash } : {}),
    parents: result.parents,
    bases: result.bases,
    ...(steps ? { steps } : {}),
    durationMs: Date.now() - started,
    engine: { name: engine.name, version: engine.version, apiVersion: engine.apiVersion, builder: buildkit ? 'buildkit' : 'classic' },
    ...(settings.labels['org.opencontainers.image.revision'] ? { git: { sha: settings.labels['org.opencontainers.image.revision'] } } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(plan.indexTags ? { indexTags: plan.indexTags } : {}),
    ...(result.inputsDigest ? { inputsDigest: result.inputsDigest } : {}),
    ...(result.source === 'engine' ? { reused: 'engine' as const } : result.source === 'registry' ? { reused: 'registry' as const } : {}),
    ...(result.cacheImage ? { cacheImage: result.cacheImage } : {}),
  };
  try {
    writeImageMetadata(metadataPath, idPath, metadata);
  } catch (e) {
    removeTemporaryFiles(metadataPath, idPath);
    throw new BuildFailure(`built ${inspected.Id} but could not write ${options.metadataFile}: ${(e as Error).message}`);
  }
  // What it was built from, beside the metadata: the next plan and build say why an image rebuilds.
  const inputsPath = inputsFileOf(metadataPath);
  try {
    const facts = {
      context: options.context,
      dockerfile: options.dockerfile,
      contextFiles: result.files.files,
      onBuildContext: plan.context.onBuild,
      parents: result.parents,
      bases: result.bases,
    };
    writeRecordedInputs(
      inputsPath,
      buildRecord(task.root, { ...facts, args: plan.givenArgs, options, nxHash: task.nxHash }, readRecordedInputs(inputsPath)),
    );
  } catch (e) {
    throw new BuildFailure(`built ${inspected.Id} but could not write ${relative(task.root, inputsPath)}: ${(e as Error).message}`);
  }
  if (plan.tagNote) print(`  NOTE: ${plan.tagNote}`);
  const stepsText = steps ? `${steps.cached}/${steps.total} steps cached, ` : '';
  const sentText = result.source === 'registry' ? '' : `context ${result.files.files.length} files ${formatBytes(result.files.bytes)}, `;
  const sameInputs = result.source === 'engine' ? `${ENGINE_SAME_INPUTS} ${inspected.Id.slice(7, 19)}, ` : '';
  print(
    `✔ ${plan.label}: ${inspected.Id.slice(7, 19)} ${settings.references.join(' ')} ${formatBytes(inspected.Size)}, ${stepsText}${sentText}${sameInputs}${formatSeconds((Date.now() - started) / 1000)}`,
  );
}

/**
 * Steps of an image found by its inputs: those of its build as recorded, all cached now (nothing
 * ran), or unknown when the record is of another image.
 */
function stepsOfRecorded(metadataPath: string, imageId: string): { total: number; cached: number } | undefined {
  try {
    const m = readImageMetadata(metadataPath);
    return m.imageId === imageId && m.steps ? { total: m.steps.total, cached: m.steps.total } : undefined;
  } catch {
    return undefined;
  }
}

import type { CreateNodesContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { nxCacheDir, nxHashArray, nxHashMultiGlob } from '../../core/nx/nx-helpers';
import { PLUGIN_VERSION } from '../../core/nx/plugin-version';
import type { NormalizedOptions } from '../options/plugin-options';
import { definitionCacheFile, DefinitionCache } from '../definitions/definition-cache';
import { discoverImageDirectories } from '../definitions/discover-images';
import { DockerfileModelCache, modelCacheFile } from '../definitions/dockerfile-model-cache';
import { readImageDefinition } from '../definitions/image-definition';
import { inferImageProjects } from './infer-image-projects';
import { HashRoots, readDefinitions } from '../definitions/read-definitions';
import { separateSharedNames } from './unique-project-names';
import { readWorkspaceIndex } from '../workspace/read-workspace-index';
import { presenceOnDisk, trackedPresence } from '../workspace/source-presence';
import type { ImageDefinition } from '../definitions/image-definition';
import { checkedSources } from '../edges/source-problems';
import { projectsFromConfigFiles } from '../workspace/project-config-files';
import { declaredOutputs } from '../workspace/declared-outputs';

// Kept for the life of the process: the Nx daemon computes the graph again on every change.
const modelCaches = new Map<string, DockerfileModelCache>();
const definitionCaches = new Map<string, DefinitionCache>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (!value) map.set(key, (value = make()));
  return value;
}

/**
 * From the files Nx matched to image projects: directories -> definitions (read again only where
 * a file changed: Nx's file hashes, as its own plugins use) -> graph -> targets.
 */
export async function inferFromFiles(files: readonly string[], options: NormalizedOptions, context: CreateNodesContext) {
  const optionsHash = nxHashArray([JSON.stringify(options)]);
  const models = cached(modelCaches, optionsHash, () => new DockerfileModelCache(modelCacheFile(nxCacheDir(), optionsHash)));
  const definitions = cached(definitionCaches, optionsHash, () => new DefinitionCache(definitionCacheFile(nxCacheDir(), optionsHash)));
  const dirs = discoverImageDirectories(files, options);
  const read = await readDefinitions(
    dirs,
    (dir) => readImageDefinition(dir, context.workspaceRoot, (text, file) => models.read(text, file)),
    definitions,
    nxFileHashes(options, context),
  );
  models.save();
  const index = await readWorkspaceIndex(context.workspaceRoot, context.nxJsonConfiguration?.targetDefaults);
  const copied = [...read.values()].flatMap((d) =>
    d instanceof Error ? [] : (d as ImageDefinition).builds.flatMap((b) => checkedSources(b).map((c) => c.workspacePath)),
  );
  const presence = await trackedPresence(context.workspaceRoot, copied);
  return separateSharedNames(
    inferImageProjects(dirs, (dir) => read.get(dir.root)!, options, context.workspaceRoot, { ...index, presence }),
  );
}

/** Nx's own hashing of the files under each root (plus extra globs), in one native call, salted with the options and the plugin's version. */
function nxFileHashes(options: NormalizedOptions, context: CreateNodesContext): HashRoots {
  return async (roots, extraGlobs) => {
    const salt = nxHashArray([JSON.stringify({ options, version: PLUGIN_VERSION })]);
    const hashes = await nxHashMultiGlob(
      context.workspaceRoot,
      // The root itself too: an image that shares its directory has its Dockerfile for root.
      roots.map((root, i) => [...(root === '.' ? [] : [root]), posix.join(root, '**/*'), ...(extraGlobs[i] ?? [])]),
    );
    return hashes.map((hash) => nxHashArray([hash, salt]));
  };
}

/**
 * The same inference without the definition cache, synchronously: for generators and tests. The
 * workspace's projects are the project.json files among `files`, and a path is present when it is on disk.
 */
export function inferFromFilesUncached(
  files: readonly string[],
  options: NormalizedOptions,
  workspaceRoot: string,
  models = new DockerfileModelCache(),
) {
  const configFiles = files
    .filter((f) => /(^|\/)project\.json$/.test(f))
    .map((path) => ({ path, json: JSON.parse(readFileSync(join(workspaceRoot, path), 'utf8')) as unknown }));
  const projects = projectsFromConfigFiles(configFiles, () => false);
  const workspace = { projects, outputs: declaredOutputs(projects), presence: presenceOnDisk(workspaceRoot) };
  const dirs = discoverImageDirectories(files, options);
  const definitionOf = (dir: (typeof dirs)[number]) => {
    try {
      return readImageDefinition(dir, workspaceRoot, (text, file) => models.read(text, file));
    } catch (e) {
      return e as Error;
    }
  };
  return separateSharedNames(inferImageProjects(dirs, definitionOf, options, workspaceRoot, workspace));
}

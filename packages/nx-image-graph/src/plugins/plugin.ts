import {
  AggregateCreateNodesError,
  cacheDir,
  CreateDependencies,
  CreateNodes,
  CreateNodesResult,
  DependencyType,
  hashArray,
  RawProjectGraphDependency,
} from '@nx/devkit';
import { DockerfileModelCache, modelCacheFile } from '../graph/dockerfile-model-cache';
import { ImageGraphMetadata, METADATA_KEY } from '../graph/image-targets';
import { inferImageProjects } from '../graph/infer-image-projects';
import { ImageGraphPluginOptions, normalizeOptions } from './options';

/** Every name that can make a directory an image; the options narrow it down. */
const IMAGE_FILES = '**/{Dockerfile,Containerfile,*.Dockerfile,*.Containerfile,Dockerfile.*,Containerfile.*,image.json,*.image.json}';

const modelCaches = new Map<string, DockerfileModelCache>();

/** One Nx project per image directory, with its build targets. */
export const createNodes: CreateNodes<ImageGraphPluginOptions> = [
  IMAGE_FILES,
  (files, rawOptions, context) => {
    const options = normalizeOptions(rawOptions);
    const cacheFile = modelCacheFile(cacheDir, hashArray([JSON.stringify(options)]));
    let models = modelCaches.get(cacheFile);
    if (!models) modelCaches.set(cacheFile, (models = new DockerfileModelCache(cacheFile)));

    const { projects, problems } = inferImageProjects(files, options, context.workspaceRoot, models);
    const results = projects.map((p) => [p.configFile, { projects: { [p.root]: p.project } } satisfies CreateNodesResult] as const);
    if (problems.length > 0) {
      throw new AggregateCreateNodesError(
        problems.map((p) => [p.file, new Error(p.message)]),
        results,
      );
    }
    return results;
  },
];

/** @deprecated alias for Nx versions that still look for it. */
export const createNodesV2 = createNodes;

/** Edges between image projects, from what each Dockerfile builds on. */
export const createDependencies: CreateDependencies<ImageGraphPluginOptions> = (_options, context) => {
  const edges: RawProjectGraphDependency[] = [];
  for (const [source, project] of Object.entries(context.projects)) {
    const meta = project.metadata?.[METADATA_KEY] as ImageGraphMetadata | undefined;
    for (const build of meta?.builds ?? []) {
      for (const parent of build.parents) {
        if (!context.projects[parent.project] || edges.some((e) => e.source === source && e.target === parent.project)) continue;
        edges.push({ source, target: parent.project, type: DependencyType.static, sourceFile: build.dockerfile });
      }
    }
  }
  return edges;
};

import {
  cacheDir,
  CreateDependencies,
  CreateNodes,
  CreateNodesResult,
  DependencyType,
  hashArray,
  logger,
  RawProjectGraphDependency,
} from '@nx/devkit';
import { DockerfileModelCache, modelCacheFile } from '../graph/dockerfile-model-cache';
import { ImageGraphMetadata, METADATA_KEY } from '../graph/image-targets';
import { inferImageProjects } from '../graph/infer-image-projects';
import { ImageGraphPluginOptions, normalizeOptions } from './options';

/** Every name that can make a directory an image; the options narrow it down. */
const IMAGE_FILES = '**/{Dockerfile,Containerfile,*.Dockerfile,*.Containerfile,Dockerfile.*,Containerfile.*,image.json,*.image.json}';

const reported = new Set<string>();

function reportProblems(problems: { message: string }[]): void {
  for (const { message } of problems) {
    // The daemon recomputes the graph often: say each problem once per process.
    if (reported.has(message)) continue;
    reported.add(message);
    logger.warn(`nx-image-graph: ${message}`);
  }
}

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
    // Problems are printed, not thrown: Nx would refuse the whole graph, and one broken image must not hide the others.
    reportProblems(problems);
    return projects.map((p) => [p.configFile, { projects: { [p.root]: p.project } } satisfies CreateNodesResult] as const);
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

export { postTasksExecution } from '../summary/post-tasks-execution';

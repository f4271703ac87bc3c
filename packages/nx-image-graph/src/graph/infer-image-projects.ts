import type { ProjectConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalizedOptions } from '../plugins/options';
import { discoverImageDirectories } from './discover-images';
import type { DockerfileModelCache } from './dockerfile-model-cache';
import { ImageDefinition, readImageDefinition } from './image-definition';
import { imageTargets, ImageGraphMetadata, METADATA_KEY } from './image-targets';
import { GraphProblem, resolveImageGraph } from './resolve-image-graph';

export interface InferredImageProject {
  /** The file Nx attributes the project to (manifest, else Dockerfile). */
  configFile: string;
  root: string;
  project: Omit<ProjectConfiguration, 'root'>;
}

/**
 * The whole inference, from the files Nx matched to project configurations:
 * files -> image directories -> definitions (manifest + Dockerfiles) -> graph -> targets.
 */
export function inferImageProjects(
  files: readonly string[],
  options: NormalizedOptions,
  workspaceRoot: string,
  models: DockerfileModelCache,
): { projects: InferredImageProject[]; problems: GraphProblem[] } {
  const problems: GraphProblem[] = [];
  const definitions: ImageDefinition[] = [];
  for (const dir of discoverImageDirectories(files, options)) {
    try {
      definitions.push(readImageDefinition(dir, workspaceRoot, (text, file) => models.read(text, file)));
    } catch (e) {
      const err = e as Error & { file?: string };
      problems.push({ file: err.file ?? dir.manifest ?? dir.dockerfiles[0], message: err.message });
    }
  }
  models.save();

  const graph = resolveImageGraph(definitions, options);
  problems.push(...graph.problems);
  const roots = new Map(graph.projects.map((p) => [p.name, p.definition.root]));

  const projects = graph.projects.map((p): InferredImageProject => {
    const d = p.definition;
    // An image directory that is already a project (project.json / package.json) keeps its own name.
    const ownsName = !existsSync(join(workspaceRoot, d.root, 'project.json')) && !existsSync(join(workspaceRoot, d.root, 'package.json'));
    const metadata: ImageGraphMetadata = {
      repository: p.repository,
      builds: p.builds.map((b) => ({ targetName: b.targetName, variant: b.variant, dockerfile: b.dockerfile, parents: b.parents, externals: b.externals })),
    };
    const targets = imageTargets(p, options, roots);
    return {
      configFile: d.configFile,
      root: d.root,
      project: {
        ...(ownsName ? { name: p.name } : {}),
        projectType: 'application',
        tags: ['image'],
        targets,
        metadata: {
          description: `Container image ${p.repository}`,
          technologies: ['docker'],
          targetGroups: { Docker: Object.keys(targets) },
          [METADATA_KEY]: metadata,
        },
      },
    };
  });
  return { projects, problems };
}

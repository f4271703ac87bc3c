import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { posix } from 'node:path';
import type { NormalizedOptions } from '../options/plugin-options';
import type { ImageDirectory } from '../definitions/discover-images';
import type { ImageDefinition } from '../definitions/image-definition';
import { baseIdsOf, imageTargets, ImageGraphMetadata, manifestFileOf, ProjectDirectory, registriesOf } from './image-targets';
import { METADATA_KEY, PLUGIN_NAME } from '../../core/nx/metadata-key';
import { recordsDirOf } from './target-names';
import { copiedPaths, placeBuilds, WorkspaceView } from '../edges/build-producers';
import { inside } from '../workspace/copy-producers';
import { imageReleaseConfig } from './promote-target';
import type { ImageProject } from '../definitions/image-project';
import { blockDescendants, BrokenImage, GraphProblem, resolveImageGraph } from '../edges/resolve-image-graph';
import { salvageIdentity } from '../definitions/salvage-identity';
import { legacyManifestDrift } from '../definitions/legacy-image-manifest';
import { toConfigText } from '../../core/nx/config-text';
import { lockProblems } from '../edges/lock-problems';

export interface InferredImageProject {
  /** The file Nx attributes the project to (manifest, else Dockerfile). */
  configFile: string;
  root: string;
  project: Omit<ProjectConfiguration, 'root'>;
}

/**
 * The inference from image directories and their definitions (manifest + Dockerfiles, read by
 * the caller, cached) to project configurations: definitions -> graph -> targets.
 *
 * A broken image (bad manifest, unreadable Dockerfile, cycle) does not stop the graph: it
 * becomes a project whose build fails with the problem's message, and the problem is returned
 * for the plugin to print, so every other image still loads and builds.
 */
export function inferImageProjects(
  dirs: ImageDirectory[],
  definitionOf: (dir: ImageDirectory) => ImageDefinition | Error,
  options: NormalizedOptions,
  workspaceRoot: string,
  workspace: WorkspaceView & { projects: { name: string; root: string }[] },
): { projects: InferredImageProject[]; problems: GraphProblem[]; warnings: GraphProblem[] } {
  const problems: GraphProblem[] = [];
  const definitions: ImageDefinition[] = [];
  const broken: (BrokenImage & { dir: ImageDirectory })[] = [];
  for (const dir of dirs) {
    const definition = definitionOf(dir);
    if (definition instanceof Error) {
      const err = definition as Error & { file?: string };
      problems.push({ file: err.file ?? dir.manifest ?? dir.dockerfiles[0], roots: [dir.root], message: err.message });
      broken.push({
        dir,
        root: dir.root,
        namePath: dir.namePath,
        configFile: dir.manifest ?? dir.dockerfiles[0],
        identity: salvageIdentity(dir, workspaceRoot),
        message: err.message,
      });
    } else {
      definitions.push(definition);
    }
  }

  dropClaimedDirectories(definitions, broken);
  const owned = ownedNames(definitions, workspace.projects, problems);
  const imageRoots = new Set([...owned.map((d) => d.root), ...broken.map((b) => b.root)]);
  const reserved = new Map(workspace.projects.filter((p) => !imageRoots.has(p.root)).map((p) => [p.name, p.root]));
  const graph = resolveImageGraph(owned, options, broken, reserved);
  problems.push(...graph.problems, ...lockProblems(workspaceRoot, graph.projects));
  const placed = placeBuilds(graph.projects, workspace, {
    ownTargets: new Set([
      options.buildTargetName,
      options.pushTargetName,
      options.validateTargetName,
      options.layersTargetName,
      options.materializeTargetName,
    ]),
    manifestOf: (p) => manifestFileOf(p, options),
    recordsDirOf: (p) => recordsDirOf(options.outputDir, p.definition.root),
  });
  problems.push(...placed.problems);
  blockDescendants(graph.projects, problems, new Map(broken.map((b) => [graph.names.get(b.root)!, b.root])));
  const byName = new Map(graph.projects.map((p) => [p.name, p]));
  const directory: ProjectDirectory = new Map(
    graph.projects.map((p) => [
      p.name,
      {
        root: p.definition.root,
        registries: registriesOf(p, options),
        platforms: new Map(p.builds.flatMap((b) => (b.platforms ? [[b.targetName, b.platforms] as const] : []))),
      },
    ]),
  );
  const problemsOf = (root: string) => problems.filter((p) => p.roots.includes(root)).map((p) => p.message);

  const projects = graph.projects.map((p): InferredImageProject => {
    const d = p.definition;
    const metadata: ImageGraphMetadata = {
      project: p.name,
      repository: p.repository,
      builds: p.builds.map((b) => ({
        targetName: b.targetName,
        variant: b.variant,
        dockerfile: b.dockerfile,
        parents: b.parents,
        externals: b.externals,
        // What it copies of the workspace: createDependencies draws the edges to the projects there.
        copies: copiedPaths(b),
        ...(b.producers.length ? { producers: b.producers.map((t) => `${t.project}:${t.target}`) } : {}),
      })),
    };
    const baseIds = baseIdsOf(p, options);
    if (baseIds.length) metadata.baseIds = baseIds;
    const platforms = [...new Set(p.builds.flatMap((b) => b.platforms ?? []))];
    if (platforms.length) metadata.platforms = platforms;
    const messages = problemsOf(d.root);
    const targets = messages.length ? { [options.buildTargetName]: invalidTarget(messages) } : imageTargets(p, options, directory);
    return {
      configFile: d.configFile,
      root: d.root,
      project: {
        ...(ownsName(workspace.projects, d.root) ? { name: p.name } : {}),
        projectType: 'application',
        tags: ['image'],
        // The edges, in the project configuration Nx asks for again whenever a file of the image changes.
        // Not from createDependencies: Nx keeps those per source file, so an edge that a manifest-only
        // edit moved (a new BASE_IMAGE arg) would stay on the unchanged Dockerfile.
        implicitDependencies: [
          ...new Set(
            p.builds.flatMap((b) => [
              ...b.parents.map((e) => e.project),
              ...b.producers.map((t) => t.project),
              ...copiedProjects(copiedPaths(b), workspace.projects),
            ]),
          ),
        ].filter((n) => n !== p.name),
        targets,
        release: imageReleaseConfig(posix.basename(manifestFileOf(p, options))),
        metadata: {
          description: `Container image ${p.repository}`,
          technologies: ['docker'],
          targetGroups: { Docker: Object.keys(targets) },
          // Kept for a blocked image too: its edges still show in the graph and reach it in `affected`.
          [METADATA_KEY]: metadata,
        },
      },
    };
  });

  for (const { dir } of broken) {
    const name = graph.names.get(dir.root)!;
    const targets = { [options.buildTargetName]: invalidTarget(problemsOf(dir.root)) };
    projects.push({
      configFile: dir.manifest ?? dir.dockerfiles[0],
      root: dir.root,
      project: {
        ...(ownsName(workspace.projects, dir.root) ? { name } : {}),
        projectType: 'application',
        tags: ['image'],
        targets,
        // Its own version actions, as for any image: without them `nx release` asks for @nx/js instead of saying what is wrong.
        release: imageReleaseConfig(posix.basename(dir.manifest ?? options.manifest)),
        metadata: { description: 'Container image (cannot be built: see its docker-build target)', technologies: ['docker'] },
      },
    });
  }
  return { projects, problems, warnings: [...graph.warnings, ...placed.warnings, ...driftWarnings(graph.projects, byName)] };
}

/** The workspace's projects whose files a build copies (`COPY libs/shared`, `COPY apps/web/src`): a change there reaches the image. */
function copiedProjects(copies: string[], projects: { name: string; root: string }[]): string[] {
  return projects
    .filter((p) => p.root !== '.' && p.root !== '' && copies.some((c) => inside(c, p.root) || inside(p.root, c)))
    .map((p) => p.name);
}

/**
 * An image directory that is already a project (its project.json or package.json names it) adds
 * its targets to that project, so the graph must call it by that name; a manifest "name" that
 * says otherwise would name a project that does not exist.
 */
function ownedNames(
  definitions: ImageDefinition[],
  workspaceProjects: { name: string; root: string }[],
  problems: GraphProblem[],
): ImageDefinition[] {
  const byRoot = new Map(workspaceProjects.map((p) => [p.root, p.name]));
  return definitions.map((d) => {
    const name = byRoot.get(d.root);
    if (!name || d.declaredName === name) return d;
    if (d.declaredName) {
      problems.push({
        file: d.configFile,
        roots: [d.root],
        message: `${d.configFile}: "name" is "${d.declaredName}", but ${d.root} is the project "${name}" (its project.json or package.json), to which the image's targets belong; remove "name" or make it "${name}"`,
      });
    }
    return { ...d, declaredName: name };
  });
}

/** `.image-manifest` lines the plugin does not track (legacy-image-manifest.ts). */
function driftWarnings(images: ImageProject[], byName: Map<string, ImageProject>): GraphProblem[] {
  return images.flatMap((p) => {
    const parents = new Set(
      p.builds.flatMap((b) => b.parents.flatMap((e) => byName.get(e.project)?.builds.map((pb) => pb.dockerfile) ?? [])),
    );
    const message = legacyManifestDrift(p.definition, p.name, parents);
    return message ? [{ file: p.definition.legacyManifest!.file, roots: [], message }] : [];
  });
}

/**
 * A directory with a Dockerfile but no manifest, whose Dockerfiles another image's manifest builds
 * (a `cuda/` subdirectory that is the `cuda` variant of its parent's image, or a Dockerfile two
 * manifests build with different targets), is part of that image, not an image of its own.
 */
function dropClaimedDirectories(definitions: ImageDefinition[], broken: { dir: ImageDirectory }[]): void {
  const inDirectory = (d: ImageDefinition, file: string) => {
    const dir = d.dir ?? d.root;
    return dir === '.' ? !file.includes('/') : file.startsWith(`${dir}/`) && !file.slice(dir.length + 1).includes('/');
  };
  const claimed = new Set(definitions.flatMap((d) => d.builds.filter((b) => !inDirectory(d, b.dockerfile)).map((b) => b.dockerfile)));
  if (claimed.size === 0) return;
  const isClaimed = (manifest: string | undefined, dockerfiles: string[]) =>
    !manifest && dockerfiles.length > 0 && dockerfiles.every((f) => claimed.has(f));
  for (let i = definitions.length - 1; i >= 0; i--) {
    const d = definitions[i];
    if (isClaimed(d.manifestFile, [...new Set(d.builds.map((b) => b.dockerfile))])) definitions.splice(i, 1);
  }
  for (let i = broken.length - 1; i >= 0; i--) if (isClaimed(broken[i].dir.manifest, broken[i].dir.dockerfiles)) broken.splice(i, 1);
}

/** An image directory that is already a project (project.json / package.json) keeps its own name. */
function ownsName(workspaceProjects: { root: string }[], root: string): boolean {
  return !workspaceProjects.some((p) => p.root === root);
}

function invalidTarget(messages: string[]): TargetConfiguration {
  return {
    executor: `${PLUGIN_NAME}:invalid`,
    // Nx reads option strings as templates: the messages go in safe from its tokens, the executor prints them as written.
    options: { messages: messages.map(toConfigText) },
    metadata: { description: `Cannot be built: ${messages[0].split('\n')[0]}`, technologies: ['docker'] },
  };
}

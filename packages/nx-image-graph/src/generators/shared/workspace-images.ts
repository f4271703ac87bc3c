import { globAsync, readJson, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { discoverImageDirectories } from '../../inference/definitions/discover-images';
import { buildPlans } from '../../inference/definitions/image-definition';
import { BuildNode, ImageIndex, Resolution } from '../../inference/edges/image-index';
import { variantTargetName } from '../../inference/targets/target-names';
import { assignProjectNames } from '../../inference/options/project-names';
import { parseManifest } from '../../inference/manifest/read-manifest';
import type { ImageManifest } from '../../inference/manifest/schema';
import { filterByRegistration, Registration, UNREGISTERED } from './plugin-registrations';

/** One build of a workspace image, as the plugin will infer it. */
export interface ImageBuild {
  variant?: string;
  targetName: string;
  /** Workspace-relative. */
  dockerfile: string;
  args: Record<string, string>;
  tagTemplates: string[];
  /** Tags known before a build (the templates that need no git sha, date or hash). */
  staticTags: string[];
  dynamicTags: boolean;
}

/** An image directory of the workspace, as the plugin will see it. */
export interface WorkspaceImage {
  project: string;
  root: string;
  manifestFile?: string;
  manifest: ImageManifest;
  /** Workspace-relative, the plain `Dockerfile` first. */
  dockerfiles: string[];
  repository: string;
  builds: ImageBuild[];
  /** Why the plugin cannot use this image's manifest (it still is a project, whose build fails). */
  error?: string;
}

/**
 * The workspace's images read from the Tree (so a generator sees its own pending writes), with the
 * plugin's own rules: its directory discovery, project names, build plans, tag templates and
 * reference matching (ImageIndex). Generators cannot ask Nx for inferred projects of a Tree that
 * is not written yet, and getProjects() lists only project.json/package.json projects.
 */
export class WorkspaceImages {
  readonly index: ImageIndex;

  constructor(
    readonly images: WorkspaceImage[],
    readonly registration: Registration,
  ) {
    const nodes: BuildNode[] = images.flatMap((image) =>
      image.builds.map((b) => ({
        project: image.project,
        targetName: b.targetName,
        variant: b.variant,
        repository: image.repository,
        ...ImageIndex.tagsOf(b.tagTemplates, { variant: b.variant, args: b.args, projectName: image.project }),
      })),
    );
    this.index = new ImageIndex(nodes, registration.options.ignoredOwners);
  }

  byProject(name: string): WorkspaceImage | undefined {
    return this.images.find((i) => i.project === name);
  }

  byRoot(root: string): WorkspaceImage | undefined {
    return this.images.find((i) => i.root === root);
  }

  /** What a Dockerfile reference would be built on: a workspace build, or an external image. */
  resolve(reference: string): Resolution {
    return this.index.resolve(reference);
  }

  /** The images, for error messages: `ml-base (acme/ml-base:cuda, acme/ml-base:cpu)`. */
  describe(limit = 40): string {
    if (this.images.length === 0) return 'there are no workspace images yet';
    const lines = this.images.slice(0, limit).map((i) => `  ${i.project} (${describeImage(i)})`);
    if (this.images.length > limit)
      lines.push(
        `  ... and ${this.images.length - limit} more (nx show projects --with-target=${this.registration.options.buildTargetName})`,
      );
    return `workspace images:\n${lines.join('\n')}`;
  }
}

export function describeImage(image: WorkspaceImage): string {
  if (image.error) return `${image.repository}; cannot be built: ${image.error.split('\n')[0]}`;
  return image.builds
    .map((b) => {
      const tags = b.staticTags.length
        ? b.staticTags.map((t) => `${image.repository}:${t}`).join(', ')
        : `${image.repository}:${b.tagTemplates.join(',')}`;
      return b.variant ? `${b.variant}: ${tags}` : tags;
    })
    .join('; ');
}

/** The pattern the plugin's createNodes matches, narrowed to the registration's file names. */
function imageFilesGlob(reg: Registration): string {
  return `**/{${[...reg.options.dockerfiles, reg.options.manifest].join(',')}}`;
}

/** The images one registration of the plugin sees (its include/exclude applied). */
export async function scanWorkspaceImages(tree: Tree, reg: Registration = UNREGISTERED): Promise<WorkspaceImages> {
  const files = await filterByRegistration(tree, await globAsync(tree, [imageFilesGlob(reg)]), reg);
  const dirs = discoverImageDirectories(files, reg.options);
  const read = dirs.map((dir) => {
    try {
      const manifest = dir.manifest ? parseManifest(tree.read(dir.manifest, 'utf-8') ?? '', dir.manifest) : {};
      return { dir, manifest, error: undefined as string | undefined };
    } catch (e) {
      return { dir, manifest: {} as ImageManifest, error: (e as Error).message };
    }
  });
  const names = assignProjectNames(
    read.map((r) => ({ root: r.dir.root, declaredName: r.manifest.name })),
    reg.options.projectNames,
  );
  const images = read.map(({ dir, manifest, error }): WorkspaceImage => {
    const project = ownName(tree, dir.root) ?? names.get(dir.root)!;
    const repository = manifest.repository ?? names.get(dir.root)!.toLowerCase();
    const builds = error ? [] : buildsOf(dir.root, dir.dockerfiles, manifest, reg.options.buildTargetName, project);
    return {
      project,
      root: dir.root,
      ...(dir.manifest ? { manifestFile: dir.manifest } : {}),
      manifest,
      dockerfiles: dir.dockerfiles,
      repository,
      builds,
      ...(error ? { error } : {}),
    };
  });
  return new WorkspaceImages(images, reg);
}

/** Every registration's images (the images of the first registration that sees a directory win). */
export async function scanAllRegistrations(tree: Tree, regs: Registration[]): Promise<WorkspaceImages[]> {
  return Promise.all((regs.length ? regs : [UNREGISTERED]).map((r) => scanWorkspaceImages(tree, r)));
}

/** An image directory that is already a project (project.json / package.json) keeps that project's name, as in the plugin. */
function ownName(tree: Tree, root: string): string | undefined {
  for (const file of ['project.json', 'package.json']) {
    const path = posix.join(root, file);
    if (!tree.exists(path)) continue;
    try {
      const name = readJson<{ name?: string }>(tree, path).name;
      if (name) return name;
    } catch {
      // An unreadable project file is Nx's to report.
    }
  }
  return undefined;
}

/** The plugin's own build plans (image-definition.ts), with the tags known before a build. */
function buildsOf(root: string, dockerfiles: string[], m: ImageManifest, buildTargetName: string, project: string): ImageBuild[] {
  const rel = (p: string) => posix.normalize(posix.join(root, p));
  let plans;
  try {
    plans = buildPlans({ root, dockerfiles, manifest: posix.join(root, 'image.json') }, m, rel);
  } catch {
    return []; // A manifest with no Dockerfile: the plugin reports it; nothing to build on here.
  }
  return plans.map((plan) => {
    const { tags, dynamic } = ImageIndex.staticTags(plan.tags, { variant: plan.variant, args: plan.args, projectName: project });
    return {
      ...(plan.variant ? { variant: plan.variant } : {}),
      targetName: variantTargetName(buildTargetName, plan.variant),
      dockerfile: plan.dockerfile,
      args: plan.args,
      tagTemplates: plan.tags,
      staticTags: tags,
      dynamicTags: dynamic,
    };
  });
}

/** One view over several registrations' images, for finding a parent wherever it is. */
export function combineScans(scans: WorkspaceImages[]): WorkspaceImages {
  const byRoot = new Map<string, WorkspaceImage>();
  for (const s of scans) for (const i of s.images) if (!byRoot.has(i.root)) byRoot.set(i.root, i);
  return new WorkspaceImages([...byRoot.values()], scans[0]?.registration ?? UNREGISTERED);
}

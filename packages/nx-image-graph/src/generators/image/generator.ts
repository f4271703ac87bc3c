import { createProjectGraphAsync, formatFiles, getProjects, joinPathFragments, logger, readProjectConfiguration, Tree } from '@nx/devkit';
import { appImage } from './app-image';
import { posix } from 'node:path';
import { ImageIndex } from '../../inference/edges/image-index';
import { variantName } from '../../inference/manifest/schema';
import type { ImageManifest, VariantManifest } from '../../inference/manifest/schema';
import { defaultInclude, initGenerator } from '../init/generator';
import { edgesOf } from '../shared/edges';
import { allOrNothing, schemaPath, writeManifestFile } from '../shared/manifest-file';
import { describeParent, Parent, resolveParent } from '../shared/parent';
import { includeDirectory, readRegistrations } from '../shared/plugin-registrations';
import { combineScans, scanAllRegistrations, WorkspaceImages } from '../shared/workspace-images';
import type { ImageGeneratorSchema } from './schema';

/** The ARG the scaffolded Dockerfile takes its parent from; variants set it. */
export const PARENT_ARG = 'BASE_IMAGE';

interface PlannedBuild {
  variant?: string;
  parent: Parent;
}

/**
 * `nx g nx-image-graph:image <name> --parent=<ref>`: a new image directory built on a named parent.
 * Everything is checked against the graph the plugin will infer (read from the Tree): the parent exists
 * or is an explicit external image, the name and tags are free, the directory is one the plugin reads,
 * and the Dockerfile leads to the parent, so the edge is in `nx graph` at once.
 */
export async function imageGenerator(tree: Tree, schema: ImageGeneratorSchema): Promise<void> {
  if (schema.project) return appImageGenerator(tree, schema);
  const name = schema.name?.trim();
  if (!name || !/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(name))
    throw new Error(
      schema.name
        ? `"${schema.name}" is not a project name: use letters, digits, ".", "_" and "-".`
        : 'Give the new image a name (nx g nx-image-graph:image <name> --parent=<image>), or --project=<app> for an image of an app the workspace builds.',
    );
  if (!schema.parent?.trim())
    throw new Error('--parent is required: a workspace image, or an external image with its tag (e.g. --parent=busybox:1.36).');

  // Like Nx's own app generators, the first image of a workspace without the plugin registers it (with init's include).
  const regs = readRegistrations(tree);
  const register = regs.length === 0 ? await defaultInclude(tree) : undefined;
  const placed = schema.directory ? undefined : defaultDirectory(register ?? regs.flatMap((r) => r.include ?? []), name);
  const directory = normalizeDirectory(schema.directory ?? placed!.directory);
  const files = ['nx.json', '.gitignore', ...SCAFFOLD.map((f) => joinPathFragments(directory, f))];
  await allOrNothing(tree, files, () => scaffold(tree, schema, name, directory, register));
  // Say where it went: the README's images/<name> holds only for the default include.
  logger.info(
    placed
      ? `${name}: written to ${directory}/, ${placed.why}; --directory puts it elsewhere inside the include`
      : `${name}: written to ${directory}/`,
  );
  if (!schema.skipFormat) await formatFiles(tree);
}

export default imageGenerator;

/** `--project=<app>`: an image of an app's build output (app-image.ts), the plugin registered first if it is not. */
async function appImageGenerator(tree: Tree, schema: ImageGeneratorSchema): Promise<void> {
  if (schema.name)
    throw new Error(
      `--name and --project do not go together: an image of ${schema.project} is named ${schema.project} (its targets join that project).`,
    );
  if (readRegistrations(tree).length === 0) await initGenerator(tree, { include: await defaultInclude(tree), skipFormat: true });
  const root = readProjectConfiguration(tree, schema.project!).root;
  await allOrNothing(tree, ['nx.json', joinPathFragments(root, 'Dockerfile'), joinPathFragments(root, 'image.json')], async () =>
    appImage(tree, schema, await inferredTarget(tree, schema)),
  );
  if (!schema.skipFormat) await formatFiles(tree);
}

/** A build target another plugin infers is in the project graph, not in the Tree's project.json. */
async function inferredTarget(tree: Tree, schema: ImageGeneratorSchema) {
  const target = schema.buildTarget ?? 'build';
  if (readProjectConfiguration(tree, schema.project!).targets?.[target]) return undefined;
  try {
    return (await createProjectGraphAsync({ exitOnError: false })).nodes[schema.project!]?.data.targets?.[target];
  } catch {
    // No graph here (a virtual Tree): the Tree's targets are all there is.
    return undefined;
  }
}

const SCAFFOLD = ['Dockerfile', 'image.json', '.dockerignore', 'requirements.txt', 'app/.gitkeep'];

async function scaffold(
  tree: Tree,
  schema: ImageGeneratorSchema,
  name: string,
  directory: string,
  register: string[] | undefined,
): Promise<void> {
  if (register) await initGenerator(tree, { include: register, skipFormat: true });
  const before = await scanAllRegistrations(tree, readRegistrations(tree));
  const all = combineScans(before);

  const taken = all.byProject(name)?.root ?? getProjects(tree).get(name)?.root;
  if (taken !== undefined) throw new Error(`A project named "${name}" already exists (${taken}); choose another name.`);
  const existing = tree.children(directory).filter((f) => /^(Dockerfile|Containerfile)(\..+)?$|^image\.json$/.test(f));
  if (existing.length)
    throw new Error(
      `${directory} already holds an image (${existing.join(', ')}); choose another --directory, or use nx-image-graph:variant to add a variant to it.`,
    );

  const builds = planBuilds(schema, all);
  const first = builds[0].parent;
  const repository = (schema.repository?.trim() || defaultRepository(first, name)).toLowerCase();
  const tags = schema.tags?.length ? schema.tags : builds[0].variant ? ['{variant}'] : ['latest'];
  checkTagsFree(all, repository, tags, builds, name);

  const manifest: ImageManifest = {
    $schema: schemaPath(directory),
    repository,
    tags,
    ...(builds[0].variant
      ? {
          variants: Object.fromEntries(
            builds.map((b) => [b.variant!, { args: { [PARENT_ARG]: b.parent.reference } } satisfies VariantManifest]),
          ),
        }
      : {}),
  };
  const manifestFile = joinPathFragments(directory, 'image.json');
  tree.write(joinPathFragments(directory, 'Dockerfile'), dockerfile({ name, repository, tags, builds }));
  writeManifestFile(tree, manifestFile, manifest);
  // Code that is already there (a service getting its first Dockerfile) is never overwritten.
  const writeIfAbsent = (path: string, content: string) =>
    tree.exists(joinPathFragments(directory, path)) || tree.write(joinPathFragments(directory, path), content);
  writeIfAbsent('.dockerignore', DOCKERIGNORE);
  writeIfAbsent('requirements.txt', REQUIREMENTS);
  if (!tree.exists(joinPathFragments(directory, 'app'))) writeIfAbsent('app/.gitkeep', '');

  await checkInGraph(tree, { directory, name, manifestFile, manifest, builds, before });

  for (const b of builds) {
    logger.info(`${name}${b.variant ? ` (${b.variant})` : ''}: ${repository} on ${describeParent(b.parent)}`);
  }
  logger.info(`Build it with: nx run ${name}:docker-build`);
}

function normalizeDirectory(dir: string): string {
  const d = posix.normalize(dir.trim().replace(/\\/g, '/')).replace(/^\.\/|\/+$/g, '');
  if (d === '' || d === '.' || d.startsWith('../') || posix.isAbsolute(d))
    throw new Error(`--directory "${dir}" must be a directory inside the workspace, e.g. images/<name>.`);
  return d;
}

/**
 * Beside the images the plugin already reads: `<dir>/<name>` for the first include of the form
 * `<dir>/**` (a directory outside the include would be no project), else `images/<name>`.
 */
export function defaultDirectory(include: string[], name: string): { directory: string; why: string } {
  const pattern = include.find((p) => includeDirectory(p) !== undefined);
  if (pattern)
    return { directory: `${includeDirectory(pattern)}/${name}`, why: `the directory of the plugin's include ${pattern} in nx.json` };
  return {
    directory: `images/${name}`,
    why: include.length ? `no include of the form <dir>/** names a directory for images` : 'the default directory for images',
  };
}

/**
 * One build per variant. A parent project with variants, named bare, gives the new image the same
 * variants, each on its namesake (seed 003: a CUDA stage and its CPU fallback on base:cuda / base:cpu).
 */
function planBuilds(schema: ImageGeneratorSchema, all: WorkspaceImages): PlannedBuild[] {
  const requested = [...new Set(toList(schema.variant))];
  for (const v of requested) {
    if (!variantName.safeParse(v).success)
      throw new Error(`--variant "${v}" is not a variant name: lower-case letters, digits, ".", "_" and "-".`);
  }
  const parent = schema.parent!.trim();
  const parentProject = all.byProject(parent);
  const variants = requested.length
    ? requested
    : parentProject && parentProject.builds.length > 1
      ? parentProject.builds.map((b) => b.variant!)
      : [];
  if (variants.length === 0) return [{ parent: resolveParent(parent, all) }];
  return variants.map((variant) => ({ variant, parent: resolveParent(parent, all, variant) }));
}

function toList(v: string[] | string | undefined): string[] {
  return (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Beside the parent: `acme/<name>` on `acme/base`, `ghcr.io/acme/<name>` on `ghcr.io/acme/base`. */
function defaultRepository(parent: Parent, name: string): string {
  if (parent.kind !== 'workspace') return name;
  const repo = parent.image.repository;
  return repo.includes('/') ? `${repo.slice(0, repo.lastIndexOf('/'))}/${name}` : name;
}

/** A tag another image already publishes would make references to either ambiguous. */
function checkTagsFree(all: WorkspaceImages, repository: string, tags: string[], builds: PlannedBuild[], name: string): void {
  for (const b of builds) {
    const args: Record<string, string> = b.variant ? { [PARENT_ARG]: b.parent.reference } : {};
    for (const tag of ImageIndex.staticTags(tags, { variant: b.variant, args, projectName: name }).tags) {
      const r = all.resolve(`${repository}:${tag}`);
      if (r.kind === 'workspace' || r.kind === 'ambiguous') {
        const owner = r.kind === 'workspace' ? r.node.project : r.nodes.map((n) => n.project).join(', ');
        throw new Error(`${repository}:${tag} is already built by ${owner}; pass another --repository or --tags.`);
      }
    }
  }
}

/**
 * The new directory as the plugin will see it: a project of the requested name, in a registration's
 * include, whose builds lead to the parents asked for. A basename shared with another image directory
 * would make the plugin lengthen both names, so then the manifest names the project explicitly.
 */
async function checkInGraph(
  tree: Tree,
  p: { directory: string; name: string; manifestFile: string; manifest: ImageManifest; builds: PlannedBuild[]; before: WorkspaceImages[] },
): Promise<void> {
  const regs = readRegistrations(tree);
  let scans = await scanAllRegistrations(tree, regs);
  let at = scans.findIndex((s) => s.byRoot(p.directory));
  if (at < 0) {
    const include = regs.map((r) => (r.include ?? []).join(', ')).join('; ');
    throw new Error(
      `${p.directory} is outside the plugin's include in nx.json (${include}), so it would not be a project. Use --directory under one of those, or add a pattern for it to "include".`,
    );
  }
  if (scans[at].byRoot(p.directory)!.project !== p.name) {
    writeManifestFile(tree, p.manifestFile, { $schema: p.manifest.$schema, name: p.name, ...p.manifest });
    scans = await scanAllRegistrations(tree, regs);
    at = scans.findIndex((s) => s.byRoot(p.directory));
  }
  const images = scans[at];
  const image = images.byRoot(p.directory)!;
  if (image.project !== p.name) throw new Error(`The plugin would name ${p.directory} "${image.project}", not "${p.name}".`);
  for (const old of p.before[at]?.images ?? []) {
    const now = images.byRoot(old.root);
    if (now && now.project !== old.project)
      throw new Error(
        `Adding ${p.directory} would rename project ${old.project} (${old.root}) to ${now.project}; choose another name or directory.`,
      );
  }
  for (const e of edgesOf(tree, images, image)) {
    const want = p.builds.find((b) => b.variant === e.build.variant)?.parent;
    if (want?.kind !== 'workspace') continue;
    if (!e.parents.some((x) => x.project === want.image.project && x.targetName === want.build.targetName)) {
      throw new Error(
        `${want.reference} is ${want.image.project}'s image, but the plugin registration that reads ${p.directory} does not see ${want.image.root}; put both under one registration's include.`,
      );
    }
  }
}

function dockerfile(p: { name: string; repository: string; tags: string[]; builds: PlannedBuild[] }): string {
  const first = p.builds[0];
  const on = first.variant
    ? `:\n${p.builds.map((b) => `#   ${b.variant}: ${describeParent(b.parent)}`).join('\n')}`
    : ` ${describeParent(first.parent)}.`;
  const fallback = p.builds.find((b) => b !== first && b.variant) ?? { variant: 'cpu', parent: { reference: 'acme/ml-base:cpu' } };
  return `# ${p.repository} (project ${p.name}), built on${on}
# nx-image-graph reads the parent from this file: \`nx graph\` shows the edge, and
# \`nx affected -t docker-build\` rebuilds this image whenever its parent changes.
#
# Steps go from least to most often changed. Docker reuses every layer up to the
# first step whose inputs changed, so a code change rebuilds only the last layer.

# The parent, as an ARG so a variant in image.json can build this same file on
# another parent, e.g. "${fallback.variant}": { "args": { "${PARENT_ARG}": "${fallback.parent.reference}" } }.
ARG ${PARENT_ARG}=${first.parent.reference}
FROM \${${PARENT_ARG}}

# 1. System packages change rarely. Update and install in one RUN (a cached
#    package index never goes stale) and clean up in the same layer.
# RUN apt-get update \\
#  && apt-get install -y --no-install-recommends curl ca-certificates \\
#  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# 2. Dependencies: copy the dependency list alone, then install it, so editing
#    the code does not reinstall them. (Skipped while the list is empty.)
COPY requirements.txt ./
RUN if grep -q '^[^#[:space:]]' requirements.txt; then pip install --no-cache-dir -r requirements.txt; fi

# 3. App code changes most often, so it comes last.
COPY app/ ./app/
`;
}

const REQUIREMENTS = `# Python packages for this image, one per line (pip's format), e.g.
#   fastapi==0.115.0
# Pin versions: the Dockerfile installs them in a layer of their own, before
# the app code is copied, and that layer is reused until this file changes.
`;

const DOCKERIGNORE = `# Kept out of the build context: secrets, VCS data, local installs, caches and
# notes. Less to send to the engine, and none of it can end up in a layer.
.env
.env.*
.git
**/node_modules
**/__pycache__
**/*.pyc
notes
`;

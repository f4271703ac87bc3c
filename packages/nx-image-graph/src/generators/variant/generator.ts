import { formatFiles, joinPathFragments, logger, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { readDockerfile } from '../../inference/dockerfile';
import { variantTargetName } from '../../inference/targets/target-names';
import { variantName } from '../../inference/manifest/schema';
import type { ImageManifest, VariantManifest } from '../../inference/manifest/schema';
import { BuildEdges, edgesOf } from '../shared/edges';
import { allOrNothing, schemaPath, writeManifestFile } from '../shared/manifest-file';
import { describeParent, Parent, resolveParent } from '../shared/parent';
import { argValueFor, findParentArg, rewriteLiteralFrom } from '../shared/parent-arg';
import { readRegistrations, Registration } from '../shared/plugin-registrations';
import { combineScans, scanAllRegistrations, WorkspaceImage, WorkspaceImages } from '../shared/workspace-images';
import type { VariantGeneratorSchema } from './schema';

/** The existing build's variant name when nothing better is known. */
export const DEFAULT_EXISTING_NAME = 'default';

/**
 * `nx g nx-image-graph:variant <project> --name=cpu [--from-parent=<parent>] [--args=NAME=value]`.
 *
 * Adds a variant to the image's manifest. If the image had no variants, its existing build becomes one
 * (named after its parent's variant, or `default`) keeping its tags, so every image built on it keeps
 * its edge. `--from-parent` sets the global ARG the Dockerfile's FROM uses: the CPU fallback of a CUDA
 * image is the same Dockerfile with `BASE_IMAGE=acme/ml-base:cpu`, not a generated copy (seed 003).
 */
export async function variantGenerator(tree: Tree, schema: VariantGeneratorSchema): Promise<void> {
  const name = schema.name?.trim() ?? '';
  if (!variantName.safeParse(name).success)
    throw new Error(`--name "${schema.name ?? ''}" is not a variant name: lower-case letters, digits, ".", "_" and "-" (e.g. cpu).`);

  const regs = readRegistrations(tree);
  const scans = await scanAllRegistrations(tree, regs);
  const at = scans.findIndex((s) => s.byProject(schema.project));
  if (at < 0) throw new Error(`"${schema.project}" is not an image project.\n${combineScans(scans).describe()}`);
  const images = scans[at];
  const image = images.byProject(schema.project)!;
  if (image.error) throw new Error(`${image.project} cannot be built, so no variant can be added until that is fixed:\n${image.error}`);
  if (image.builds.some((b) => b.variant === name)) {
    throw new Error(`${image.project} already has a variant "${name}" (variants: ${image.builds.map((b) => b.variant).join(', ')}).`);
  }

  const manifestFile = image.manifestFile ?? joinPathFragments(image.root, images.registration.options.manifest);
  // The new variant builds the image's default Dockerfile.
  const dockerfilePath = image.manifest.dockerfile
    ? posix.normalize(posix.join(image.root, image.manifest.dockerfile))
    : image.dockerfiles[0];
  await allOrNothing(tree, [manifestFile, dockerfilePath], () =>
    addVariant(tree, schema, { name, regs, scans, at, manifestFile, dockerfilePath }),
  );
  if (!schema.skipFormat) await formatFiles(tree);
}

async function addVariant(
  tree: Tree,
  schema: VariantGeneratorSchema,
  c: { name: string; regs: Registration[]; scans: WorkspaceImages[]; at: number; manifestFile: string; dockerfilePath: string },
): Promise<void> {
  const { name, regs, scans, at, manifestFile, dockerfilePath } = c;
  const images = scans[at];
  const image = images.byProject(schema.project)!;
  const manifest: ImageManifest = image.manifestFile ? structuredClone(image.manifest) : { $schema: schemaPath(image.root) };
  const edgesBefore = edgesOf(tree, images, image);
  const args = parseArgs(schema.args);

  let parent: Parent | undefined;
  /** The parent ARG's current value, written out on the existing build when it becomes a variant. */
  const existingArgs: Record<string, string> = {};
  if (schema.fromParent) {
    parent = resolveParent(schema.fromParent, combineScans(scans), name);
    const set = parentArgFor(tree, dockerfilePath, parent, { ...manifest.args, ...args });
    if (args[set.name] !== undefined && args[set.name] !== set.value)
      throw new Error(`--args sets ${set.name}=${args[set.name]}, but --from-parent needs ${set.name}=${set.value}; give one of them.`);
    args[set.name] = set.value;
    if (set.current !== undefined && manifest.args?.[set.name] === undefined) existingArgs[set.name] = set.current;
  }

  const hadVariants = Object.keys(manifest.variants ?? {}).length > 0;
  let existingName: string | undefined;
  if (!hadVariants && image.builds.length > 1) {
    // Dockerfile.cpu / Dockerfile.cuda were variants by file name; a manifest with variants replaces that rule, so spell them out.
    manifest.variants = Object.fromEntries(image.builds.map((b) => [b.variant!, { dockerfile: posix.relative(image.root, b.dockerfile) }]));
  } else if (!hadVariants) {
    existingName = schema.existingName?.trim() || mirroredVariant(images, edgesBefore[0], name) || DEFAULT_EXISTING_NAME;
    if (!variantName.safeParse(existingName).success)
      throw new Error(`--existing-name "${existingName}" is not a variant name: lower-case letters, digits, ".", "_" and "-".`);
    if (existingName === name)
      throw new Error(`The existing build would also be named "${name}"; pass --existing-name=<another name> for it.`);
    // The existing build keeps the tags it publishes, so the images built on it keep their edges.
    const tags = manifest.tags ?? ['latest'];
    delete manifest.tags;
    manifest.variants = { [existingName]: { ...(Object.keys(existingArgs).length ? { args: existingArgs } : {}), tags } };
  }

  const variant: VariantManifest = { ...(Object.keys(args).length ? { args } : {}) };
  if (schema.tags?.length) variant.tags = toList(schema.tags);
  else if (manifest.tags && !manifest.tags.some((t) => t.includes('{variant}'))) variant.tags = ['{variant}'];
  manifest.variants = { ...manifest.variants, [name]: variant };
  writeManifestFile(tree, manifestFile, manifest);

  const after = await scanAllRegistrations(tree, regs);
  const updated = after[at].byRoot(image.root)!;
  checkTagsDistinct(updated);
  checkEdges(tree, after[at], updated, { name, parent, existingName, edgesBefore });

  const targets = updated.builds.map((b) => b.targetName).join(', ');
  logger.info(
    `${image.project}: variant ${name}${
      Object.keys(args).length
        ? ` (${Object.entries(args)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : ''
    }${parent ? ` on ${describeParent(parent)}` : ''}.`,
  );
  if (existingName)
    logger.info(
      `${image.project}: the existing build is now variant ${existingName}, with its tags (${manifest.variants[existingName].tags!.join(', ')}).`,
    );
  logger.info(`${image.project}: targets ${targets}, and ${images.registration.options.buildTargetName} for all of them.`);
}

export default variantGenerator;

function toList(v: string[] | string | undefined): string[] {
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
}

function parseArgs(list: string[] | string | undefined): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of toList(list)) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new Error(`--args "${item}" is not NAME=value (a build arg name: letters, digits and _).`);
    args[key] = item.slice(eq + 1);
  }
  return args;
}

/**
 * The ARG to set, and its value, so the Dockerfile's FROM names the parent. A Dockerfile whose parent is
 * written out (FROM acme/base:cuda) is first rewritten to take it from an ARG defaulting to the same image.
 */
function parentArgFor(
  tree: Tree,
  file: string,
  parent: Parent,
  otherArgs: Record<string, string>,
): { name: string; value: string; current?: string } {
  let text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} does not exist.`);
  let model = readDockerfile(text, file);
  if (model.problems.length)
    throw new Error(`${file} cannot be read:\n${model.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`);
  let arg = findParentArg(model);
  if (!arg) {
    const rewritten = rewriteLiteralFrom(text, file);
    if (!rewritten)
      throw new Error(
        `${file}: no FROM takes its image from a global ARG, and none could be rewritten to. Write it as ARG BASE_IMAGE=<image> / FROM \${BASE_IMAGE}, or pass --args.`,
      );
    text = rewritten.text;
    tree.write(file, text);
    model = readDockerfile(text, file);
    arg = findParentArg(model)!;
    logger.info(
      `${file}: FROM ${rewritten.from} now reads ARG ${rewritten.arg} (default ${rewritten.from}), so a variant can set it; the existing build is unchanged.`,
    );
  }
  const value = argValueFor(model, arg, parent.reference, otherArgs);
  if (value === undefined) {
    throw new Error(
      `${file}: FROM ${arg.fromRaw} cannot name ${parent.reference} by setting ${arg.name}. Pass the build args it needs with --args instead.`,
    );
  }
  return {
    name: arg.name,
    value,
    ...(otherArgs[arg.name] === undefined && arg.literalDefault !== undefined ? { current: arg.literalDefault } : {}),
  };
}

/** The variant name of the workspace build the existing build is on (ml-base's `cuda`), unless it is the new variant's. */
function mirroredVariant(images: WorkspaceImages, edges: BuildEdges | undefined, newName: string): string | undefined {
  for (const p of edges?.parents ?? []) {
    const variant = images.byProject(p.project)?.builds.find((b) => b.targetName === p.targetName)?.variant;
    if (variant && variant !== newName) return variant;
  }
  return undefined;
}

/** Two builds publishing one tag would overwrite each other. */
function checkTagsDistinct(image: WorkspaceImage): void {
  const seen = new Map<string, string>();
  for (const b of image.builds) {
    for (const t of b.staticTags) {
      const other = seen.get(t);
      if (other !== undefined && other !== b.variant) {
        throw new Error(
          `Variants ${other} and ${b.variant} of ${image.project} would both be tagged ${image.repository}:${t}; give the new one its own --tags (e.g. {variant}).`,
        );
      }
      seen.set(t, b.variant ?? '');
    }
  }
}

/** The new variant is built on the parent asked for, and the existing builds on what they were built on before. */
function checkEdges(
  tree: Tree,
  images: WorkspaceImages,
  image: WorkspaceImage,
  p: { name: string; parent?: Parent; existingName?: string; edgesBefore: BuildEdges[] },
): void {
  const edges = edgesOf(tree, images, image);
  const added = edges.find((e) => e.build.variant === p.name)!;
  const want = p.parent;
  if (
    want?.kind === 'workspace' &&
    !added.parents.some((x) => x.project === want.image.project && x.targetName === want.build.targetName)
  ) {
    throw new Error(
      `Variant ${p.name} of ${image.project} would not be built on ${describeParent(want)}: its Dockerfile names ${[...added.parents.map((x) => x.reference), ...added.others].join(', ') || 'nothing'}.`,
    );
  }
  for (const before of p.edgesBefore) {
    const now = edges.find((e) => e.build.variant === (before.build.variant ?? p.existingName));
    const key = (e: BuildEdges) =>
      e.parents
        .map((x) => `${x.project}:${x.targetName}`)
        .sort()
        .join(',');
    if (now && key(now) !== key(before)) {
      throw new Error(
        `Adding variant ${p.name} would change what ${variantTargetName('docker-build', before.build.variant)} of ${image.project} is built on; nothing was written.`,
      );
    }
  }
}

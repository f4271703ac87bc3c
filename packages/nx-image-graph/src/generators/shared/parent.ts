import { normalizeRepository, parseImageReference } from '../../inference/dockerfile';
import { ImageBuild, WorkspaceImage, WorkspaceImages } from './workspace-images';

/** What a new image or variant is built on. */
export type Parent =
  { kind: 'workspace'; image: WorkspaceImage; build: ImageBuild; reference: string } | { kind: 'external'; reference: string };

/**
 * Finds the parent a user named: a workspace image by project name (`ml-base`, or `ml-base:cpu` for one
 * of its variants), by a reference it publishes (`acme/ml-base:cpu`), or an external image given with its
 * tag (`busybox:1.36`). Anything that looks like a workspace image but is none is an error listing what
 * exists: a typo must not silently become a Docker Hub pull.
 *
 * `preferVariant`: when the named project has variants, the one of this name (a `cpu` variant is built on
 * the parent's `cpu` variant).
 */
export function resolveParent(spec: string, images: WorkspaceImages, preferVariant?: string): Parent {
  const value = spec.trim();
  const byName = images.byProject(value);
  if (byName) return workspaceParent(byName, pickBuild(byName, value, preferVariant), images);

  const colon = value.lastIndexOf(':');
  if (colon > 0 && !value.slice(colon).includes('/')) {
    const image = images.byProject(value.slice(0, colon));
    const variant = value.slice(colon + 1);
    const build = image?.builds.find((b) => b.variant === variant);
    if (image && build) return workspaceParent(image, build, images);
    // `project:tag` with a project of that name is a typo'd variant, not a Docker Hub image.
    if (image && images.resolve(value).kind !== 'workspace') {
      const variants = image.builds.filter((b) => b.variant).map((b) => b.variant);
      throw new Error(
        `--parent "${spec}": ${image.project} has ${variants.length ? `no variant "${variant}" (variants: ${variants.join(', ')})` : 'no variants'}.\n${images.describe()}`,
      );
    }
  }

  const ref = parseImageReference(value);
  if (!ref) {
    throw new Error(`--parent "${spec}" is neither a workspace image nor a valid image reference.\n${images.describe()}`);
  }
  const r = images.resolve(value);
  if (r.kind === 'workspace') {
    const image = images.byProject(r.node.project)!;
    return { kind: 'workspace', image, build: image.builds.find((b) => b.targetName === r.node.targetName)!, reference: value };
  }
  if (r.kind === 'ambiguous') {
    throw new Error(
      `--parent "${spec}" is published by several workspace builds (${r.nodes.map((n) => `${n.project}:${n.targetName}`).join(', ')}); give them different tags, or name the project.`,
    );
  }
  if (r.kind === 'invalid') throw new Error(`--parent "${spec}" is not a valid image reference.`);
  if (r.kind === 'unknown-tag') {
    // The repository is built here, under other tags.
    throw new Error(
      `--parent "${spec}": the workspace builds ${r.candidates[0].repository}, but no build has tag "${r.tag}".\n${images.describe()}`,
    );
  }
  if (r.note) throw new Error(`--parent "${spec}": ${r.note}.\n${images.describe()}`);
  if (!ref.tag && !ref.digest) {
    throw new Error(
      `--parent "${spec}" is not a workspace image.\n${images.describe()}\n` +
        `For an external image, give its tag (e.g. ${value}:<version>): an untagged base means "latest", which changes under you.`,
    );
  }
  const owner = ownerOf(ref.repository);
  const ownerImages = owner
    ? images.images.filter((i) => ownerOf(parseImageReference(i.repository)?.repository ?? i.repository) === owner)
    : [];
  if (ownerImages.length > 0 && !images.registration.options.ignoredOwners.includes(owner!)) {
    throw new Error(
      `--parent "${spec}" looks like a workspace image (${owner}/ is the owner of ${ownerImages.map((i) => i.repository).join(', ')}), but no workspace image publishes it.\n${images.describe()}`,
    );
  }
  return { kind: 'external', reference: value };
}

/** The build of a parent project to build on: the only one, the preferred variant, or an error naming the variants. */
function pickBuild(image: WorkspaceImage, spec: string, preferVariant?: string): ImageBuild {
  if (image.error) throw new Error(`--parent "${spec}": ${image.project} cannot be built: ${image.error}`);
  if (image.builds.length === 0) throw new Error(`--parent "${spec}": ${image.project} has no Dockerfile to build.`);
  if (image.builds.length === 1) return image.builds[0];
  const preferred = image.builds.find((b) => b.variant === preferVariant);
  if (preferred) return preferred;
  const variants = image.builds.map((b) => b.variant).join(', ');
  throw new Error(
    `--parent "${spec}" has variants (${variants}); name one: ${image.builds.map((b) => `--parent=${image.project}:${b.variant}`).join(' or ')}.`,
  );
}

/** A workspace parent's reference: one of its fixed tags that the plugin resolves back to that very build. */
function workspaceParent(image: WorkspaceImage, build: ImageBuild, images: WorkspaceImages): Parent {
  for (const tag of build.staticTags) {
    const reference = `${image.repository}:${tag}`;
    const r = images.resolve(reference);
    if (r.kind === 'workspace' && r.node.project === image.project && r.node.targetName === build.targetName) {
      return { kind: 'workspace', image, build, reference };
    }
  }
  throw new Error(
    `${image.project}${build.variant ? ` (${build.variant})` : ''} has no fixed tag another Dockerfile can name (its tags: ${build.tagTemplates.join(', ')}). ` +
      `Add one that needs no build-time value (e.g. "latest" or "{variant}") to its image.json "tags", then run this again.`,
  );
}

/** `acme/ml-base` -> `acme`; single-component repositories have no owner. */
function ownerOf(repository: string): string | undefined {
  const repo = normalizeRepository(repository);
  const slash = repo.indexOf('/');
  return slash > 0 ? repo.slice(0, slash) : undefined;
}

/** The build a reference leads to, as a phrase: `ml-base (cpu)` or `busybox:1.36 (external)`. */
export function describeParent(p: Parent): string {
  return p.kind === 'workspace'
    ? `${p.reference} (project ${p.image.project}${p.build.variant ? `, variant ${p.build.variant}` : ''})`
    : `${p.reference} (external image)`;
}

import { globAsync, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { contextSources, readDockerfile } from '../../inference/dockerfile';
import { BuildPlan, buildPlans } from '../../inference/definitions/image-definition';
import { IMAGE_MANIFEST } from '../../inference/definitions/legacy-image-manifest';
import type { ImageManifest } from '../../inference/manifest/schema';
import type { WorkspaceImage } from '../shared/workspace-images';

/**
 * What a workspace file is to an image's builds, for the import generator:
 * - `own`: the image's manifest, Dockerfile or `.image-manifest`. The Dockerfile is an input of
 *   every build already, and the manifest is hashed by the fields each build reads: as a whole
 *   input, its `version` (written by `nx release version`) would rebuild the image.
 * - `read`: a context file a build is sent (its COPY/ADD/bind-mount sources): already hashed.
 * - `unread`: inside every build's context, but sent to none: it cannot change the image.
 * - `outside`: outside a build's context; it may still reach the build (a secret's file, the
 *   source of a generated file), so a line naming it stays an input.
 */
export type FileRole = 'own' | 'read' | 'unread' | 'outside';

export type ClassifyFile = (path: string) => FileRole;

const under = (path: string, dir: string) => dir === '.' || dir === '' || path === dir || path.startsWith(`${dir}/`);

/** The image's builds as the plugin will run them (contexts and sent files), read from the Tree. */
export async function buildReads(tree: Tree, image: WorkspaceImage, manifest: ImageManifest): Promise<ClassifyFile> {
  const rel = (p: string) => posix.normalize(posix.join(image.root, p));
  const manifestFile = image.manifestFile ?? posix.join(image.root, 'image.json');
  let plans: BuildPlan[];
  try {
    plans = buildPlans({ root: image.root, dockerfiles: image.dockerfiles, manifest: manifestFile }, manifest, rel);
  } catch {
    plans = [];
  }
  const builds = await Promise.all(
    plans.map(async (plan) => {
      const context = rel(plan.context ?? manifest.context ?? '.');
      const text = tree.read(plan.dockerfile, 'utf-8');
      const model = text === null ? undefined : readDockerfile(text, plan.dockerfile);
      const sources = model && model.problems.length === 0 ? contextSources(model, plan.args, { target: plan.target }) : undefined;
      const whole = !sources || sources.dynamic || sources.paths.some((p) => ['.', '', './', '/'].includes(p));
      if (whole) return { context, dockerfile: plan.dockerfile, sent: undefined };
      const paths = sources.paths.map((s) => posix.normalize(posix.join(context, s.replace(/^\/+/, ''))).replace(/\/+$/, ''));
      const sent = new Set(paths.length ? await globAsync(tree, [...paths, ...paths.map((p) => `${p}/**`)]) : []);
      return { context, dockerfile: plan.dockerfile, sent };
    }),
  );
  const own = new Set([manifestFile, ...image.dockerfiles, ...builds.map((b) => b.dockerfile)]);
  return (path) => {
    if (own.has(path) || posix.basename(path) === IMAGE_MANIFEST) return 'own';
    if (builds.some((b) => under(path, b.context) && (!b.sent || b.sent.has(path)))) return 'read';
    if (builds.length && builds.every((b) => under(path, b.context))) return 'unread';
    return 'outside';
  };
}

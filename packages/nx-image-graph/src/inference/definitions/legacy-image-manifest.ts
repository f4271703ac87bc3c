import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ImageDefinition, ImageManifestLine } from './definition-model';

export type { ImageManifestLine } from './definition-model';

/**
 * Seed 004 kept a `.image-manifest` beside each Dockerfile: the files whose change must rebuild the
 * image. `nx g nx-image-graph:import` turns it into image.json `inputs`; the plugin never reads it
 * again. A team whose old scripts still read it keeps editing it, and the two drift apart silently:
 * this finds the lines the plugin does not track.
 */
export const IMAGE_MANIFEST = '.image-manifest';

/** Seed 004's format: one path or glob per line; `#` starts a comment line; blank lines are ignored. */
export function readImageManifestLines(text: string): ImageManifestLine[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, entry: raw.trim().replace(/^\.\//, '') }))
    .filter((l) => l.entry !== '' && !l.entry.startsWith('#'));
}

/** The `.image-manifest` of an image directory, when there is one (kept in the cached definition). */
export function readLegacyManifest(workspaceRoot: string, root: string): ImageDefinition['legacyManifest'] {
  const file = root === '.' ? IMAGE_MANIFEST : `${root}/${IMAGE_MANIFEST}`;
  if (!existsSync(join(workspaceRoot, file))) return undefined;
  try {
    return { file, lines: readImageManifestLines(readFileSync(join(workspaceRoot, file), 'utf8')) };
  } catch {
    // Unreadable: nothing to compare; the import generator reports it when run.
    return undefined;
  }
}

/**
 * The workspace paths a line can mean, as the import generator resolves it: relative to the image
 * directory first, then to the repository root. Outside the workspace: none.
 */
function candidatePaths(root: string, entry: string): string[] {
  const fromRoot = posix.normalize(entry.replace(/^\/+/, '')).replace(/\/+$/, '');
  const fromDir = posix.normalize(posix.join(root, entry)).replace(/\/+$/, '');
  const all = root !== '.' && !entry.startsWith('/') ? [fromDir, fromRoot] : [fromRoot];
  return all.filter((p) => p !== '..' && !p.startsWith('../'));
}

const under = (path: string, dir: string) => dir === '.' || dir === '' || path === dir || path.startsWith(`${dir}/`);

/** Whether the plugin already rebuilds the image when `path` changes. */
function tracked(path: string, d: ImageDefinition, parentDockerfiles: Set<string>): boolean {
  if (path === d.manifestFile || d.builds.some((b) => b.dockerfile === path) || parentDockerfiles.has(path)) return true;
  for (const input of d.inputs) {
    const glob = input.replace(/^\{workspaceRoot\}\//, '');
    if (glob === path || glob === `${path}/**`) return true;
    if (glob.endsWith('/**') && under(path, glob.slice(0, -3))) return true;
  }
  // What the Dockerfile copies is hashed without being listed.
  return d.builds.some(
    (b) =>
      under(path, b.context) &&
      (b.sources === undefined || b.sources.some((s) => under(path, posix.normalize(posix.join(b.context, s)).replace(/\/+$/, '')))),
  );
}

/**
 * A line written from the repository root (seed 004's form) that names part of every build's context:
 * what the build is sent of it is hashed, and the rest cannot reach the image, so the import generator
 * leaves it out of `inputs` (a glob such as `Stack/app/*` would hold the manifest itself).
 */
function insideContexts(entry: string, d: ImageDefinition): boolean {
  const fromRoot = posix.normalize(entry.replace(/^\/+/, '')).replace(/\/+$/, '');
  return d.builds.length > 0 && d.builds.every((b) => under(fromRoot, b.context));
}

/**
 * One warning per `.image-manifest` whose lines name files the image's build does not track (not an
 * input, not copied, not a parent's Dockerfile): the file and each line, and the two ways out.
 * `parentDockerfiles`: the Dockerfiles of the images this one is built on (an edge covers those).
 */
export function legacyManifestDrift(d: ImageDefinition, projectName: string, parentDockerfiles: Set<string>): string | undefined {
  const legacy = d.legacyManifest;
  if (!legacy) return undefined;
  const untracked = legacy.lines.filter((l) => {
    const paths = candidatePaths(d.root, l.entry);
    return paths.length > 0 && !insideContexts(l.entry, d) && !paths.some((p) => p === legacy.file || tracked(p, d, parentDockerfiles));
  });
  if (untracked.length === 0) return undefined;
  const where = d.manifestFile ? `${d.manifestFile} "inputs"` : 'an image.json "inputs"';
  return [
    `${legacy.file}: ${untracked.length} line(s) name files a change of which does not rebuild ${projectName} (the plugin reads ${where}, not ${IMAGE_MANIFEST}):`,
    ...untracked.map((l) => `  ${legacy.file}:${l.line}: ${l.entry}`),
    `Run nx g nx-image-graph:import --directory=${d.root} to add them to the inputs, or delete ${legacy.file} if the list is out of date.`,
  ].join('\n');
}

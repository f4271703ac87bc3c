import { basename, dirname } from 'node:path/posix';
import { isDockerfileName } from '../options/dockerfile-names';
import type { NormalizedOptions } from '../options/plugin-options';

/**
 * What holds an image: a directory with its Dockerfile(s) and, optionally, a manifest; or, in a
 * directory of several images (rocker's `dockerfiles/r-ver_4.3.3.Dockerfile`), one Dockerfile with
 * its own `<name>.image.json`. Paths are workspace-relative.
 */
export interface ImageDirectory {
  /** The Nx project root: the directory, or the Dockerfile of an image that shares its directory. */
  root: string;
  /** The directory the manifest's paths are relative to (the root, unless the image shares its directory). */
  dir?: string;
  /** The path its default project name comes from (`dockerfiles/r-ver_4.3.3`), when not the root. */
  namePath?: string;
  manifest?: string;
  dockerfiles: string[];
}

/** The directory of an image's files. */
export const directoryOf = (d: Pick<ImageDirectory, 'root' | 'dir'>): string => d.dir ?? d.root;

/**
 * Groups the files Nx matched into images: one project per directory, and one per Dockerfile
 * that has a manifest of its own (`<name>.image.json`) beside the directory's.
 */
export function discoverImageDirectories(files: readonly string[], options: NormalizedOptions): ImageDirectory[] {
  const byDir = new Map<string, { manifest?: string; own: string[]; dockerfiles: string[]; named: string[] }>();
  const dirOf = (dir: string) => {
    let entry = byDir.get(dir);
    if (!entry) byDir.set(dir, (entry = { own: [], dockerfiles: [], named: [] }));
    return entry;
  };
  for (const file of files) {
    const name = basename(file);
    const dir = dirname(file);
    if (name === options.manifest) dirOf(dir).manifest = file;
    else if (name.endsWith(OWN_MANIFEST_SUFFIX) && name !== OWN_MANIFEST_SUFFIX.slice(1)) dirOf(dir).own.push(file);
    else {
      if (isDockerfileName(name, options.dockerfiles)) dirOf(dir).dockerfiles.push(file);
      // A Dockerfile a manifest of its own names counts whatever the "dockerfiles" option says.
      if (DOCKERFILE_LIKE.test(name)) dirOf(dir).named.push(file);
    }
  }
  const images: ImageDirectory[] = [];
  for (const [dir, entry] of byDir) {
    const claimed = new Set<string>();
    for (const manifest of entry.own) {
      const stem = basename(manifest).slice(0, -OWN_MANIFEST_SUFFIX.length);
      const dockerfile = ownDockerfile(stem, entry.named);
      if (dockerfile) claimed.add(dockerfile);
      // The Dockerfile is the project's root (Nx counts its changes to the image); without one, the manifest is.
      images.push({
        root: dockerfile ?? manifest,
        dir,
        namePath: dir === '.' ? stem : `${dir}/${stem}`,
        manifest,
        dockerfiles: dockerfile ? [dockerfile] : [],
      });
    }
    const rest = entry.dockerfiles.filter((f) => !claimed.has(f)).sort(preferPlainDockerfile);
    if (entry.manifest || rest.length) images.push({ root: dir, manifest: entry.manifest, dockerfiles: rest });
  }
  return images.sort((a, b) => a.root.localeCompare(b.root));
}

/** A manifest of one image among several in its directory: `r-ver_4.3.3.image.json` beside `r-ver_4.3.3.Dockerfile`. */
const OWN_MANIFEST_SUFFIX = '.image.json';
const DOCKERFILE_LIKE = /^(Dockerfile|Containerfile)\..+$|^.+\.(Dockerfile|Containerfile)$/;

/** `<stem>.Dockerfile`, `Dockerfile.<stem>` (or Containerfile): the Dockerfile a `<stem>.image.json` builds, unless it says another. */
function ownDockerfile(stem: string, dockerfiles: string[]): string | undefined {
  const names = [`${stem}.Dockerfile`, `Dockerfile.${stem}`, `${stem}.Containerfile`, `Containerfile.${stem}`];
  return names.map((n) => dockerfiles.find((f) => basename(f) === n)).find((f) => f !== undefined);
}

function preferPlainDockerfile(a: string, b: string): number {
  const rank = (f: string) => (basename(f) === 'Dockerfile' ? 0 : basename(f) === 'Containerfile' ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** The variant a Dockerfile name implies when a directory has several: `Dockerfile.cpu` and `cpu.Dockerfile` are `cpu`. */
export function variantOfDockerfileName(file: string): string {
  const name = basename(file);
  const m = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(name) ?? /^(.+)\.(?:Dockerfile|Containerfile)$/.exec(name);
  return (m ? m[1] : 'default').toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
}

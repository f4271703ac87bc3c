import { basename, dirname } from 'node:path/posix';
import { isDockerfileName } from '../options/dockerfile-names';
import type { NormalizedOptions } from '../options/plugin-options';

/** A directory that holds an image: its Dockerfile(s) and, optionally, a manifest. Paths are workspace-relative. */
export interface ImageDirectory {
  root: string;
  manifest?: string;
  dockerfiles: string[];
}

/** Groups the files Nx matched into image directories: one project per directory. */
export function discoverImageDirectories(files: readonly string[], options: NormalizedOptions): ImageDirectory[] {
  const byRoot = new Map<string, ImageDirectory>();
  const dirOf = (root: string) => {
    let dir = byRoot.get(root);
    if (!dir) byRoot.set(root, (dir = { root, dockerfiles: [] }));
    return dir;
  };
  for (const file of files) {
    const name = basename(file);
    const root = dirname(file);
    if (name === options.manifest) dirOf(root).manifest = file;
    else if (isDockerfileName(name, options.dockerfiles)) dirOf(root).dockerfiles.push(file);
  }
  return [...byRoot.values()]
    .map((d) => ({ ...d, dockerfiles: d.dockerfiles.sort(preferPlainDockerfile) }))
    .sort((a, b) => a.root.localeCompare(b.root));
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

import { lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
import { listContextFiles } from '../context/context-files';
import { readDockerignore } from '../../inference/inputs/dockerignore';
import { contextSources, DockerfileModel } from '../../inference/dockerfile';

/** What the build context tar holds: exactly the files the build reads, and how big they are. */
export interface BuildContextFiles {
  files: string[];
  bytes: number;
  /** Bytes per top-level directory of the context, largest first (for the size warning). */
  largest: { path: string; bytes: number }[];
  /** Entries the build could see that no tar carries (FIFOs, sockets, devices): left out, and said. */
  special: { path: string; kind: string }[];
}

/**
 * The context paths a Dockerfile reads (COPY/ADD and `RUN --mount=type=bind` sources of the stages
 * the target needs), or undefined for the whole context: `COPY . .`, a source made of unknown args,
 * or a base image with ONBUILD triggers (they copy what the base says, which the Dockerfile does not).
 * The same sources the graph hashes, so the engine gets what Nx hashed and nothing more.
 */
export function readSources(
  model: DockerfileModel,
  args: Record<string, string>,
  target: string | undefined,
  baseHasOnBuild: boolean,
): string[] | undefined {
  if (baseHasOnBuild) return undefined;
  const sources = contextSources(model, args, { target });
  if (sources.dynamic || sources.paths.some((p) => ['.', '', './', '/'].includes(p))) return undefined;
  return sources.paths;
}

/** The files of the context to send: those under the sources (globs as COPY reads them), minus `.dockerignore`. */
export async function buildContextFiles(
  contextDir: string,
  dockerfilePath: string,
  sources: string[] | undefined,
  always: string[],
): Promise<BuildContextFiles> {
  const ignore = readDockerignore(contextDir, dockerfilePath);
  const roots = sources?.map((s) => posix.normalize(s.replace(/^\/+/, '')).replace(/\/+$/, ''));
  const special: BuildContextFiles['special'] = [];
  const files = await listContextFiles(contextDir, {
    patterns: ignore.patterns,
    always: [...always, '.dockerignore'],
    ...(roots ? { roots } : {}),
    onSpecial: (path, kind) => special.push({ path, kind }),
  });
  const perDir = new Map<string, number>();
  let bytes = 0;
  for (const f of files) {
    let size = 0;
    try {
      size = lstatSync(join(contextDir, f)).size;
    } catch {
      // Gone since it was listed: the tar stream will say so.
    }
    bytes += size;
    const top = f.includes('/') ? `${f.slice(0, f.indexOf('/'))}/` : f;
    perDir.set(top, (perDir.get(top) ?? 0) + size);
  }
  const largest = [...perDir].map(([path, b]) => ({ path, bytes: b })).sort((a, b) => b.bytes - a.bytes);
  return { files, bytes, largest, special };
}

/** The files with one more (the Dockerfile, sent inside the context as it is), counted once. */
export function withFile(files: BuildContextFiles, contextDir: string, path: string | undefined): BuildContextFiles {
  if (path === undefined || files.files.includes(path)) return files;
  let size = 0;
  try {
    size = lstatSync(join(contextDir, path)).size;
  } catch {
    // Gone since: the tar stream will say so.
  }
  return { ...files, files: [...files.files, path].sort(), bytes: files.bytes + size };
}

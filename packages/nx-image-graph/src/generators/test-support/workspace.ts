import { logger, Tree, updateNxJson, readNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { ImageGraphMetadata } from '../../inference/targets/image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { inferFromFilesUncached } from '../../inference/targets/infer-from-files';
import type { InferredImageProject } from '../../inference/targets/infer-image-projects';
import { isDockerfileName } from '../../inference/options/dockerfile-names';
import { normalizeOptions } from '../../inference/options/plugin-options';
import { readRegistrations } from '../shared/plugin-registrations';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..');

/**
 * createTreeWithEmptyWorkspace() without its formatter config: the test workspace has no formatter
 * installed, so formatFiles() (which the generators run) would only warn that it cannot find it.
 */
export function emptyWorkspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.delete('.oxfmtrc.json');
  return tree;
}

/** An empty Nx workspace with the plugin registered (as `nx add` leaves it). */
export function workspaceWithPlugin(include: string[] | undefined = ['images/**']): Tree {
  const tree = emptyWorkspace();
  const nxJson = readNxJson(tree)!;
  nxJson.plugins = [{ plugin: 'nx-image-graph', ...(include ? { include } : {}) }];
  updateNxJson(tree, nxJson);
  return tree;
}

/** The repository's example image graph (images/), copied into a fresh virtual workspace. */
export function exampleWorkspace(): Tree {
  const tree = workspaceWithPlugin();
  const copy = (dir: string) => {
    for (const name of readdirSync(join(REPO_ROOT, dir))) {
      const rel = posix.join(dir, name);
      if (statSync(join(REPO_ROOT, rel)).isDirectory()) copy(rel);
      else tree.write(rel, readFileSync(join(REPO_ROOT, rel)));
    }
  };
  copy('images');
  return tree;
}

export function write(tree: Tree, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) tree.write(path, content);
}

/**
 * What the plugin itself infers from the Tree: its files written to a temporary directory and run
 * through inferImageProjects, the function behind createNodes. This is the graph `nx graph` would show.
 */
export function inferFromTree(
  tree: Tree,
  include = 'images/',
): { projects: InferredImageProject[]; edges: string[]; problems: string[]; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'nx-image-graph-generators-'));
  try {
    const files: string[] = [];
    const walk = (path: string) => {
      for (const name of tree.children(path)) {
        const rel = path ? posix.join(path, name) : name;
        if (tree.isFile(rel)) {
          mkdirSync(dirname(join(dir, rel)), { recursive: true });
          writeFileSync(join(dir, rel), tree.read(rel)!);
          files.push(rel);
        } else walk(rel);
      }
    };
    walk('');
    const options = readRegistrations(tree)[0]?.options ?? normalizeOptions(undefined);
    const imageFiles = files.filter(
      (f) => f.startsWith(include) && (posix.basename(f) === options.manifest || isDockerfileName(posix.basename(f), options.dockerfiles)),
    );
    const { projects, problems, warnings } = inferFromFilesUncached(imageFiles, options, dir);
    const edges = projects.flatMap((p) => {
      const meta = p.project.metadata?.[METADATA_KEY] as ImageGraphMetadata | undefined;
      return (meta?.builds ?? []).flatMap((b) => b.parents.map((x) => `${p.project.name}:${b.targetName} -> ${x.project}:${x.targetName}`));
    });
    return {
      projects,
      edges: [...new Set(edges)].sort(),
      problems: problems.map((p) => p.message),
      warnings: warnings.map((w) => w.message),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Collects what a generator logs (and keeps the test output quiet). */
export function captureLogs(): { info: string[]; warn: string[]; text: () => string } {
  const info: string[] = [];
  const warn: string[] = [];
  jest.spyOn(logger, 'info').mockImplementation((...a: unknown[]) => void info.push(a.join(' ')));
  jest.spyOn(logger, 'warn').mockImplementation((...a: unknown[]) => void warn.push(a.join(' ')));
  return { info, warn, text: () => [...info, ...warn].join('\n') };
}

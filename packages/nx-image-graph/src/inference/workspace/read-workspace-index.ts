import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nxGlob, nxHashMultiGlob, nxTargetDefaultsReader } from '../../core/nx/nx-helpers';
import { DeclaredOutputs, declaredOutputs, TargetDefaultsOf } from './declared-outputs';
import { ConfigFile, projectsFromConfigFiles, workspacePackagePatterns } from './project-config-files';

const CONFIG_FILES = ['**/project.json', '**/package.json'];

/** The workspace's own projects as their files declare them: names by root, and what their targets write. */
export interface WorkspaceIndex {
  projects: { name: string; root: string }[];
  outputs: DeclaredOutputs[];
}

// Kept for the life of the process (the daemon's plugin worker computes the graph again on every change).
const cache = new Map<string, { key: string; index: WorkspaceIndex }>();

/**
 * The `project.json` and `package.json` projects and what their targets write, read through Nx's
 * view of the workspace (its ignore files apply), with `targetDefaults` from nx.json. Read again
 * only when one of those files, the workspaces' globs or the target defaults changed.
 */
export async function readWorkspaceIndex(workspaceRoot: string, targetDefaults: unknown): Promise<WorkspaceIndex> {
  const inferAll = process.env.NX_INFER_ALL_PACKAGE_JSONS === 'true';
  const [filesHash] = await nxHashMultiGlob(workspaceRoot, [[...CONFIG_FILES, 'pnpm-workspace.yaml']]);
  const key = JSON.stringify([filesHash, targetDefaults ?? null, inferAll]);
  const hit = cache.get(workspaceRoot);
  if (hit?.key === key) return hit.index;

  const paths = (await nxGlob(workspaceRoot, CONFIG_FILES)).filter((p) => p !== 'package.json' || hasNxSection(workspaceRoot));
  const files: ConfigFile[] = paths.map((path) => ({ path, json: readJson(join(workspaceRoot, path)) }));
  const packages = inferAll ? undefined : new Set(await workspacePackages(workspaceRoot));
  const projects = projectsFromConfigFiles(files, (p) => !packages || packages.has(p));
  const index = {
    projects: projects.map((p) => ({ name: p.name, root: p.root })),
    outputs: declaredOutputs(projects, targetDefaultsOf(targetDefaults)),
  };
  cache.set(workspaceRoot, { key, index });
  return index;
}

/** Nx's own reader of `targetDefaults`, loaded only for a workspace that has some. */
function targetDefaultsOf(targetDefaults: unknown): TargetDefaultsOf | undefined {
  if (!targetDefaults || typeof targetDefaults !== 'object' || Object.keys(targetDefaults).length === 0) return undefined;
  const read = nxTargetDefaultsReader();
  return (target, executor, project) =>
    read(target, targetDefaults, executor, {
      projectName: project.name,
      projectNode: {
        name: project.name,
        type: 'lib',
        data: { root: project.root, name: project.name, tags: project.tags ?? [], targets: project.targets },
      },
      sourcePlugin: project.targets[target]?.plugin,
    });
}

/** The package.json files the package manager's workspaces name (Nx makes projects of these). */
async function workspacePackages(workspaceRoot: string): Promise<string[]> {
  const pnpm = join(workspaceRoot, 'pnpm-workspace.yaml');
  const patterns = workspacePackagePatterns(
    readJson(join(workspaceRoot, 'package.json')),
    existsSync(pnpm) ? readFileSync(pnpm, 'utf8') : undefined,
  );
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => `${p.replace(/\/+$/, '')}/package.json`);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => `${p.slice(1).replace(/\/+$/, '')}/package.json`);
  return include.length ? nxGlob(workspaceRoot, include, exclude) : [];
}

/** The root package.json is a project only when it says so. */
function hasNxSection(workspaceRoot: string): boolean {
  const json = readJson(join(workspaceRoot, 'package.json')) as { nx?: unknown } | undefined;
  return !!json?.nx;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A file Nx itself cannot read is reported by Nx; here it only contributes no targets.
    return undefined;
  }
}

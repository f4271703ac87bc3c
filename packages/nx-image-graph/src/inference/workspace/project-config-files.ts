import { posix } from 'node:path';
import type { WorkspaceProject, WorkspaceTarget } from './declared-outputs';

/** A parsed `project.json` or `package.json` (workspace-relative path). */
export interface ConfigFile {
  path: string;
  json: unknown;
}

/** The names Nx gives its own project-file plugins (what a `targetDefaults` entry's `filter.plugin` names). */
const PROJECT_JSON_PLUGIN = 'nx/core/project-json';
const PACKAGE_JSON_PLUGIN = 'nx/core/package-json';

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  nx?: { name?: string; tags?: string[]; targets?: Record<string, WorkspaceTarget>; includedScripts?: string[] };
}

interface ProjectJson {
  name?: string;
  tags?: string[];
  targets?: Record<string, WorkspaceTarget>;
}

/**
 * The projects Nx makes from `project.json` and `package.json` files, as far as their targets go:
 * a `project.json` is a project; a `package.json` is one when it sits beside a `project.json` or
 * is a package of the package manager's workspaces (`isWorkspacePackage`), as in Nx's own
 * package-json plugin. Its scripts are targets (narrowed by `nx.includedScripts`), then its
 * `nx.targets`, then the `project.json` targets of the same directory, later ones winning.
 * Targets other plugins infer are not here: createDependencies checks them against the full graph.
 */
export function projectsFromConfigFiles(files: ConfigFile[], isWorkspacePackage: (packageJsonPath: string) => boolean): WorkspaceProject[] {
  const byRoot = new Map<string, { projectJson?: ProjectJson; packageJson?: PackageJson; packageJsonPath?: string }>();
  for (const file of files) {
    if (!file.json || typeof file.json !== 'object') continue;
    const root = posix.dirname(file.path);
    const entry = byRoot.get(root) ?? {};
    if (posix.basename(file.path) === 'project.json') entry.projectJson = file.json as ProjectJson;
    else {
      entry.packageJson = file.json as PackageJson;
      entry.packageJsonPath = file.path;
    }
    byRoot.set(root, entry);
  }
  const projects: WorkspaceProject[] = [];
  for (const [root, { projectJson, packageJson, packageJsonPath }] of byRoot) {
    const pkg = packageJson && (projectJson || isWorkspacePackage(packageJsonPath!)) ? packageJson : undefined;
    if (!projectJson && !pkg) continue;
    const name = projectJson?.name ?? pkg?.nx?.name ?? pkg?.name;
    if (!name) continue;
    const targets: Record<string, WorkspaceTarget> = {};
    if (pkg) {
      const included = pkg.nx?.includedScripts;
      for (const script of Object.keys(pkg.scripts ?? {})) {
        if (!included || included.includes(script))
          targets[script] = { executor: 'nx:run-script', options: { script }, plugin: PACKAGE_JSON_PLUGIN };
      }
      Object.assign(targets, mergeTargets(targets, pkg.nx?.targets, PACKAGE_JSON_PLUGIN));
    }
    Object.assign(targets, mergeTargets(targets, projectJson?.targets, PROJECT_JSON_PLUGIN));
    projects.push({ name, root, tags: projectJson?.tags ?? pkg?.nx?.tags, targets });
  }
  return projects;
}

/** A later declaration of a target refines the earlier one, as Nx merges a target's configurations. */
function mergeTargets(
  base: Record<string, WorkspaceTarget>,
  later: Record<string, WorkspaceTarget> | undefined,
  plugin: string,
): Record<string, WorkspaceTarget> {
  const merged: Record<string, WorkspaceTarget> = {};
  for (const [name, config] of Object.entries(later ?? {})) {
    if (!config || typeof config !== 'object') continue;
    const earlier = base[name];
    const sameKind = earlier && (!config.executor || config.executor === earlier.executor) && !config.command;
    merged[name] = sameKind ? { ...earlier, ...config, options: { ...earlier.options, ...config.options }, plugin } : { ...config, plugin };
  }
  return merged;
}

/** Workspace package globs from package.json `workspaces` and pnpm-workspace.yaml `packages`. */
export function workspacePackagePatterns(rootPackageJson: unknown, pnpmWorkspaceYaml: string | undefined): string[] {
  const patterns: string[] = [];
  const workspaces = (rootPackageJson as { workspaces?: string[] | { packages?: string[] } } | undefined)?.workspaces;
  patterns.push(...(Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? [])));
  if (pnpmWorkspaceYaml) patterns.push(...pnpmPackages(pnpmWorkspaceYaml));
  return patterns.filter((p) => typeof p === 'string' && p.length > 0);
}

/** The `packages:` list of a pnpm-workspace.yaml: a flat YAML list of quoted or bare globs. */
function pnpmPackages(yaml: string): string[] {
  const lines = yaml.split(/\r?\n/);
  const start = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (start < 0) return [];
  const packages: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^\s*-\s*(?:'([^']*)'|"([^"]*)"|([^#\s][^#]*?))\s*(?:#.*)?$/.exec(line);
    if (m) packages.push(m[1] ?? m[2] ?? m[3]);
  }
  return packages;
}

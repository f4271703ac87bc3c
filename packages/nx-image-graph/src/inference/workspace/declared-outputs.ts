import { posix } from 'node:path';

/** A project of the workspace as its configuration declares it: enough to know what its targets write. */
export interface WorkspaceProject {
  name: string;
  root: string;
  tags?: string[];
  targets: Record<string, WorkspaceTarget>;
}

/** The part of an Nx target configuration that says where it writes. */
export interface WorkspaceTarget {
  executor?: string;
  /** The Nx plugin that declares it (`nx/core/project-json`, `nx/core/package-json`), for `targetDefaults` filters. */
  plugin?: string;
  command?: string;
  options?: Record<string, unknown>;
  outputs?: string[];
}

/** A target and the workspace paths it writes (Nx's `outputs`, tokens resolved; may hold globs). */
export interface DeclaredOutputs {
  project: string;
  root: string;
  target: string;
  outputs: string[];
}

/** Nx's `targetDefaults` for one target, as Nx's own reader resolves them (null when none applies). */
export type TargetDefaultsOf = (target: string, executor: string | undefined, project: WorkspaceProject) => Partial<WorkspaceTarget> | null;

/**
 * Where each target writes, as Nx would compute it for a task: the target's `outputs`, else those of
 * its `targetDefaults`, else Nx's own fallback (`options.outputPath`, or the `dist/` folders of a
 * `build` or `prepare` target), with `{workspaceRoot}`, `{projectRoot}`, `{projectName}` and
 * `{options.*}` resolved. An output whose tokens cannot be resolved is left out, as Nx leaves it.
 */
export function declaredOutputs(projects: WorkspaceProject[], defaultsOf: TargetDefaultsOf = () => null): DeclaredOutputs[] {
  const result: DeclaredOutputs[] = [];
  for (const project of projects) {
    for (const [target, config] of Object.entries(project.targets)) {
      const executor = config.executor ?? (config.command || config.options?.command ? 'nx:run-commands' : undefined);
      const defaults = defaultsOf(target, executor, project) ?? {};
      const options = { ...(defaults.options ?? {}), ...(config.options ?? {}) };
      const outputs = resolveOutputs(config.outputs ?? defaults.outputs, target, project, options);
      if (outputs.length) result.push({ project: project.name, root: project.root, target, outputs });
    }
  }
  return result;
}

/** One target's outputs as workspace-relative paths (see {@link declaredOutputs}). */
export function resolveOutputs(
  outputs: string[] | undefined,
  target: string,
  project: { name: string; root: string },
  options: Record<string, unknown>,
): string[] {
  const root = project.root === '' ? '.' : project.root;
  if (!outputs) {
    // Nx's fallback for a target without `outputs` (tasks-runner/utils getOutputsForTargetAndConfiguration).
    const outputPath = options.outputPath;
    if (typeof outputPath === 'string') outputs = [outputPath];
    else if (Array.isArray(outputPath)) outputs = outputPath.filter((p): p is string => typeof p === 'string');
    else if (target === 'build' || target === 'prepare') outputs = [`dist/${root}`, `${root}/dist`, `${root}/build`, `${root}/public`];
    else return [];
  }
  const resolved: string[] = [];
  for (const output of outputs) {
    // A negation narrows what Nx caches; it never widens what a task writes.
    if (output.startsWith('!')) continue;
    const path = interpolate(output, root, project.name, options);
    if (path === undefined) continue;
    const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\/|\/+$/g, '');
    if (normalized === '..' || normalized.startsWith('../') || posix.isAbsolute(normalized)) continue;
    if (!resolved.includes(normalized)) resolved.push(normalized);
  }
  return resolved;
}

function interpolate(output: string, root: string, name: string, options: Record<string, unknown>): string | undefined {
  let unresolved = false;
  const text = output
    .replace(/^\{workspaceRoot\}\/?/, '')
    .replace(/\{projectRoot\}/g, root)
    .replace(/\{projectName\}/g, name)
    .replace(/\{options\.([^}]+)\}/g, (_, path: string) => {
      const value = path
        .split('.')
        .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), options);
      if (typeof value !== 'string') unresolved = true;
      return typeof value === 'string' ? value : '';
    });
  return unresolved || /\{[A-Za-z.]+\}/.test(text) ? undefined : text;
}

import type { ExecutorContext, TargetConfiguration } from '@nx/devkit';

/**
 * Where an inferred target keeps its settings: in its metadata, not its `options`.
 *
 * Nx hashes every target's options into every task of the same project (its ProjectConfiguration
 * hash), so settings kept in options would make editing one variant's args, or a push-only field,
 * a cache miss for every other build of the image. Each build's own settings enter its own hash
 * through its inputs instead (the manifest fields it reads), and its executor reads them from here.
 * `options` then holds only what was given on the command line.
 */
const KEY = 'nx-image-graph-settings';

export function settingsMetadata(settings: object): Record<string, unknown> {
  return { [KEY]: settings };
}

/** Whether a target is one the plugin inferred (it carries the plugin's settings). */
export function isInferredByPlugin(target: TargetConfiguration | undefined): boolean {
  return !!(target?.metadata as Record<string, unknown> | undefined)?.[KEY];
}

/**
 * A target's settings: the inferred ones, under what its options say (a hand-written target has only
 * options). A command target's options are run-commands' own (its command), none of the plugin's.
 */
export function settingsOf<T extends object>(target: TargetConfiguration | undefined): T {
  return {
    ...((target?.metadata?.[KEY] as object | undefined) ?? {}),
    ...(target?.executor === 'nx:run-commands' ? {} : (target?.options ?? {})),
  } as T;
}

/** The settings an inferred target keeps in its metadata, as Nx wrote them to its cached graph. */
export function inferredSettings(target: Pick<TargetConfiguration, 'metadata'> | undefined): Record<string, unknown> | undefined {
  return target?.metadata?.[KEY] as Record<string, unknown> | undefined;
}

/**
 * What an executor runs with: the target's inferred settings, overridden by the options Nx passes
 * (schema defaults and the command line), and which settings the command line changed.
 */
export function executorSettings<T extends object>(options: T, context: ExecutorContext): { settings: T; overrides: string[] } {
  const project = context.projectName
    ? (context.projectsConfigurations?.projects[context.projectName] ?? context.projectGraph?.nodes[context.projectName]?.data)
    : undefined;
  return mergeSettings<T>(inferredSettings(project?.targets?.[context.targetName ?? '']) ?? {}, options as Record<string, unknown>);
}

/** Inferred settings with the given options over them, and which settings the options changed (none for a hand-written target). */
export function mergeSettings<T extends object>(
  configured: Record<string, unknown>,
  given: Record<string, unknown>,
): { settings: T; overrides: string[] } {
  const overrides = Object.keys(given).filter((k) =>
    k in configured ? JSON.stringify(given[k]) !== JSON.stringify(configured[k]) : given[k] !== undefined,
  );
  return { settings: { ...configured, ...given } as T, overrides: Object.keys(configured).length ? overrides : [] };
}

/** The settings an executor cannot run without, named when a hand-written target lacks them. */
export function missingSettings(settings: object, required: string[]): string | undefined {
  const missing = required.filter((k) => (settings as Record<string, unknown>)[k] === undefined);
  return missing.length
    ? `the target has no ${missing.map((m) => `"${m}"`).join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} in its options, or let the plugin infer the target`
    : undefined;
}

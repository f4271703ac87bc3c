import { expandTags, TagContext } from '../../inference/tags/tag-template';
import type { BuildExecutorOptions } from '../../inference/targets/build-schema';
import { expandArgTemplates } from '../../inference/tags/arg-templates';

export class BuildSettingsError extends Error {}

/** Everything a build needs, decided before the engine is touched: a bad tag or arg fails here. */
export interface BuildSettings {
  args: Record<string, string>;
  tags: string[];
  references: string[];
  labels: Record<string, string>;
  /** What templates (tags, args) were filled with. */
  tagContext: TagContext;
}

export function parseBuildArgs(value: string[] | string | undefined): Record<string, string> {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const args: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new BuildSettingsError(`--build-arg "${item}" is not NAME=value`);
    args[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return args;
}

/** The build args as given: the manifest's, then the command line's over them, templates unexpanded (what Nx hashes). */
export function givenArgs(options: Pick<BuildExecutorOptions, 'args' | 'buildArg'>): Record<string, string> {
  return { ...options.args, ...parseBuildArgs(options.buildArg) };
}

export function resolveBuildSettings(
  options: BuildExecutorOptions,
  context: {
    projectName: string;
    args: Record<string, string>;
    hash?: string;
    git?: { sha: string; shortSha: string };
    now: Date;
    ociLabels: Record<string, string>;
  },
): BuildSettings {
  const templated = context.args;
  const baseContext: TagContext = {
    variant: options.variant,
    projectName: context.projectName,
    git: context.git,
    hash: context.hash,
    date: context.now,
  };
  // Args are templates too ({git.sha}, {date:...}): filled in now, before tags that may name them.
  const args = expandArgTemplates(templated, { ...baseContext, args: templated }, { dynamic: true });
  const tagContext: TagContext = { ...baseContext, args };
  let tags: string[];
  try {
    tags = expandTags(options.tags.length ? options.tags : ['latest'], tagContext);
  } catch (e) {
    throw new BuildSettingsError(`${context.projectName}: ${(e as Error).message}`);
  }
  // Derived from the build's inputs only (oci-labels.ts), so the same inputs give the same image id.
  const labels: Record<string, string> = { ...context.ociLabels, ...options.labels };
  return { args, tags, references: tags.map((t) => `${options.repository}:${t}`), labels, tagContext };
}

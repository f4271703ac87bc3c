import { ExpandedPluginConfiguration, globAsync, PluginConfiguration, readNxJson, Tree } from '@nx/devkit';
import { ImageGraphPluginOptions, NormalizedOptions, normalizeOptions } from '../../inference/options/plugin-options';

export const PLUGIN_NAME = 'nx-image-graph';

/** One `nx-image-graph` entry of nx.json's `plugins`: its options and the files it sees. */
export interface Registration {
  /** Index in nx.json's `plugins`. */
  index: number;
  options: NormalizedOptions;
  /** Nx's include/exclude globs; no include means every file. */
  include?: string[];
  exclude?: string[];
}

export function isImageGraphPlugin(entry: PluginConfiguration): boolean {
  return (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME;
}

/** Every registration of the plugin in nx.json, in order (usually one). */
export function readRegistrations(tree: Tree): Registration[] {
  const plugins = readNxJson(tree)?.plugins ?? [];
  return plugins.flatMap((entry, index) => {
    if (!isImageGraphPlugin(entry)) return [];
    if (typeof entry === 'string') return [{ index, options: normalizeOptions(undefined) }];
    const e = entry as ExpandedPluginConfiguration<ImageGraphPluginOptions>;
    return [
      {
        index,
        options: normalizeOptions(e.options),
        ...(e.include ? { include: e.include } : {}),
        ...(e.exclude ? { exclude: e.exclude } : {}),
      },
    ];
  });
}

/** What the generators assume when the plugin is not registered: its defaults, every file. */
export const UNREGISTERED: Registration = { index: -1, options: normalizeOptions(undefined) };

/**
 * Filters workspace files the way Nx filters a plugin's files by include/exclude. Nx matches with
 * minimatch; globAsync runs the same globs over the tree (pending changes included), so we need
 * no matcher of our own. A leading `!` in include removes what it matches, as in Nx.
 */
export async function filterByRegistration(tree: Tree, files: string[], reg: Pick<Registration, 'include' | 'exclude'>): Promise<string[]> {
  let kept = new Set(files);
  if (reg.include?.length) {
    const positive = reg.include.filter((p) => !p.startsWith('!'));
    const negative = reg.include.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const included = new Set(positive.length ? await globAsync(tree, positive) : files);
    const removed = new Set(negative.length ? await globAsync(tree, negative) : []);
    kept = new Set([...kept].filter((f) => included.has(f) && !removed.has(f)));
  }
  if (reg.exclude?.length) {
    const excluded = new Set(await globAsync(tree, reg.exclude));
    kept = new Set([...kept].filter((f) => !excluded.has(f)));
  }
  return [...kept];
}

/** `images/**` -> `images`: the fixed directory a pattern starts with, if it is of that simple form. */
export function includeDirectory(pattern: string): string | undefined {
  const m = /^([^*?{}[\]!]+?)\/\*\*(\/\*)?$/.exec(pattern);
  return m ? m[1] : undefined;
}

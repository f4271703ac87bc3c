import { ExpandedPluginConfiguration, formatFiles, globAsync, logger, readNxJson, Tree } from '@nx/devkit';
import { normalizeOptions } from '../../inference/options/plugin-options';
import { writeNxJson } from '../shared/nx-json-file';
import { isImageGraphPlugin, PLUGIN_NAME, readRegistrations } from '../shared/plugin-registrations';
import type { InitGeneratorSchema } from './schema';

/** Where `nx g nx-image-graph:image` puts images when the workspace has none yet. */
export const DEFAULT_INCLUDE = ['images/**'];

/**
 * `nx add nx-image-graph` (Nx runs the generator named `init`): registers the plugin in nx.json and
 * git-ignores the build metadata directory. Running it again changes nothing; a registration the user
 * wrote (a plain string, or an object with options) is left as it is.
 */
export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<void> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const existing = plugins.findIndex(isImageGraphPlugin);
  const include = normalizeInclude(options.include);

  if (existing < 0) {
    const chosen = include ?? (await defaultInclude(tree));
    nxJson.plugins = [...plugins, { plugin: PLUGIN_NAME, include: chosen }];
    writeNxJson(tree, nxJson);
    logger.info(
      `${PLUGIN_NAME}: registered in nx.json for ${chosen.join(', ')}: each directory there with a Dockerfile is an image project.`,
    );
  } else if (include) {
    const entry = plugins[existing];
    // A string registration, or one without include, already sees every file.
    if (typeof entry !== 'string' && entry.include) {
      const added = include.filter((p) => !entry.include!.includes(p));
      if (added.length) {
        plugins[existing] = { ...entry, include: [...entry.include, ...added] } satisfies ExpandedPluginConfiguration;
        nxJson.plugins = plugins;
        writeNxJson(tree, nxJson);
        logger.info(`${PLUGIN_NAME}: added ${added.join(', ')} to the plugin's include in nx.json.`);
      }
    }
  }

  const outputDir = readRegistrations(tree)[0]?.options.outputDir ?? 'dist';
  ignoreInGit(tree, outputDir);
  if (!options.skipFormat) await formatFiles(tree);
}

export default initGenerator;

function normalizeInclude(include: string[] | string | undefined): string[] | undefined {
  const list = (Array.isArray(include) ? include : include ? [include] : []).map((p) => p.trim()).filter(Boolean);
  return list.length ? [...new Set(list)] : undefined;
}

/**
 * The include for a workspace that already has Dockerfiles: one `<dir>/**` per top-level directory holding
 * them (seed 003's `docker/`, seed 004's `Stack/`), so `nx add` picks up an existing image tree as it is.
 * A Dockerfile at the workspace root is left out: that directory is the root project, usually an app's.
 */
export async function defaultInclude(tree: Tree): Promise<string[]> {
  const files = await globAsync(tree, [`**/{${normalizeOptions(undefined).dockerfiles.join(',')}}`]);
  const dirs = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))].filter((d) => d !== 'node_modules').sort();
  if (files.some((f) => !f.includes('/'))) {
    logger.info(
      `${PLUGIN_NAME}: the Dockerfile at the workspace root is not included; add "Dockerfile" to the plugin's include in nx.json to make it an image too.`,
    );
  }
  return dirs.length ? dirs.map((d) => `${d}/**`) : DEFAULT_INCLUDE;
}

/** Build records (`dist/image-builds/<project root>/<target>.json`) are Nx outputs, not source. */
function ignoreInGit(tree: Tree, dir: string): void {
  const text = tree.read('.gitignore', 'utf-8') ?? '';
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^/?${escaped}(/|/\\*\\*)?\\s*$`, 'm').test(text)) return;
  tree.write('.gitignore', `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${dir}\n`);
}

import { ExpandedPluginConfiguration, logger, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import type { ImageGraphPluginOptions } from '../../inference/options/plugin-options';
import { PLUGIN_NAME, readRegistrations, Registration } from '../../generators/shared/plugin-registrations';
import { scanWorkspaceImages } from '../../generators/shared/workspace-images';

/**
 * 0.3.0 made `derived` names the default (stable as the tree grows) where `directory` names
 * were (short, but lengthened when a same-named directory appeared). `nx migrate` runs this so
 * an upgrade renames nothing: a registration whose images the new default would name otherwise
 * gets `"projectNames": "directory"`; one it would name the same is left on the new default.
 */
export default async function pinProjectNames(tree: Tree): Promise<void> {
  const nxJson = readNxJson(tree);
  if (!nxJson?.plugins) return;
  let changed = false;
  for (const reg of readRegistrations(tree)) {
    const entry = nxJson.plugins[reg.index];
    const expanded = (typeof entry === 'string' ? { plugin: entry } : entry) as ExpandedPluginConfiguration<
      ImageGraphPluginOptions | undefined
    >;
    if (expanded.options?.projectNames !== undefined) continue;
    const renamed = await renamedByDerived(tree, reg);
    if (renamed.length === 0) continue;
    nxJson.plugins[reg.index] = { ...expanded, options: { ...expanded.options, projectNames: 'directory' } };
    changed = true;
    const examples = renamed.slice(0, 3).map((r) => `${r.root}: ${r.was} (would be ${r.now})`);
    logger.info(
      `${PLUGIN_NAME}: set "projectNames": "directory" in nx.json so that ${renamed.length} image project${renamed.length === 1 ? ' keeps its name' : 's keep their names'} (${examples.join('; ')}${renamed.length > 3 ? '; ...' : ''}). ` +
        `Remove it for the new default, whose names no other directory changes, after updating the scripts that name these projects.`,
    );
  }
  if (changed) updateNxJson(tree, nxJson);
}

async function renamedByDerived(tree: Tree, reg: Registration): Promise<{ root: string; was: string; now: string }[]> {
  const old = await scanWorkspaceImages(tree, { ...reg, options: { ...reg.options, projectNames: 'directory' } });
  const now = await scanWorkspaceImages(tree, { ...reg, options: { ...reg.options, projectNames: 'derived' } });
  return old.images.flatMap((image) => {
    const next = now.byRoot(image.root)?.project;
    return next !== undefined && next !== image.project ? [{ root: image.root, was: image.project, now: next }] : [];
  });
}

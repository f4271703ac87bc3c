import { NxJsonConfiguration, Tree, updateNxJson, writeJson } from '@nx/devkit';

/** Where Nx's own workspace generators point nx.json's `$schema`. */
const NX_SCHEMA = './node_modules/nx/schemas/nx-schema.json';

/**
 * Writes nx.json, creating it when the workspace has none. Nx's `updateNxJson` does nothing when
 * nx.json does not exist, so in a fresh `npm init -y` workspace `nx add` printed its registration
 * and left no nx.json: the plugin was never loaded.
 */
export function writeNxJson(tree: Tree, nxJson: NxJsonConfiguration): void {
  if (tree.exists('nx.json')) updateNxJson(tree, nxJson);
  else writeJson(tree, 'nx.json', { $schema: NX_SCHEMA, ...nxJson });
}

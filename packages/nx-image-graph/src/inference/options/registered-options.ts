import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { PluginOptionsError } from './plugin-options-error';
import { normalizeOptions } from './plugin-options';
import { validateOptionsOnce } from './validated-options';

const PACKAGE = 'nx-image-graph';

/**
 * Checks the options of every registration of this plugin in nx.json, when Nx loads the plugin.
 *
 * Why at load and not only in createNodes: Nx takes an error thrown from createNodes as one plugin's
 * failure and `nx graph` still writes the rest of the graph (exit 0, the error's stack printed),
 * while a plugin that cannot load fails every graph command, `nx graph --file` included, with exit
 * code 1, its message and no stack trace. A bad option makes every image wrong, so it is the latter.
 */
export function checkRegisteredOptions(workspaceRoot: string, validate = validateOptionsOnce): void {
  const nxJson = join(workspaceRoot, 'nx.json');
  if (!existsSync(nxJson)) return;
  // Read as Nx reads it (comments and trailing commas allowed); an unreadable nx.json Nx reports itself.
  let plugins: unknown;
  try {
    plugins = (parse(readFileSync(nxJson, 'utf8'), [], { allowTrailingComma: true }) as { plugins?: unknown } | undefined)?.plugins;
  } catch {
    return;
  }
  if (!Array.isArray(plugins)) return;
  const problems: string[] = [];
  for (const entry of plugins) {
    if (typeof entry !== 'object' || entry === null || (entry as { plugin?: unknown }).plugin !== PACKAGE) continue;
    try {
      normalizeOptions((entry as { options?: unknown }).options, validate);
    } catch (e) {
      if (!(e instanceof PluginOptionsError)) throw e;
      if (!problems.includes(e.message)) problems.push(e.message);
    }
  }
  if (problems.length) throw new PluginOptionsError(problems.join('\n'));
}

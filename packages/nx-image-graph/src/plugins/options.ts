// The options moved to src/options/; this re-export stays until every importer uses the new home.
export { normalizeOptions, PluginOptionsError, pluginOptionsSchema } from '../options/plugin-options';
export type { ImageGraphPluginOptions, NormalizedOptions } from '../options/plugin-options';
export { isDockerfileName } from '../options/dockerfile-names';

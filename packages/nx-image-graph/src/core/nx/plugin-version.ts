/** The plugin's own version: what it cached under an older version must not be reused. */
export const PLUGIN_VERSION: string = require('../../../package.json').version;

/** The plugin's name in executors (`nx-image-graph:build`) and under which its analysis sits in project metadata. */
export const PLUGIN_NAME = 'nx-image-graph';
export const METADATA_KEY = 'nx-image-graph';

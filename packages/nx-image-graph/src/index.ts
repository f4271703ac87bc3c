export { createDependencies, createNodes, createNodesV2, postTasksExecution, preTasksExecution } from './plugins/plugin';
export type { ImageGraphPluginOptions } from './options/plugin-options';
export type { ImageManifest } from './manifest/schema';

export { createNodes, createNodesV2, createDependencies, postTasksExecution, preTasksExecution } from './plugins/plugin';
export type { ImageGraphPluginOptions } from './options/plugin-options';
export type { ImageManifest } from './manifest/schema';

export { createDependencies, createNodes, createNodesV2, postTasksExecution, preTasksExecution } from './plugins/plugin';
export type { ImageGraphPluginOptions } from './inference/options/plugin-options';
export type { ImageManifest } from './inference/manifest/schema';

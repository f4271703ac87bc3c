export { createNodes, createNodesV2, createDependencies, postTasksExecution } from './plugins/plugin';
export type { ImageGraphPluginOptions } from './plugins/options';
export type { ImageManifest } from './manifest/schema';

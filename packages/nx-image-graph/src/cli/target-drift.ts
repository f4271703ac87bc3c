import type { GraphTarget } from './graph-target';

/**
 * What of an inferred build target no longer is as the plugin inferred it, in words: nx.json's
 * `targetDefaults["nx:run-commands"]` applies to command targets and replaces their cache, inputs
 * and outputs. Empty when what keeps the build right is there.
 */
export function targetDrift(target: GraphTarget, settings: { dockerfile: string; metadataFile: string }): string[] {
  const drift: string[] = [];
  if (target.cache !== true) drift.push('it is not cached');
  if (!target.inputs?.includes(`{workspaceRoot}/${settings.dockerfile}`)) drift.push(`its inputs do not name ${settings.dockerfile}`);
  if (!target.outputs?.includes(`{workspaceRoot}/${settings.metadataFile}`)) drift.push(`its outputs do not name ${settings.metadataFile}`);
  return drift;
}

export function driftWarning(task: string, drift: string[]): string {
  return (
    `WARNING: ${task} is not the target nx-image-graph inferred: ${drift.join(', ')}. nx.json's targetDefaults["nx:run-commands"] ` +
    `applies to it; keep that entry off image builds with "filter": { "projects": ["!tag:image"] } (an array entry, Nx 24)`
  );
}

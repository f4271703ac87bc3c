import type { ProjectGraph, TargetConfiguration } from '@nx/devkit';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';
import { isBuildTarget } from './build-command';
import { settingsOf } from './target-settings';

/** What a push, validate or materialize target says of the build(s) it takes. */
interface FollowUpSettings {
  metadataFile?: string;
  platforms?: { platform: string; metadataFile: string }[];
}

/** An image build target of a project graph, its settings, and the targets that take its image. */
export interface GraphBuild<S> {
  project: string;
  target: string;
  settings: S;
  /**
   * The project's `nx-image-graph:<executor>` target that takes this build (by its record); with
   * `platforms`, also one that takes it as a platform of a multi-platform image (a push's `platforms`).
   */
  followUp(executor: string, platforms?: boolean): [name: string, config: TargetConfiguration] | undefined;
}

/** Every image build target of the graph (build-command.ts), in graph order: what the summary and the layer report walk. */
export function graphBuilds<S extends { metadataFile?: string }>(graph: ProjectGraph): GraphBuild<S>[] {
  const builds: GraphBuild<S>[] = [];
  for (const node of Object.values(graph.nodes)) {
    const targets = Object.entries(node.data.targets ?? {});
    for (const [target, config] of targets) {
      if (!isBuildTarget(config)) continue;
      const settings = settingsOf<S>(config);
      const followUp = (executor: string, platforms = false) =>
        targets.find(
          ([, c]) =>
            c.executor === `${PLUGIN_NAME}:${executor}` && takes(settingsOf<FollowUpSettings>(c), settings.metadataFile, platforms),
        );
      builds.push({ project: node.name, target, settings, followUp });
    }
  }
  return builds;
}

/** Whether a follow-up target takes the build recorded at `metadataFile` (its own, or, with `platforms`, one of its platforms'). */
function takes(s: FollowUpSettings, metadataFile: string | undefined, platforms: boolean): boolean {
  return s.metadataFile === metadataFile || (platforms && !!s.platforms?.some((p) => p.metadataFile === metadataFile));
}

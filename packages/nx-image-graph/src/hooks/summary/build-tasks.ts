import type { ProjectGraph } from '@nx/devkit';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';
import { settingsOf } from '../../inference/targets/target-settings';
import { isBuildTarget } from '../../inference/targets/build-command';
import { BuildTaskInfo, taskIdOfMetadata } from './run-summary';

interface BuildSettingsSeen {
  variant?: string;
  platform?: string;
  platformTags?: boolean;
  metadataFile: string;
  parents?: { project: string; metadataFile: string }[];
}

/** What a push, validate or materialize target says of the build(s) it takes. */
interface FollowUpSettings {
  metadataFile?: string;
  platforms?: { platform: string; metadataFile: string }[];
  registries?: string[];
}

/**
 * Every image build task of the graph, with what the summary shows beside it: its variant and, for
 * one platform of a multi-platform image, its platform (the rows would otherwise read the same), and
 * the push, validate and materialize tasks of the same build. A multi-platform image's push takes
 * all its platforms' builds (its `platforms` list), so each platform's row shows that push.
 */
export function buildTasksOf(graph: ProjectGraph): BuildTaskInfo[] {
  const builds: BuildTaskInfo[] = [];
  for (const node of Object.values(graph.nodes)) {
    const targets = Object.entries(node.data.targets ?? {});
    for (const [target, config] of targets) {
      if (!isBuildTarget(config)) continue;
      const o = settingsOf<BuildSettingsSeen>(config);
      const sibling = (executor: string, platforms = false) =>
        targets.find(
          ([, c]) => c.executor === `${PLUGIN_NAME}:${executor}` && takes(settingsOf<FollowUpSettings>(c), o.metadataFile, platforms),
        );
      // Materialize keeps to its own build: the cache-hit check (reconcile-hits) fetches one image per row.
      const materialize = sibling('materialize');
      const push = sibling('push', true);
      const validate = sibling('validate');
      builds.push({
        taskId: `${node.name}:${target}`,
        project: node.name,
        variant: o.variant,
        ...(o.platformTags && o.platform ? { platform: o.platform } : {}),
        metadataFile: o.metadataFile,
        parents: (o.parents ?? []).map((p) => taskIdOfMetadata(p.project, p.metadataFile)),
        ...(push ? { pushTask: `${node.name}:${push[0]}` } : {}),
        ...(validate ? { validateTask: `${node.name}:${validate[0]}` } : {}),
        ...(materialize
          ? { materializeTask: `${node.name}:${materialize[0]}`, registries: settingsOf<FollowUpSettings>(materialize[1]).registries ?? [] }
          : {}),
      });
    }
  }
  return builds;
}

/** Whether a follow-up target takes the build recorded at `metadataFile` (its own, or, with `platforms`, one of its platforms'). */
function takes(s: FollowUpSettings, metadataFile: string, platforms: boolean): boolean {
  return s.metadataFile === metadataFile || (platforms && !!s.platforms?.some((p) => p.metadataFile === metadataFile));
}

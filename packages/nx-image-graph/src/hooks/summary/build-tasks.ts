import type { ProjectGraph } from '@nx/devkit';
import { settingsOf } from '../../inference/targets/target-settings';
import { graphBuilds } from '../../inference/targets/graph-builds';
import { BuildTaskInfo, taskIdOfMetadata } from './run-summary';

interface BuildSettingsSeen {
  variant?: string;
  platform?: string;
  platformTags?: boolean;
  metadataFile: string;
  parents?: { project: string; metadataFile: string }[];
}

/**
 * Every image build task of the graph, with what the summary shows beside it: its variant and, for
 * one platform of a multi-platform image, its platform (the rows would otherwise read the same), and
 * the push, validate and materialize tasks of the same build. A multi-platform image's push takes
 * all its platforms' builds (its `platforms` list), so each platform's row shows that push.
 */
export function buildTasksOf(graph: ProjectGraph): BuildTaskInfo[] {
  return graphBuilds<BuildSettingsSeen>(graph).map(({ project, target, settings: o, followUp }) => {
    // Materialize keeps to its own build: the cache-hit check (reconcile-hits) fetches one image per row.
    const materialize = followUp('materialize');
    const push = followUp('push', true);
    const validate = followUp('validate');
    return {
      taskId: `${project}:${target}`,
      project,
      variant: o.variant,
      ...(o.platformTags && o.platform ? { platform: o.platform } : {}),
      metadataFile: o.metadataFile,
      parents: (o.parents ?? []).map((p) => taskIdOfMetadata(p.project, p.metadataFile)),
      ...(push ? { pushTask: `${project}:${push[0]}` } : {}),
      ...(validate ? { validateTask: `${project}:${validate[0]}` } : {}),
      ...(materialize
        ? {
            materializeTask: `${project}:${materialize[0]}`,
            registries: settingsOf<{ registries?: string[] }>(materialize[1]).registries ?? [],
          }
        : {}),
    };
  });
}

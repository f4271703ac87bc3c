import type { ProjectConfiguration } from '@nx/devkit';
import { declaredOutputs, WorkspaceProject } from '../workspace/declared-outputs';
import { inside, producersOf } from '../workspace/copy-producers';
import type { ImageGraphMetadata } from './image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { isInferredByPlugin } from './target-settings';

/** An edge from an image project to a project whose files or outputs it copies (Nx's implicit dependency). */
export interface CopyEdge {
  source: string;
  target: string;
}

/**
 * What the whole project graph adds to the image graph, which createNodes could not see: every
 * project's targets, those other plugins infer included.
 * - An image project depends on each project whose files or outputs its builds copy (`COPY libs/shared`,
 *   `COPY dist/apps/api`): a library edit reaches the image in `nx affected` and `nx graph`.
 * - A task that writes what a build copies, but that the build does not depend on (a target another
 *   plugin infers), is named with the manifest line that settles it; so is a manifest "dependsOn" task
 *   that does not exist.
 */
export function workspaceDependencies(projects: Record<string, ProjectConfiguration>): { edges: CopyEdge[]; warnings: string[] } {
  const edges: CopyEdge[] = [];
  const warnings: string[] = [];
  const all = Object.entries(projects).map(([name, p]) => ({ ...p, name }));
  const outputs = declaredOutputs(
    all.map((p) => ({ name: p.name, root: p.root, targets: ownTargetsRemoved(p) }) satisfies WorkspaceProject),
  );
  for (const image of all) {
    const meta = image.metadata?.[METADATA_KEY] as ImageGraphMetadata | undefined;
    if (!meta?.builds) continue;
    if (meta.project && meta.project !== image.name) {
      warnings.push(
        `${image.root}: the image's targets were given to the project "${meta.project}", but another plugin names the project at ${image.root} "${image.name}"; ` +
          `give the image that name ("name": "${image.name}" in its image.json) or keep the other plugin away from ${image.root} with its "exclude"`,
      );
    }
    const targets = new Set<string>();
    for (const build of meta.builds) {
      const copies = build.copies ?? [];
      for (const other of all) {
        if (other.name === image.name || other.root === '.' || other.root === '') continue;
        if (copies.some((c) => inside(c, other.root) || inside(other.root, c))) targets.add(other.name);
      }
      const dependsOn = new Set(build.producers ?? []);
      for (const task of dependsOn) {
        const [project, ...rest] = task.split(':');
        const target = rest.join(':');
        if (!projects[project])
          warnings.push(
            `${build.dockerfile}: "dependsOn" names ${task}, but there is no project "${project}"; fix the name in the image's manifest`,
          );
        else if (!projects[project].targets?.[target]) {
          warnings.push(
            `${build.dockerfile}: "dependsOn" names ${task}, but ${project} has no target "${target}" (its targets: ${Object.keys(projects[project].targets ?? {}).join(', ')}); fix it in the image's manifest`,
          );
        }
      }
      for (const producer of producersOf(copies, outputs)) {
        const task = `${producer.project}:${producer.target}`;
        if (dependsOn.has(task)) continue;
        warnings.push(
          `${build.dockerfile}: the image copies ${producer.paths.join(', ')}, which ${task} writes, but does not build after it (a plugin infers that target, so the image cannot know it): ` +
            `add "dependsOn": ["${task}"] to the image's manifest${build.variant ? ` (or to its variant "${build.variant}")` : ''}`,
        );
      }
    }
    for (const target of targets) edges.push({ source: image.name, target });
  }
  return { edges, warnings };
}

/** The plugin's own targets write image records, which no image copies. */
function ownTargetsRemoved(p: ProjectConfiguration): WorkspaceProject['targets'] {
  const targets: WorkspaceProject['targets'] = {};
  for (const [name, t] of Object.entries(p.targets ?? {})) {
    if (t.executor?.startsWith('nx-image-graph:') || isInferredByPlugin(t) || t.executor === 'nx:noop') continue;
    targets[name] = { executor: t.executor, command: t.command, options: t.options, outputs: t.outputs };
  }
  return targets;
}

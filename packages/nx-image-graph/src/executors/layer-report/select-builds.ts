import type { ProjectGraph } from '@nx/devkit';
import { graphBuilds } from '../../inference/targets/graph-builds';

/** An image build target of the project graph, with what the report needs of its options. */
export interface BuildTarget {
  project: string;
  target: string;
  variant?: string;
  metadataFile: string;
  /** Workspace parents as the build is pinned to them: the reference its Dockerfile uses and the parent build's metadata. */
  parents: { project: string; reference: string; metadataFile: string }[];
  /** The target that puts the recorded image in the engine, if the graph has one. */
  materializeTarget?: string;
}

/** Every image build target (inference/targets/build-command.ts), in graph order. */
export function buildTargetsOf(graph: ProjectGraph): BuildTarget[] {
  const builds: BuildTarget[] = [];
  for (const { project, target, settings: o, followUp } of graphBuilds<{
    variant?: string;
    metadataFile?: string;
    parents?: BuildTarget['parents'];
  }>(graph)) {
    if (!o.metadataFile) continue;
    const materialize = followUp('materialize');
    builds.push({
      project,
      target,
      ...(o.variant ? { variant: o.variant } : {}),
      metadataFile: o.metadataFile,
      parents: (o.parents ?? []).map((p) => ({ project: p.project, reference: p.reference, metadataFile: p.metadataFile })),
      ...(materialize ? { materializeTarget: materialize[0] } : {}),
    });
  }
  return builds;
}

/** `project` or `project (variant)`, as in the run summary. */
export function labelOf(build: Pick<BuildTarget, 'project' | 'variant'>): string {
  return build.variant ? `${build.project} (${build.variant})` : build.project;
}

/**
 * The builds `selectors` name: a project (all its builds), `project:target` (that build; for an
 * image with variants, `project:docker-build` means all of them, as `nx run` would build), and
 * with `ancestors` the builds they are built on, transitively. All builds without selectors.
 */
export function selectBuilds(
  all: readonly BuildTarget[],
  selectors: readonly string[] | undefined,
  ancestors = false,
): { selected: BuildTarget[]; unknown: string[] } {
  if (!selectors || selectors.length === 0) return { selected: [...all], unknown: [] };
  const chosen = new Set<BuildTarget>();
  const unknown: string[] = [];
  for (const selector of selectors) {
    const [project, target] = selector.split(':', 2);
    const matches = all.filter(
      (b) =>
        b.project === project &&
        (target === undefined || b.target === target || (b.variant !== undefined && b.target === `${target}-${b.variant}`)),
    );
    if (matches.length === 0) unknown.push(selector);
    for (const m of matches) chosen.add(m);
  }
  if (ancestors) {
    const byMetadata = new Map(all.map((b) => [b.metadataFile, b]));
    const queue = [...chosen];
    while (queue.length) {
      for (const p of queue.shift()!.parents) {
        const parent = byMetadata.get(p.metadataFile);
        if (parent && !chosen.has(parent)) {
          chosen.add(parent);
          queue.push(parent);
        }
      }
    }
  }
  return { selected: all.filter((b) => chosen.has(b)), unknown };
}

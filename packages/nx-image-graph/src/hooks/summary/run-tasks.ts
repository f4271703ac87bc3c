import type { ProjectGraph } from '@nx/devkit';
import { parseRunSelection } from '../../core/nx/run-selection';
import { nxCreateTaskGraph } from '../../core/nx/nx-helpers';

export { parseRunSelection };

/**
 * Every task of a run, as Nx's own task graph would hold it for the same command line: Nx reports
 * no result for a task it skipped after a failure, so the summary learns from this which image
 * builds were the run's (`nx run app:docker-build` with a failing base: app, not every image built
 * on that base). `nx affected` is taken as every project with the targets: Nx's affected set needs
 * the file changes again, and an image built on an affected one is affected itself.
 * Undefined when the command line is not one of these (the summary then lists Nx's results only).
 */
export function runTaskIds(argv: string[], graph: ProjectGraph): Set<string> | undefined {
  const selection = parseRunSelection(argv);
  if (!selection) return undefined;
  try {
    const withTarget = Object.values(graph.nodes)
      .filter((n) => selection.targets.some((t) => n.data.targets?.[t]))
      .map((n) => n.name);
    const { findMatchingProjects } = require('nx/src/utils/find-matching-projects') as {
      findMatchingProjects: (patterns: string[], nodes: ProjectGraph['nodes']) => string[];
    };
    const named =
      selection.projects.length && selection.command !== 'affected'
        ? findMatchingProjects(selection.projects, graph.nodes).filter((p) => withTarget.includes(p))
        : withTarget;
    const excluded = new Set(selection.exclude.length ? findMatchingProjects(selection.exclude, graph.nodes) : []);
    const projects = named.filter((p) => !excluded.has(p));
    return new Set(Object.keys(nxCreateTaskGraph(graph, projects, selection.targets, selection.configuration, {}).tasks));
  } catch {
    return undefined;
  }
}

import type { ProjectGraph, TaskGraph } from '@nx/devkit';

/** What a run asked for, read from its command line (`nx run p:t`, `nx run-many -t ...`, `nx affected -t ...`). */
export interface RunSelection {
  command: 'run' | 'run-many' | 'affected';
  targets: string[];
  /** Named projects (patterns as Nx takes them); none: every project with a target. */
  projects: string[];
  exclude: string[];
  configuration?: string;
}

const LIST_OPTIONS: Record<string, keyof Pick<RunSelection, 'targets' | 'projects' | 'exclude'>> = {
  '-t': 'targets',
  '--target': 'targets',
  '--targets': 'targets',
  '-p': 'projects',
  '--projects': 'projects',
  '--exclude': 'exclude',
};

/** The run's selection from Nx's argv (node, nx, command, ...), or undefined for a command it does not read. */
export function parseRunSelection(argv: string[]): RunSelection | undefined {
  const words = argv.slice(2);
  const command = words[0];
  if (!command) return undefined;
  if (command === 'run' || (!command.startsWith('-') && command.includes(':') && command !== 'run-many')) {
    const spec = command === 'run' ? words[1] : command;
    const [project, target, configuration] = spec?.split(':') ?? [];
    if (!project || !target) return undefined;
    const c = optionValue(words, ['-c', '--configuration']) ?? configuration;
    return { command: 'run', targets: [target], projects: [project], exclude: [], ...(c ? { configuration: c } : {}) };
  }
  if (command !== 'run-many' && command !== 'affected') return undefined;
  const selection: RunSelection = { command, targets: [], projects: [], exclude: [] };
  for (let i = 1; i < words.length; i++) {
    const [name, inline] = words[i].includes('=') ? [words[i].slice(0, words[i].indexOf('=')), words[i].slice(words[i].indexOf('=') + 1)] : [words[i], undefined];
    const key = LIST_OPTIONS[name];
    if (!key) continue;
    const values = inline !== undefined ? [inline] : [];
    // `-t a b` as yargs reads an array: the words up to the next option.
    while (inline === undefined && i + 1 < words.length && !words[i + 1].startsWith('-')) values.push(words[++i]);
    selection[key].push(...values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
  }
  const c = optionValue(words, ['-c', '--configuration']);
  if (c) selection.configuration = c;
  return selection.targets.length ? selection : undefined;
}

function optionValue(words: string[], names: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const n of names) {
      if (words[i].startsWith(`${n}=`)) return words[i].slice(n.length + 1);
      if (words[i] === n && words[i + 1] && !words[i + 1].startsWith('-')) return words[i + 1];
    }
  }
  return undefined;
}

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
    const withTarget = Object.values(graph.nodes).filter((n) => selection.targets.some((t) => n.data.targets?.[t])).map((n) => n.name);
    const { findMatchingProjects } = require('nx/src/utils/find-matching-projects') as { findMatchingProjects: (patterns: string[], nodes: ProjectGraph['nodes']) => string[] };
    const named = selection.projects.length && selection.command !== 'affected' ? findMatchingProjects(selection.projects, graph.nodes).filter((p) => withTarget.includes(p)) : withTarget;
    const excluded = new Set(selection.exclude.length ? findMatchingProjects(selection.exclude, graph.nodes) : []);
    const projects = named.filter((p) => !excluded.has(p));
    const { createTaskGraph } = require('nx/src/tasks-runner/create-task-graph') as {
      createTaskGraph: (g: ProjectGraph, extra: object, projects: string[], targets: string[], configuration: string | undefined, overrides: object) => TaskGraph;
    };
    return new Set(Object.keys(createTaskGraph(graph, {}, projects, selection.targets, selection.configuration, {}).tasks));
  } catch {
    return undefined;
  }
}

import type { ProjectGraph } from '@nx/devkit';
import { PLUGIN_NAME } from '../../core/nx/metadata-key';
import { parseRunSelection, RunSelection } from '../../core/nx/run-selection';
import { schemaProperties, unknownOptionsError } from './unknown-options';

/**
 * The options of the nx command line that Nx keeps for itself, by command, read from Nx's own
 * option builders (so they follow the Nx version that runs). Undefined when those cannot be read.
 */
function nxOwnOptions(command: RunSelection['command']): Set<string> | undefined {
  try {
    const so = require('nx/src/command-line/yargs-utils/shared-options');
    const yargs = require(require.resolve('yargs/yargs', { paths: [require.resolve('nx/package.json')] }))([]);
    const builder =
      command === 'run'
        ? so.withTuiOptions(so.withRunOneOptions(so.withBatch(yargs)))
        : command === 'run-many'
          ? so.withTuiOptions(so.withRunManyOptions(so.withOutputStyleOption(so.withTargetAndConfigurationOption(so.withBatch(yargs)))))
          : so.withAffectedOptions(
              so.withTuiOptions(
                so.withRunOptions(so.withOutputStyleOption(so.withTargetAndConfigurationOption(so.withBatch(so.withExplainOption(yargs))))),
              ),
            );
    const o = builder.getOptions() as { key: Record<string, unknown>; alias: Record<string, string[]> };
    return new Set([...Object.keys(o.key), ...Object.values(o.alias).flat(), 'help', 'version']);
  } catch {
    return undefined;
  }
}

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The options Nx hands to the tasks asked for: every `--name` on the command line that is not Nx's own. */
export function taskOptions(argv: string[], own: Set<string>): { names: string[]; positional: string[] } {
  const words = argv.slice(2);
  const names: string[] = [];
  const positional: string[] = [];
  // After `nx run p:t` (or `nx p:t`), a bare word is a stray argument Nx passes on; run-many and affected have none.
  const first = words[0] === 'run' ? 2 : 1;
  for (let i = first; i < words.length; i++) {
    const w = words[i];
    if (w === '--') continue;
    const m = /^--?([^=]+)(=.*)?$/.exec(w);
    if (!m) {
      if (words[0] === 'run' || words[0].includes(':')) positional.push(w);
      continue;
    }
    const name = m[1].replace(/^no-/, '');
    if (own.has(name) || own.has(camel(name))) {
      // Nx's own option with its value as the next word (`-t a b`, `--projects a`): not the task's.
      while (!m[2] && i + 1 < words.length && !words[i + 1].startsWith('-')) i++;
      continue;
    }
    names.push(name);
    if (!m[2] && i + 1 < words.length && !words[i + 1].startsWith('-')) i++;
  }
  return { names, positional };
}

/**
 * Refuses, before any task runs, a command-line option an image target asked for does not have.
 * The executor refuses it too, but only when it runs: `nx run app:docker-push --tag=foo` would
 * first build app and every image under it. The message is the executor's own. Undefined when the
 * options are fine, or the command line is not one this reads (then the executor refuses as before).
 */
export function earlyOptionsRefusal(argv: string[], graph: ProjectGraph): string | undefined {
  const selection = parseRunSelection(argv);
  if (!selection) return undefined;
  const own = nxOwnOptions(selection.command);
  if (!own) return undefined;
  const { names, positional } = taskOptions(argv, own);
  if (!names.length && !positional.length) return undefined;
  const projects = selection.projects.length && selection.command === 'run' ? selection.projects : Object.keys(graph.nodes);
  const seen = new Set<string>();
  for (const project of projects) {
    for (const target of selection.targets) {
      const executor = graph.nodes[project]?.data.targets?.[target]?.executor;
      if (!executor?.startsWith(`${PLUGIN_NAME}:`) || seen.has(executor)) continue;
      seen.add(executor);
      const name = executor.slice(PLUGIN_NAME.length + 1);
      let known: string[];
      try {
        known = schemaProperties(name);
      } catch {
        continue;
      }
      const given = Object.fromEntries([
        ...names.map((n) => [known.includes(camel(n)) ? camel(n) : n, true]),
        ...(positional.length ? [['_', positional]] : []),
      ]);
      const error = unknownOptionsError(name, given);
      if (error) return `${project}:${target}: ${error} Nothing was run.`;
    }
  }
  return undefined;
}

/** For the run's preTasksExecution hook: throws the refusal (Nx then runs nothing), on the graph Nx cached for the run. */
export function refuseUnknownOptionsBeforeRun(argv: string[]): void {
  let graph: ProjectGraph;
  try {
    graph = (require('../../core/nx/nx-helpers') as typeof import('../../core/nx/nx-helpers')).nxReadCachedProjectGraph();
  } catch {
    return;
  }
  const refusal = earlyOptionsRefusal(argv, graph);
  if (refusal) throw new Error(refusal);
}

import { createProjectGraphAsync, workspaceRoot, type NxJsonConfiguration, type ProjectGraph, type Task, type TaskGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { baseIdEnv } from '../hooks/base-ids/base-id-env';
import { connectEngine } from '../clients/engine/engine-client';
import { CacheLookup } from '../tools/plan/cache-status';
import { formatPlan } from '../tools/plan/format-plan';
import { planImages } from '../tools/plan/plan-images';
import { nxCreateTaskGraph } from '../core/nx/nx-helpers';

const USAGE = `Usage: nx-image-graph-plan -t <target> [--projects=a,b | --affected [--base=<ref>] [--head=<ref>] [--uncommitted] [--untracked] [--files=<f,...>]] [--json]
  The image builds a run of <target> would touch, parents first: each one's Nx hash, whether Nx would
  restore it from the local or remote cache, and for a miss what differs from its last recorded build.`;

export interface PlanArgs {
  target: string;
  projects?: string[];
  /** `nx show projects --affected` flags, passed through. */
  affected?: string[];
  json: boolean;
}

export class PlanArgsError extends Error {}

export function parsePlanArgs(argv: string[]): PlanArgs | 'help' {
  let target: string | undefined;
  let projects: string[] | undefined;
  let affected: string[] | undefined;
  let json = false;
  const value = (i: number, name: string) => {
    const v = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
    if (!v || v.startsWith('-')) throw new PlanArgsError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split('=')[0];
    // `--name value` takes the next word; `--name=value` does not.
    const take = () => {
      const v = value(i, name);
      if (!a.includes('=')) i++;
      return v;
    };
    if (name === '--help' || name === '-h') return 'help';
    else if (['-t', '--target', '--targets'].includes(name)) target = take();
    else if (['-p', '--projects'].includes(name)) projects = take().split(',').filter(Boolean);
    else if (name === '--affected') affected ??= [];
    else if (['--base', '--head', '--files'].includes(name)) (affected ??= []).push(`${name}=${take()}`);
    else if (['--uncommitted', '--untracked'].includes(name)) (affected ??= []).push(name);
    else if (name === '--json') json = true;
    else throw new PlanArgsError(`unknown option "${a}"`);
  }
  if (!target) throw new PlanArgsError('name the target to plan: -t docker-build');
  if (target.includes(',')) throw new PlanArgsError(`one target at a time (got "${target}")`);
  if (projects && affected) throw new PlanArgsError('--projects and --affected select projects both: give one');
  return { target, ...(projects ? { projects } : {}), ...(affected ? { affected } : {}), json };
}

/** The projects whose <target> a run would start from: named, affected (Nx's own answer) or all that have it. */
function selectProjects(graph: ProjectGraph, args: PlanArgs): string[] {
  const withTarget = Object.values(graph.nodes)
    .filter((n) => n.data.targets?.[args.target])
    .map((n) => n.name);
  if (!withTarget.length) throw new PlanArgsError(`no project has a "${args.target}" target`);
  if (args.projects) {
    const unknown = args.projects.filter((p) => !graph.nodes[p]);
    if (unknown.length) throw new PlanArgsError(`no project named ${unknown.map((u) => `"${u}"`).join(', ')} (see nx show projects)`);
    const without = args.projects.filter((p) => !withTarget.includes(p));
    if (without.length)
      throw new PlanArgsError(`${without.map((u) => `"${u}"`).join(', ')} ha${without.length > 1 ? 've' : 's'} no "${args.target}" target`);
    return args.projects;
  }
  if (!args.affected) return withTarget;
  const out = execFileSync(
    process.execPath,
    [require.resolve('nx/bin/nx'), 'show', 'projects', '--affected', `--withTarget=${args.target}`, '--json', ...args.affected],
    { cwd: workspaceRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.slice(out.indexOf('['))) as string[];
}

export async function main(argv: string[]): Promise<number> {
  let args: PlanArgs | 'help';
  try {
    args = parsePlanArgs(argv);
  } catch (e) {
    process.stderr.write(`✖ nx-image-graph-plan: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const graph = await createProjectGraphAsync({ exitOnError: false });
    const projects = selectProjects(graph, args);
    const { readNxJson } = require('nx/src/config/nx-json') as { readNxJson: (root?: string) => NxJsonConfiguration };
    const { createTaskHasher } = require('nx/src/hasher/create-task-hasher') as {
      createTaskHasher: (
        g: ProjectGraph,
        nxJson: NxJsonConfiguration,
      ) => { hashTask(t: Task, tg: TaskGraph, env: NodeJS.ProcessEnv): Promise<{ value: string }> };
    };
    const { getTaskSpecificEnv } = require('nx/src/tasks-runner/task-env') as {
      getTaskSpecificEnv: (t: Task, g: ProjectGraph) => NodeJS.ProcessEnv;
    };
    const nxJson = readNxJson(workspaceRoot);
    // The variables a run's hook sets before Nx hashes (the external bases' ids), or the hashes would differ from the run's.
    for (const [name, value] of Object.entries(await baseIdEnv(graph, workspaceRoot, process.env))) process.env[name] = value;
    const taskGraph = nxCreateTaskGraph(graph, projects, [args.target], undefined, {});
    const docker = await connectEngine().then(
      (c) => c.docker,
      (e: Error) =>
        void process.stderr.write(`NOTE: ${e.message}: external bases are not compared (Nx hashes them as unavailable, which is a miss)\n`),
    );
    const cache = new CacheLookup(workspaceRoot, nxJson);
    const rows = await planImages({
      root: workspaceRoot,
      graph,
      nxJson,
      taskGraph,
      hasher: createTaskHasher(graph, nxJson),
      cache,
      docker: docker ?? undefined,
      taskEnv: (t) => getTaskSpecificEnv(t, graph),
    });
    if (args.json) process.stdout.write(`${JSON.stringify({ target: args.target, remoteCache: cache.remote, images: rows }, null, 2)}\n`);
    else
      process.stdout.write(`${formatPlan(rows, args.target, cache.remote, process.stdout.isTTY ? process.stdout.columns : undefined)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`✖ nx-image-graph-plan: ${(e as Error).message}\n`);
    return 1;
  }
}

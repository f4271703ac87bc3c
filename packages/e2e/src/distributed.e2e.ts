import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { docker as engineA, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { exampleFiles } from './support/example-files';
import { REPO_ROOT } from './support/paths';
import { RemoteCacheServer } from './support/remote-cache-server';
import { RunResult, TestWorkspace } from './support/test-workspace';

/**
 * A run the way Nx's distributed execution runs it: three agents (three engines, three clones, each
 * its own Nx cache) share one remote cache and one registry. The example graph's build tasks go to
 * whichever agent is free once the cache entries of their parents exist; each agent builds its task
 * (its parents come from the remote cache and the registry) and pushes it.
 */
const OWNER = `e2edte${process.pid}`;
const THIRD = {
  SECOND_ENGINE_STATE_DIR: '/tmp/nx-image-graph-engine3',
  SECOND_ENGINE_BRIDGE: 'nxig3',
  SECOND_ENGINE_BRIDGE_CIDR: '169.254.214.1/24',
  SECOND_ENGINE_TLS_PORT: '23761',
};

interface Agent {
  name: string;
  ws: TestWorkspace;
  dockerHost: string;
  docker: Docker;
  runs: RunResult[];
}
interface BuildTask {
  project: string;
  target: string;
  push: string;
  materialize: string;
  metadataFile: string;
  parents: string[];
}

describe('three agents, one remote cache, one registry', () => {
  const state = engineState();
  const registry = state.registry.address;
  let cache: RemoteCacheServer;
  let agents: Agent[] = [];
  const tasks: BuildTask[] = [];
  const placed = new Map<string, string>();
  const env = (a: Agent) => ({ DOCKER_HOST: a.dockerHost, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
  const bringUp = (extraEnv: NodeJS.ProcessEnv = {}) => {
    const out = execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...extraEnv },
    });
    return /SECOND_DOCKER_HOST=(\S+)/.exec(out)![1];
  };

  beforeAll(
    async () => {
      cache = await RemoteCacheServer.start();
      const hosts = [state.dockerHost, bringUp(), bringUp(THIRD)];
      const a = TestWorkspace.create('agent-a', exampleFiles(OWNER), { pluginOptions: { registries: [registry] } });
      const workspaces = [a, a.clone('agent-b'), a.clone('agent-c')];
      agents = workspaces.map((ws, i) => ({
        name: 'abc'[i],
        ws,
        dockerHost: hosts[i],
        docker: new Docker({ socketPath: hosts[i].replace('unix://', '') }),
        runs: [],
      }));
      // Each agent has pulled the same upstream bases (the same ids); here by save and load.
      for (const agent of agents.slice(1)) {
        for (const base of ['busybox:1.36', 'debian:bookworm-slim']) {
          const tar = await engineA.getImage(base).get();
          await new Promise<void>((resolve, reject) =>
            agent.docker.loadImage(tar as unknown as NodeJS.ReadableStream, (err: unknown, s: NodeJS.ReadableStream) =>
              err ? reject(err) : (s.on('data', () => undefined), s.on('end', () => resolve())),
            ),
          );
        }
      }
      // The build tasks and their parents, from the project graph.
      a.nx(['graph', '--file=graph.json']);
      const graph = JSON.parse(a.read('graph.json')) as {
        graph: {
          nodes: Record<
            string,
            {
              data: {
                targets: Record<
                  string,
                  {
                    executor?: string;
                    options?: { command?: string };
                    dependsOn?: { projects: string[]; target: string }[];
                    metadata?: Record<string, { metadataFile?: string }>;
                  }
                >;
              };
            }
          >;
        };
      };
      for (const [project, node] of Object.entries(graph.graph.nodes)) {
        for (const [target, config] of Object.entries(node.data.targets ?? {})) {
          // A build target: the build command (or the executor, for a target written by hand).
          if (config.executor !== 'nx-image-graph:build' && config.options?.command !== 'nx-image-graph-build') continue;
          tasks.push({
            project,
            target,
            push: target.replace(/^docker-build/, 'docker-push'),
            materialize: target.replace(/^docker-build/, 'docker-materialize'),
            metadataFile: config.metadata!['nx-image-graph-settings'].metadataFile!,
            parents: (config.dependsOn ?? []).map((d) => `${d.projects[0]}:${d.target}`),
          });
        }
      }
    },
    30 * 60 * 1000,
  );

  afterAll(async () => {
    await cache?.stop();
    for (const a of agents) a.ws.remove();
    await removeImages(`${OWNER}/`);
    await removeImages(`${registry}/${OWNER}/`);
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh'), '--stop'], { stdio: 'ignore' });
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh'), '--stop'], {
      stdio: 'ignore',
      env: { ...process.env, ...THIRD },
    });
  });

  it('runs every build task once, on whichever agent is free once its parents are in the cache', async () => {
    expect(tasks.length).toBe(28);
    const done = new Set<string>();
    const failed: string[] = [];
    const pending = [...tasks];
    const free = [...agents];
    const running = new Set<Promise<void>>();
    while (pending.length || running.size) {
      const ready = pending.filter((t) => t.parents.every((p) => done.has(p)));
      while (ready.length && free.length) {
        const task = ready.shift()!;
        pending.splice(pending.indexOf(task), 1);
        const agent = free.shift()!;
        const id = `${task.project}:${task.target}`;
        placed.set(id, agent.name);
        // The push depends on the build: the agent builds (parents from the remote cache) and pushes.
        const p: Promise<void> = agent.ws.nxAsync(['run', `${task.project}:${task.push}`, '--outputStyle=stream'], env(agent)).then((r) => {
          agent.runs.push(r);
          if (r.code === 0) done.add(id);
          else failed.push(`${id} on agent ${agent.name}:\n${r.output.slice(-3000)}`);
          free.push(agent);
          running.delete(p);
        });
        running.add(p);
      }
      if (failed.length) break;
      if (running.size) await Promise.race(running);
      else if (pending.length) throw new Error(`no task can start: ${pending.map((t) => `${t.project}:${t.target}`).join(', ')}`);
    }
    await Promise.all(running);
    expect(failed).toEqual([]);
    expect(new Set(placed.values())).toEqual(new Set(['a', 'b', 'c']));
    // No image built twice: over all agents' runs, each build task ran (was not taken from a cache) once.
    // Counted from Nx's task headers: a cache hit replays the task's output, "Building" line included.
    const executed = new Map<string, string[]>();
    for (const agent of agents) {
      for (const r of agent.runs) {
        for (const m of r.output.matchAll(/> nx run (\S+:docker-build\S*)(.*)$/gm)) {
          if (/\[(local|remote|existing outputs match the) cache/.test(m[2])) continue;
          executed.set(m[1], [...(executed.get(m[1]) ?? []), agent.name]);
        }
      }
    }
    const twice = [...executed].filter(([, on]) => on.length > 1).map(([task, on]) => `${task} on ${on.join(', ')}`);
    expect(twice).toEqual([]);
    expect(tasks.filter((t) => !executed.has(`${t.project}:${t.target}`)).map((t) => `${t.project}:${t.target}`)).toEqual([]);
  });

  it('every agent materializes the same image ids, children recorded on their parents exact ids, and can run them', async () => {
    const ids = new Map<string, string>();
    for (const agent of agents) {
      const r = await agent.ws.nxAsync(['run-many', '-t', 'docker-materialize', '--outputStyle=stream'], env(agent));
      expect({ agent: agent.name, code: r.code, tail: r.code ? r.output.slice(-3000) : '' }).toEqual({
        agent: agent.name,
        code: 0,
        tail: '',
      });
      for (const t of tasks) {
        const m = JSON.parse(agent.ws.read(t.metadataFile)) as {
          imageId: string;
          parents: { project: string; imageId: string }[];
          references: string[];
        };
        const key = `${t.project}:${t.target}`;
        if (!ids.has(key)) ids.set(key, m.imageId);
        expect({ key, agent: agent.name, id: m.imageId }).toEqual({ key, agent: agent.name, id: ids.get(key) });
        expect(
          await agent.docker
            .getImage(m.references[0])
            .inspect()
            .then((i) => i.Id),
        ).toBe(m.imageId);
      }
      const leaf = JSON.parse(agent.ws.read('dist/image-builds/images/stages/gpu/asr/docker-build-cuda.json')) as { imageId: string };
      const container = await agent.docker.createContainer({ Image: leaf.imageId, Cmd: ['true'] });
      await container.start();
      expect((await container.wait()).StatusCode).toBe(0);
      await container.remove();
    }
    for (const t of tasks) {
      const m = JSON.parse(agents[0].ws.read(t.metadataFile)) as { parents: { project: string; reference: string; imageId: string }[] };
      for (const p of m.parents) {
        const parentTask = tasks.find((x) => x.project === p.project && t.parents.includes(`${x.project}:${x.target}`))!;
        expect(p.imageId).toBe(ids.get(`${parentTask.project}:${parentTask.target}`));
      }
    }
  });
});

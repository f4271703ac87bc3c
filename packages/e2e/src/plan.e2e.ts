import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { RemoteCacheServer } from './support/remote-cache-server';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * nx-image-graph-plan against the real nx CLI and engine: the order, each build's Nx hash (the one
 * the run then uses), its cache status, and why a miss rebuilds (the file that changed, the parent
 * that rebuilds, an Nx input such as nx.json); the run summary of the next real run shows the same reasons.
 */
const P = `e2eplan${process.pid}`;
const SECRET = `e2e-plan-secret-${process.pid}`;

describe('the plan, and why an image rebuilds', () => {
  const state = engineState();
  let ws: TestWorkspace;
  let cache: RemoteCacheServer;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ DOCKER_HOST: state.dockerHost, COLUMNS: '200', ...extra });
  const nx = (args: string[], extra: NodeJS.ProcessEnv = {}) => ws.nx([...args, '--outputStyle=stream'], env(extra));
  /** The plan command as a user runs it (npx), under the same environment as the workspace's nx. */
  const plan = (args: string[], extra: NodeJS.ProcessEnv = {}): RunResult => {
    const r = spawnSync(join(ws.dir, 'node_modules', '.bin', 'nx-image-graph-plan'), ['-t', 'docker-build', ...args], {
      cwd: ws.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_CACHE_DIRECTORY: join(ws.dir, '.nx', 'cache'),
        NX_WORKSPACE_DATA_DIRECTORY: join(ws.dir, '.nx', 'workspace-data'),
        ...env(extra),
      },
    });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
  };
  /** The plan's rows by task: [hash, cache status, why]. */
  const rows = (r: RunResult): Record<string, [string, string, string]> => {
    if (r.code !== 0) throw new Error(`the plan failed (${r.code}):\n${r.output}`);
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith('Plan for docker-build'));
    expect(lines[start + 1].split(/\s{2,}/)).toEqual(['task', 'hash', 'cache', 'why']);
    const out: Record<string, [string, string, string]> = {};
    for (const l of lines.slice(start + 3)) {
      if (!l.trim()) break;
      const [task, hash, status, why = ''] = l.split(/\s{2,}/);
      out[task] = [hash, status, why];
    }
    return out;
  };
  const order = (r: RunResult) => Object.keys(rows(r));
  const recordedHash = (project: string) => JSON.parse(ws.read(`dist/image-builds/images/${project}/docker-build.json`)).nxHash as string;
  const recordedId = (project: string) => ws.read(`dist/image-builds/images/${project}/docker-build.image-id`).trim().slice(7, 19);
  /** A built image's "why:" line under its summary row. */
  const why = (output: string, image: string): string | undefined => {
    const lines = output.split('\n');
    const row = lines.findIndex((l) => new RegExp(`^${image}\\s+${P}/`).test(l));
    return row >= 0 && lines[row + 1]?.startsWith('  why: ') ? lines[row + 1].slice('  why: '.length) : undefined;
  };

  beforeAll(async () => {
    cache = await RemoteCacheServer.start();
    ws = TestWorkspace.create('plan', {
      'images/base/Dockerfile': 'FROM busybox:1.36\nCOPY base.txt /base.txt\n',
      'images/base/base.txt': 'base 1\n',
      'images/base/image.json': JSON.stringify({ repository: `${P}/base` }),
      'images/app/Dockerfile': `FROM ${P}/base:latest\nARG VERSION\nCOPY app.txt /app.txt\nRUN echo "$VERSION" > /version\n`,
      'images/app/app.txt': 'app 1\n',
      'images/app/image.json': JSON.stringify({ repository: `${P}/app`, args: { VERSION: '1' } }),
    });
  });

  afterAll(async () => {
    ws?.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    await cache?.stop();
    ws?.remove();
    await removeImages(`${P}/`);
  });

  it('before any build: parents first, every image a miss with no earlier build recorded', () => {
    const r = plan([]);
    expect(order(r)).toEqual(['base:docker-build', 'app:docker-build']);
    expect(rows(r)['base:docker-build']).toEqual([expect.stringMatching(/^\d+$/), 'miss', 'because no earlier build recorded']);
    expect(rows(r)['app:docker-build']).toEqual(['-', 'miss', 'because no earlier build recorded']);
    expect(r.stdout).toMatch(/remote cache: not configured/);
  });

  it('after a build: local hits, under the very hashes the run used', () => {
    const built = nx(['run-many', '-t', 'docker-build']);
    expectSuccess(built);
    expect(why(built.stdout, 'base')).toBe('no earlier build recorded');
    const r = rows(plan([]));
    expect(r['base:docker-build']).toEqual([recordedHash('base'), 'local hit', '']);
    expect(r['app:docker-build']).toEqual([recordedHash('app'), 'local hit', '']);
    // What each build was made from, beside its metadata.
    expect(ws.read('dist/image-builds/images/app/docker-build.inputs.json')).toMatch(/"images\/app\/app\.txt"/);
  });

  it("a child's file changed: the child misses because of that file, its base is a local hit", () => {
    ws.write({ 'images/app/app.txt': 'app 2\n' });
    const r = rows(plan(['--projects=app']));
    expect(r['base:docker-build']).toEqual([recordedHash('base'), 'local hit', '']);
    expect(r['app:docker-build']).toEqual([expect.stringMatching(/^\d+$/), 'miss', 'because images/app/app.txt changed']);
  });

  it("the base's file changed: the base misses because of it, the child because its parent rebuilds; the next run's summary says the same", () => {
    ws.write({
      'images/base/base.txt': 'base 2\n',
      'images/app/image.json': JSON.stringify({ repository: `${P}/app`, args: { VERSION: '2' } }),
    });
    const r = plan([]);
    const planned = rows(r);
    expect(order(r)).toEqual(['base:docker-build', 'app:docker-build']);
    expect(planned['base:docker-build']).toEqual([expect.stringMatching(/^\d+$/), 'miss', 'because images/base/base.txt changed']);
    expect(planned['app:docker-build']).toEqual(['-', 'miss', 'because images/app/app.txt changed, parent base rebuilds, arg VERSION 1→2']);

    const oldBase = recordedId('base');
    const run = nx(['run-many', '-t', 'docker-build'], { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
    expectSuccess(run);
    expect(recordedHash('base')).toBe(planned['base:docker-build'][0]);
    expect(why(run.stdout, 'base')).toBe('images/base/base.txt changed');
    expect(why(run.stdout, 'app')).toBe(`images/app/app.txt changed, parent base ${oldBase}→${recordedId('base')}, arg VERSION 1→2`);
  });

  it('remote: a hit in the self-hosted remote cache when the local cache lacks the entry', () => {
    const r = rows(
      plan([], {
        NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url,
        NX_CACHE_DIRECTORY: join(ws.dir, '.nx', 'empty-cache'),
        NX_WORKSPACE_DATA_DIRECTORY: join(ws.dir, '.nx', 'empty-data'),
      }),
    );
    expect(r['base:docker-build']).toEqual([recordedHash('base'), 'remote hit', '']);
    // Its parent's image is known once restored: so is its hash.
    expect(r['app:docker-build']).toEqual([
      '-',
      'unknown',
      expect.stringMatching(/parent base comes from the remote cache.*its hash is known once its parents are restored/),
    ]);
  });

  it('a credential-looking build arg from the command line: named in the why, its value in no file', () => {
    const run = nx(['run', 'app:docker-build', `--build-arg=API_TOKEN=${SECRET}`]);
    expectSuccess(run);
    expect(why(run.stdout, 'app')).toBe('arg API_TOKEN added');
    expect(ws.read('dist/image-builds/images/app/docker-build.inputs.json')).not.toContain(SECRET);
  });

  it('with the Nx daemon: the same hashes and statuses', () => {
    const off = rows(plan(['--projects=base']));
    const on = rows(plan(['--projects=base'], { NX_DAEMON: 'true' }));
    expect(on).toEqual(off);
    expect(on['base:docker-build'][1]).toBe('local hit');
  });

  it("an nx.json edit: the miss names Nx's own input (from the hashes the run's hook kept), in the plan and in the run's summary", () => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    ws.write({ 'nx.json': JSON.stringify({ ...nxJson, defaultBase: 'main' }, null, 2) });
    // Only the file that changed of those Nx hashes as one input (nx.json, .gitignore, ...).
    expect(rows(plan(['--projects=base']))['base:docker-build']).toEqual([
      expect.stringMatching(/^\d+$/),
      'miss',
      'because nx.json changed (an Nx input)',
    ]);
    const run = nx(['run', 'base:docker-build']);
    expectSuccess(run);
    expect(why(run.stdout, 'base')).toBe('nx.json changed (an Nx input)');
  });
});

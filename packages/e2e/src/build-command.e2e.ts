import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { docker, imageIdOf, removeImages } from './support/engine';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * docker-build as a command Nx runs from its own process (nx-image-graph-build), reading its
 * settings from the graph Nx computed; and a build the engine already made is a lookup, by the
 * image's inputs label.
 */
const OWNER = `e2ecmd${process.pid}`;
const meta = (ws: TestWorkspace, root: string, target = 'docker-build') => JSON.parse(ws.read(`dist/image-builds/${root}/${target}.json`));

// Preloaded into every node process of a run (NODE_OPTIONS): the build command writes down its environment and its ancestors.
const TRACE = `
const { writeFileSync, readFileSync } = require('node:fs');
if (/bin[\\\\/]build\\.js$|nx-image-graph-build$/.test(process.argv[1] ?? '')) {
  const ancestors = [];
  for (let pid = process.ppid, i = 0; pid > 1 && i < 4; i++) {
    const stat = readFileSync('/proc/' + pid + '/stat', 'utf8');
    ancestors.push(readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' ').trim());
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  writeFileSync(process.env.TRACE_DIR + '/' + process.pid + '.json', JSON.stringify({ argv: process.argv.slice(2), env: process.env, ancestors }));
}
`;

const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN echo base > /base.txt\n',
  'images/base/image.json': JSON.stringify({ repository: `${OWNER}/base` }),
  'images/app/Dockerfile': `FROM ${OWNER}/base\nCOPY app.sh /app.sh\nRUN sh /app.sh > /out.txt\n`,
  'images/app/app.sh': 'echo app\n',
  'images/app/image.json': JSON.stringify({ repository: `${OWNER}/app` }),
  'tools/trace.js': TRACE,
};

describe('docker-build as a command, and the engine lookup', () => {
  let ws: TestWorkspace;
  const traceDir = () => join(ws.dir, 'trace');
  beforeAll(() => {
    ws = TestWorkspace.create('command', files);
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it("runs each build as a command from Nx's own process, not a forked Nx task process", () => {
    mkdirSync(traceDir(), { recursive: true });
    const r = ws.nx(['run-many', '-t', 'docker-build', '--outputStyle=stream'], {
      NODE_OPTIONS: `--require ${join(ws.dir, 'tools/trace.js')}`,
      TRACE_DIR: traceDir(),
    });
    expectSuccess(r);
    const traces = readdirSync(traceDir()).map(
      (f) => JSON.parse(readFileSync(join(traceDir(), f), 'utf8')) as { env: Record<string, string>; ancestors: string[] },
    );
    expect(traces.map((t) => t.env.NX_TASK_TARGET_PROJECT).sort()).toEqual(['app', 'base']);
    for (const t of traces) {
      expect(t.env.NX_FORKED_TASK_EXECUTOR).toBeUndefined();
      expect(t.env.NX_TASK_HASH).toMatch(/^\d+$/);
      expect(t.ancestors.join('\n')).not.toMatch(/run-executor|tasks-runner[\\/]fork/);
      expect(t.ancestors.some((a) => a.includes('run-many -t docker-build'))).toBe(true);
    }
    expect(r.output).toMatch(new RegExp(`✔ app: [0-9a-f]{12} ${OWNER}/app:latest`));
  });

  it('after an nx.json edit every Nx hash moves, and no build reaches BuildKit: the engine has the same inputs, the same image ids', async () => {
    const before = { base: meta(ws, 'images/base'), app: meta(ws, 'images/app') };
    const nxJson = JSON.parse(ws.read('nx.json'));
    ws.write({ 'nx.json': JSON.stringify({ ...nxJson, namedInputs: { unrelated: ['{projectRoot}/**/*.md'] } }, null, 2) });
    const r = ws.nx(['run-many', '-t', 'docker-build', '--outputStyle=stream']);
    expectSuccess(r);
    expect(r.output).not.toContain('[local cache]');
    expect(r.output).not.toMatch(/Building (base|app) ->/);
    for (const p of ['base', 'app'] as const) {
      const now = meta(ws, `images/${p}`);
      expect(now.nxHash).not.toBe(before[p].nxHash);
      expect(now.imageId).toBe(before[p].imageId);
      expect(now).toMatchObject({ reused: 'engine', inputsDigest: before[p].inputsDigest });
      expect(r.output).toContain(`✔ ${p}: ${before[p].imageId.slice(7, 19)}`);
      expect(r.output).toContain(`engine: same inputs as ${before[p].imageId.slice(7, 19)}`);
      expect(await imageIdOf(`${OWNER}/${p}:latest`)).toBe(before[p].imageId);
    }
    const rows = (JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { image: string; outcome: string; note?: string }[] }).rows;
    expect(rows.map((x) => [x.image, x.outcome, x.note]).sort()).toEqual([
      ['app', 'built', `engine: same inputs as ${before.app.imageId.slice(7, 19)}`],
      ['base', 'built', `engine: same inputs as ${before.base.imageId.slice(7, 19)}`],
    ]);
    const labels = (await docker.getImage(before.app.imageId).inspect()).Config.Labels;
    expect(labels['nx-image-graph.inputs']).toBe(before.app.inputsDigest);
  });

  it("--no-cache builds for real, past the engine lookup and BuildKit's cache; the new image then stays the one found", async () => {
    const before = meta(ws, 'images/base');
    const r = ws.nx(['run', 'base:docker-build', '--no-cache', '--outputStyle=stream']);
    expectSuccess(r);
    expect(r.output).toContain(`Building base -> ${OWNER}/base:latest with BuildKit`);
    expect(r.output).toMatch(/#\d+ DONE [\d.]+s \[2\/2\] RUN echo base/);
    const rebuilt = meta(ws, 'images/base');
    expect(rebuilt.steps).toEqual({ total: 1, cached: 0 });
    expect(rebuilt.imageId).not.toBe(before.imageId);
    expect(rebuilt.inputsDigest).toBe(before.inputsDigest);
    // Two images carry these inputs now: the one holding the tags is kept.
    const again = ws.nx(['run', 'base:docker-build', '--skip-nx-cache', '--outputStyle=stream']);
    expectSuccess(again);
    expect(again.output).toContain(`engine: same inputs as ${rebuilt.imageId.slice(7, 19)}`);
    expect(meta(ws, 'images/base').imageId).toBe(rebuilt.imageId);
    expect(await imageIdOf(`${OWNER}/base:latest`)).toBe(rebuilt.imageId);
  });

  it("shows each build's progress live, in its own pane of the TUI", async () => {
    const ownMarkers = { base: `${OWNER}-tui-base`, app: `${OWNER}-tui-app` };
    ws.write({
      'images/base/Dockerfile': `FROM busybox:1.36\nRUN echo ${ownMarkers.base}-step && sleep 6\n`,
      'images/app/Dockerfile': `FROM busybox:1.36\nCOPY app.sh /app.sh\nRUN echo ${ownMarkers.app}-step && sleep 6\n`,
      'nx.json': JSON.stringify({ ...JSON.parse(ws.read('nx.json')), analytics: false }, null, 2),
    });
    const started = Date.now();
    const recorded = (root: string) =>
      existsSync(join(ws.dir, 'dist', 'image-builds', root, 'docker-build.json')) &&
      statSync(join(ws.dir, 'dist', 'image-builds', root, 'docker-build.json')).mtimeMs > started;
    const screen = await tuiRun(ws, ['run-many', '-t', 'docker-build'], () => recorded('images/base') && recorded('images/app'));
    expect(screen.code).toBe(0);
    const base = screen.positions(`${ownMarkers.base}-step`);
    const app = screen.positions(`${ownMarkers.app}-step`);
    expect(base.length).toBeGreaterThan(0);
    expect(app.length).toBeGreaterThan(0);
    // Each build's lines are drawn in a region of its own: no row holds both.
    const rows = (ps: { row: number }[]) => new Set(ps.map((p) => p.row));
    expect([...rows(base)].filter((r) => rows(app).has(r))).toEqual([]);
    // ... and while it runs: its step is on screen seconds before the run ends (the step sleeps 6 s after it prints).
    for (const p of ['base', 'app'] as const) expect(screen.endedAt - screen.firstSeen(`${ownMarkers[p]}-step`)).toBeGreaterThan(3000);
  });

  it('a target written by hand with the executor builds the same way', () => {
    ws.write({
      'tools/by-hand/project.json': JSON.stringify({
        name: 'by-hand',
        root: 'tools/by-hand',
        targets: {
          image: {
            executor: 'nx-image-graph:build',
            options: {
              dockerfile: 'tools/by-hand/Buildfile',
              context: 'tools/by-hand',
              repository: `${OWNER}/by-hand`,
              tags: ['latest'],
              parents: [],
              metadataFile: 'dist/tools/by-hand/image.json',
            },
          },
        },
      }),
      // Not a name the plugin infers images from: this target is the only build of it.
      'tools/by-hand/Buildfile': 'FROM busybox:1.36\nRUN echo by hand > /by-hand.txt\n',
    });
    const r = ws.nx(['run', 'by-hand:image', '--outputStyle=stream']);
    expectSuccess(r);
    expect(r.output).toMatch(new RegExp(`✔ by-hand: [0-9a-f]{12} ${OWNER}/by-hand:latest`));
    expect(existsSync(join(ws.dir, 'dist/tools/by-hand/image.json'))).toBe(true);
    const typo = ws.nx(['run', 'by-hand:image', '--tag=x']);
    expect(typo.code).not.toBe(0);
    expect(typo.output).toMatch(/unknown option --tag: did you mean --tags\?/);
  });

  it('nx.json\'s targetDefaults["nx:run-commands"] applies to the builds: said when it takes their cache away, and a filter keeps it off them', () => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    ws.write({ 'nx.json': JSON.stringify({ ...nxJson, targetDefaults: { 'nx:run-commands': { cache: false } } }, null, 2) });
    const unscoped = ws.nx(['run', 'base:docker-build', '--outputStyle=stream']);
    expectSuccess(unscoped);
    expect(unscoped.output).toContain('WARNING: base:docker-build is not the target nx-image-graph inferred: it is not cached');
    ws.write({
      'nx.json': JSON.stringify(
        { ...nxJson, targetDefaults: { 'nx:run-commands': [{ filter: { projects: ['!tag:image'] }, cache: false }] } },
        null,
        2,
      ),
    });
    expectSuccess(ws.nx(['run', 'base:docker-build', '--outputStyle=stream']));
    const scoped = ws.nx(['run', 'base:docker-build', '--outputStyle=stream']);
    expectSuccess(scoped);
    expect(scoped.output).not.toContain('WARNING');
    expect(scoped.output).toMatch(/nx run base:docker-build\s+\[local cache\]|existing outputs match the cache/);
  });
});

/**
 * `nx` in the TUI, on a pseudo-terminal of 200x50 (util-linux `script`), each running build pinned
 * to a pane of its own (keys 1, down, 2), quit (q) once `done` says so (its lines are cut up by the
 * TUI's redrawing, the workspace's files are not). Gives where and when a text was drawn.
 */
function tuiRun(
  ws: TestWorkspace,
  args: string[],
  done: () => boolean,
): Promise<{ code: number; endedAt: number; firstSeen: (t: string) => number; positions: (t: string) => { row: number; col: number }[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'true',
    NX_CACHE_DIRECTORY: join(ws.dir, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(ws.dir, '.nx', 'workspace-data'),
  };
  delete env.CI;
  const command = `stty cols 200 rows 50; ${join(ws.dir, 'node_modules', '.bin', 'nx')} ${args.join(' ')}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ws.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let pinned = false;
  // When each part of the stream came: a text's first appearance is timed by its chunk.
  const chunks: { at: number; end: number }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    text += d.toString('utf8');
    chunks.push({ at: Date.now(), end: text.length });
    // Once the task list is drawn: pin the selected (first) task to pane 1, the next to pane 2.
    if (!pinned && text.includes('docker-build tasks')) {
      pinned = true;
      setTimeout(() => child.stdin.write('1'), 300);
      setTimeout(() => child.stdin.write('\x1b[B'), 600);
      setTimeout(() => child.stdin.write('2'), 900);
    }
  });
  // Keys typed into the TUI stop its auto-exit: once the builds are done, quit.
  const poll = setInterval(() => {
    if (!done()) return;
    clearInterval(poll);
    setTimeout(() => child.stdin.end('q'), 1000);
  }, 500);
  // A TUI that never ends fails the test in minutes, not at jest's timeout.
  const stop = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(stop);
      clearInterval(poll);
      resolve({
        code: code ?? 1,
        endedAt: Date.now(),
        firstSeen: (t) => (text.includes(t) ? chunks.find((c) => c.end >= text.indexOf(t) + t.length)!.at : Infinity),
        positions: (t) => drawnAt(text, t),
      });
    });
  });
}

/** The screen positions (row, column) where a terminal stream draws `needle`: follows cursor moves (CSI H, G), CR and LF. */
function drawnAt(stream: string, needle: string): { row: number; col: number }[] {
  let row = 1;
  let col = 1;
  const found: { row: number; col: number }[] = [];
  const token = /\x1b\[(\d*)(?:;(\d*))?([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^[\]]|([^\x1b\r\n]+)|(\r)|(\n)/g;
  for (let m = token.exec(stream); m; m = token.exec(stream)) {
    if (m[3] === 'H' || m[3] === 'f') [row, col] = [Number(m[1] || 1), Number(m[2] || 1)];
    else if (m[3] === 'G') col = Number(m[1] || 1);
    else if (m[4] !== undefined) {
      const at = m[4].indexOf(needle);
      if (at >= 0) found.push({ row, col: col + [...m[4].slice(0, at)].length });
      col += [...m[4]].length;
    } else if (m[5]) col = 1;
    else if (m[6]) row++;
  }
  return found;
}

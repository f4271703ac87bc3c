import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImages } from './support/engine';
import { TestWorkspace } from './support/test-workspace';

const OWNER = `e2eval${process.pid}`;
const json = (ws: TestWorkspace, path: string) => JSON.parse(ws.read(path));
/** Output without colours and without the `project: ` prefix Nx puts on each streamed line. */
const plain = (output: string) => output.replace(/\x1b\[[0-9;]*m/g, '').replace(/^(img|gpu): /gm, '');

// Every config the checks read is set, and the entrypoint would fail any command run through it.
const dockerfile =
  'FROM busybox:1.36\nCOPY data.txt /app/data.txt\nENV APP_MODE=production GREETING="hello world"\nUSER nobody\nENTRYPOINT ["/bin/false"]\n';

const passing = [
  { type: 'command', command: ['sh', '-c', 'echo hi'], outputMatches: '^hi$' },
  { name: 'runs as nobody, not through the entrypoint', type: 'command', command: ['id', '-un'], outputMatches: '^nobody$' },
  { type: 'file', path: '/app/data.txt', kind: 'file' },
  { type: 'file', path: '/etc', kind: 'directory' },
  { type: 'file', path: '/bin/sh' },
  { type: 'env', variable: 'APP_MODE', equals: 'production' },
  { type: 'env', variable: 'GREETING', matches: '^hello' },
  { type: 'user', equals: 'nobody' },
  { type: 'entrypoint', equals: ['/bin/false'] },
];
const passingNames = [
  'command ["sh","-c","echo hi"]',
  'runs as nobody, not through the entrypoint',
  'file /app/data.txt (file)',
  'file /etc (directory)',
  'file /bin/sh',
  'env APP_MODE="production"',
  'env GREETING ~ /^hello/',
  'user "nobody"',
  'entrypoint ["/bin/false"]',
];
const ready = {
  name: 'service reports ready',
  type: 'command',
  command: ['sh', '-c', 'echo starting; echo boom >&2; exit 4'],
  outputMatches: 'ready',
};
const failing = [
  ready,
  { name: 'hangs', type: 'command', command: ['sleep', '30'], timeoutSeconds: 2 },
  { type: 'file', path: '/missing.txt', kind: 'file' },
  { type: 'env', variable: 'APP_MODE', equals: 'staging' },
];
const manifest = (checks: object[]) => JSON.stringify({ repository: `${OWNER}/img`, checks }, null, 2);

const files: Record<string, string> = {
  'images/img/Dockerfile': dockerfile,
  'images/img/data.txt': 'data\n',
  'images/img/image.json': manifest([...passing, ...failing]),
  'images/gpu/Dockerfile': 'FROM busybox:1.36\nRUN echo gpu > /gpu.txt\n',
  'images/gpu/image.json': JSON.stringify({
    repository: `${OWNER}/gpu`,
    checks: [
      { name: 'nvidia-smi sees a GPU', type: 'command', command: ['nvidia-smi'], gpu: true },
      { type: 'file', path: '/gpu.txt', kind: 'file' },
    ],
  }),
};

describe('docker-validate against a real engine', () => {
  let ws: TestWorkspace;
  let firstRun: ReturnType<TestWorkspace['nx']>;
  beforeAll(() => {
    ws = TestWorkspace.create('validate', files);
    const r = ws.nx(['run', 'img:docker-validate', '--outputStyle=stream']);
    firstRun = { ...r, output: plain(r.output) };
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it('builds the image first, then lists every passing check as passing', () => {
    expect(firstRun.output).toMatch(new RegExp(`✔ img: [0-9a-f]{12} ${OWNER}/img:latest`));
    for (const name of passingNames) expect(firstRun.output).toContain(`✔ ${name} (`);
    expect(firstRun.output).toContain('13 checks: 9 passed, 4 failed');
  });

  it('fails, naming each failed check with what was expected and what came', () => {
    expect(firstRun.code).not.toBe(0);
    const o = firstRun.output;
    // stdout and stderr reach the engine separately: their lines may come in either order.
    expect(o).toMatch(
      /✖ service reports ready \(.*\)\n\s+expected: exit code 0 and output matching \/ready\/\n\s+actual: +exit code 4, output does not match\n\s+output:\n\s+\| (starting\n\s+\| boom|boom\n\s+\| starting)\n/,
    );
    expect(o).toMatch(/✖ hangs \(.*\)\n\s+expected: exit code 0\n\s+actual: +timed out after 2s \(the container was killed\)/);
    expect(o).toMatch(
      /✖ file \/missing\.txt \(file\) \(.*\)\n\s+expected: a regular file at \/missing\.txt\n\s+actual: +nothing \(no such file or directory\)/,
    );
    expect(o).toMatch(/✖ env APP_MODE="staging" \(.*\)\n\s+expected: APP_MODE="staging"\n\s+actual: +APP_MODE="production"/);
    expect(o).toContain('4 checks failed: service reports ready, hangs, file /missing.txt (file), env APP_MODE="staging"');
    expect(o).toContain('No results file was written.');
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/img/docker-validate.json'))).toBe(false);
  });

  it('leaves no container behind, the killed one included', async () => {
    const imageId = json(ws, 'dist/image-builds/images/img/docker-build.json').imageId;
    expect(await docker.listContainers({ all: true, filters: { ancestor: [imageId] } })).toEqual([]);
  });

  it('passes once the checks are fixed, records the results, and is then a cache hit', () => {
    ws.write({ 'images/img/image.json': manifest([...passing, { ...ready, exitCode: 4, outputMatches: '^boom$' }]) });
    const second = ws.nx(['run', 'img:docker-validate', '--outputStyle=stream']);
    second.output = plain(second.output);
    expect(second.code).toBe(0);
    expect(second.output).toContain('✔ service reports ready (');
    expect(second.output).toContain('10 checks: 10 passed');
    const results = json(ws, 'dist/image-builds/images/img/docker-validate.json');
    expect(results.imageId).toBe(json(ws, 'dist/image-builds/images/img/docker-build.json').imageId);
    expect(results.counts).toEqual({ passed: 10, failed: 0, notRun: 0 });
    expect(results.checks.map((c: { name: string; status: string }) => `${c.status} ${c.name}`)).toEqual(
      [...passingNames, 'service reports ready'].map((n) => `passed ${n}`),
    );

    const third = ws.nx(['run', 'img:docker-validate', '--outputStyle=stream']);
    third.output = plain(third.output);
    expect(third.code).toBe(0);
    expect(third.output).toMatch(/img:docker-validate +(\[local cache\]|\[existing outputs match the cache)/);
    expect(third.output).toContain('Nx read the output from the cache instead of running the command for 2 out of 2 tasks');
    expect(json(ws, 'dist/image-builds/images/img/docker-validate.json')).toEqual(results);
  });

  it('reports a GPU check as NOT RUN with the reason, and does not pass', async () => {
    // The precondition of this test: the e2e engine has no GPU runtime.
    expect(Object.keys((await docker.info()).Runtimes ?? {})).not.toContain('nvidia');
    const r = ws.nx(['run', 'gpu:docker-validate', '--outputStyle=stream']);
    r.output = plain(r.output);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('✔ file /gpu.txt (file) (');
    expect(r.output).toMatch(/NOT RUN nvidia-smi sees a GPU \(no GPU runtime in the engine: docker .* none of them "nvidia"/);
    expect(r.output).toContain('2 checks: 1 passed, 1 not run');
    expect(r.output).toMatch(/1 check not run \(no GPU runtime in the engine.*\): nvidia-smi sees a GPU/);
    expect(r.output).toContain('A check that cannot run fails the target');
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/gpu/docker-validate.json'))).toBe(false);
  });

  it('stopping a run mid-check removes its container and records nothing', async () => {
    ws.write({ 'images/img/image.json': manifest([{ name: 'long', type: 'command', command: ['sleep', '120'], timeoutSeconds: 300 }]) });
    const run = ws.nxStarted(['run', 'img:docker-validate', '--outputStyle=stream']);
    await waitFor(() => run.output().includes('Validating img'), 120_000);
    const imageId = json(ws, 'dist/image-builds/images/img/docker-build.json').imageId;
    await waitForAsync(async () => (await docker.listContainers({ filters: { ancestor: [imageId] } })).length === 1, 30_000);
    await run.stop();
    await waitForAsync(async () => (await docker.listContainers({ all: true, filters: { ancestor: [imageId] } })).length === 0, 15_000);
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/img/docker-validate.json'))).toBe(false);
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  return waitForAsync(async () => check(), timeoutMs);
}

async function waitForAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

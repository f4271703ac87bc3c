import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdOf, removeImages } from './support/engine';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * Images you can trust (issue 10), each case starting from the failing case the issue quotes:
 * a broken parent never silently replaced by a stale image, no fallback for a workspace repository,
 * image ids that depend on the build's inputs only, each build hashing only what it reads, overrides
 * that do not move configured tags, and a context that holds only what the build reads.
 */
const P = `e2etr${process.pid}`;
const meta = (ws: TestWorkspace, root: string, target = 'docker-build') => JSON.parse(ws.read(`dist/image-builds/${root}/${target}.json`));
const run = (ws: TestWorkspace, args: string[], env: NodeJS.ProcessEnv = {}): RunResult => ws.nx([...args, '--outputStyle=stream'], env);
/** The tasks Nx took from its cache in a run, by "project:target". */
const hits = (r: RunResult) => [...r.output.matchAll(/> nx run (\S+)\s+(?:--\S+\s+)*\[(?:local|remote) cache\]/g)].map((m) => m[1]).sort();

describe('images you can trust', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.create('trust', {
      'images/sp-par/Dockerfile': 'FROM busybox:1.36\nRUN echo v1 > /ver\n',
      'images/sp-par/image.json': JSON.stringify({ repository: `${P}/sp-par` }),
      'images/sp-child/Dockerfile': `FROM ${P}/sp-par:latest\nRUN cat /ver > /child-ver\n`,
      'images/gpu/Dockerfile': 'FROM busybox:1.36\nARG FLAVOUR\nRUN echo "$FLAVOUR" > /flavour\n',
      'images/gpu/image.json': JSON.stringify({
        repository: `${P}/gpu`,
        registries: ['127.0.0.1:5000'],
        checks: [{ type: 'file', path: '/flavour' }],
        variants: { ampere: { args: { FLAVOUR: 'ampere' } }, hopper: { args: { FLAVOUR: 'hopper' } } },
      }),
      'images/on-gpu/Dockerfile': `FROM ${P}/gpu:ampere\nRUN cat /flavour\n`,
      'images/on-gpu/image.json': JSON.stringify({ repository: `${P}/on-gpu` }),
      'images/rooted/Dockerfile': 'FROM busybox:1.36\nCOPY images/rooted/app.txt /app.txt\n',
      'images/rooted/app.txt': 'app\n',
      'images/rooted/image.json': JSON.stringify({ repository: `${P}/rooted`, context: '../..' }),
    });
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
  });

  it('builds the graph', () => {
    expectSuccess(run(ws, ['run-many', '-t', 'docker-build']));
  });

  describe('a broken parent', () => {
    it('blocks its child with its own problem instead of building it on the stale local image', () => {
      const before = meta(ws, 'images/sp-child').imageId;
      ws.write({
        'images/sp-par/Dockerfile': 'FROM busybox:1.36\nRUN echo v2 > /ver\n',
        'images/sp-par/image.json': `{ "repository": "${P}/sp-par", }`,
      });
      const r = run(ws, ['run', 'sp-child:docker-build']);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(
        `sp-child cannot be built because sp-par ("${P}/sp-par:latest") cannot be built: images/sp-par/image.json`,
      );
      expect(r.output).not.toMatch(/steps cached/);
      expect(meta(ws, 'images/sp-child').imageId).toBe(before);
      expect(ws.edges()).toContain('sp-child -> sp-par');
    });

    it('says the same without a local image of that name (no DNS error from a pull)', async () => {
      await removeImages(`${P}/sp-par`);
      const r = run(ws, ['run', 'sp-child:docker-build']);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('sp-child cannot be built because sp-par');
      expect(r.output).not.toMatch(/lookup|no such host|pull access denied/i);
      ws.write({ 'images/sp-par/image.json': JSON.stringify({ repository: `${P}/sp-par` }) });
      expectSuccess(run(ws, ['run', 'sp-child:docker-build']));
    });
  });

  it('refuses a workspace repository with a tag no build gives, at graph time, with "did you mean"', () => {
    ws.write({ 'images/typo/Dockerfile': `FROM ${P}/gpu:amperee\n` });
    const r = run(ws, ['run', 'typo:docker-build']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(
      `images/typo/Dockerfile:1: "${P}/gpu:amperee" names ${P}/gpu, which the workspace builds (gpu (ampere), gpu (hopper)), but no build of it has tag "amperee"; did you mean "ampere"`,
    );
    ws.write({ 'images/typo/image.json': JSON.stringify({ external: [`${P}/gpu:amperee`] }) });
    expect(ws.edges()).not.toContain('typo -> gpu');
    rmSync(join(ws.dir, 'images/typo'), { recursive: true, force: true });
  });

  describe('image ids depend on the build inputs only', () => {
    const ids = () => ({
      gpuAmpere: meta(ws, 'images/gpu', 'docker-build-ampere').imageId,
      gpuHopper: meta(ws, 'images/gpu', 'docker-build-hopper').imageId,
      onGpu: meta(ws, 'images/on-gpu').imageId,
    });
    let reference: ReturnType<typeof ids>;
    beforeAll(() => {
      ws.git('add', '-A');
      ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', 'state');
      expectSuccess(run(ws, ['run-many', '-t', 'docker-build']));
      reference = ids();
    });

    it('an unrelated commit and an nx.json edit rebuild (Nx hashes nx.json) to the same ids', () => {
      ws.write({ 'README.md': 'unrelated\n' });
      ws.git('add', '-A');
      ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', 'unrelated');
      const nxJson = JSON.parse(ws.read('nx.json'));
      ws.write({ 'nx.json': JSON.stringify({ ...nxJson, defaultBase: 'main' }, null, 2) });
      const r = run(ws, ['run-many', '-t', 'docker-build', '--projects=gpu,on-gpu']);
      expectSuccess(r);
      expect(hits(r)).toEqual([]);
      expect(ids()).toEqual(reference);
    });

    it('a clone over https and one over ssh give the same ids', () => {
      const viaHttps = ws.clone('trust-https');
      const viaSsh = ws.clone('trust-ssh');
      try {
        viaHttps.git('remote', 'set-url', 'origin', 'https://git.example.com/acme/images.git');
        viaSsh.git('remote', 'set-url', 'origin', 'git@git.example.com:acme/images.git');
        for (const clone of [viaHttps, viaSsh]) expectSuccess(run(clone, ['run-many', '-t', 'docker-build', '--projects=gpu,on-gpu']));
        const id = (c: TestWorkspace) => meta(c, 'images/gpu', 'docker-build-ampere').imageId;
        expect(id(viaHttps)).toBe(id(viaSsh));
        expect(meta(viaHttps, 'images/on-gpu').imageId).toBe(meta(viaSsh, 'images/on-gpu').imageId);
      } finally {
        viaHttps.remove();
        viaSsh.remove();
      }
    });
  });

  describe('each build hashes what it reads', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- image.json edited as JSON: any field, any shape
    const edit = (change: (m: Record<string, any>) => void) => {
      const m = JSON.parse(ws.read('images/gpu/image.json'));
      change(m);
      ws.write({ 'images/gpu/image.json': JSON.stringify(m) });
    };

    it("editing another variant's args, a push-only or a check-only field leaves the other builds cache hits", () => {
      expectSuccess(run(ws, ['run-many', '-t', 'docker-build']));
      edit((m) => {
        m.variants.hopper.args.FLAVOUR = 'hopper-2';
        m.registries = ['127.0.0.1:5001'];
        m.checks = [{ type: 'file', path: '/flavour', kind: 'file' }];
      });
      const r = run(ws, ['run-many', '-t', 'docker-build']);
      expectSuccess(r);
      expect(hits(r)).toEqual(
        expect.arrayContaining([
          'gpu:docker-build-ampere',
          'on-gpu:docker-build',
          'sp-par:docker-build',
          'sp-child:docker-build',
          'rooted:docker-build',
        ]),
      );
      expect(hits(r)).not.toContain('gpu:docker-build-hopper');
    });

    it('adding a variant keeps the image ids of the others and the images built on them cache hits', () => {
      const ampere = meta(ws, 'images/gpu', 'docker-build-ampere').imageId;
      edit((m) => (m.variants.turing = { args: { FLAVOUR: 'turing' } }));
      const r = run(ws, ['run-many', '-t', 'docker-build']);
      expectSuccess(r);
      expect(meta(ws, 'images/gpu', 'docker-build-ampere').imageId).toBe(ampere);
      expect(hits(r)).toContain('on-gpu:docker-build');
    });
  });

  describe('overrides and engine state', () => {
    it('a command-line build arg builds under its own hash and does not move the configured tags', async () => {
      const configured = meta(ws, 'images/gpu', 'docker-build-ampere');
      const r = run(ws, ['run', 'gpu:docker-build-ampere', '--build-arg=FLAVOUR=max-jobs-4']);
      expectSuccess(r);
      expect(r.output).toContain('the configured tags (ampere) were not moved. Pass --tags to tag it');
      expect(await imageIdOf(`${P}/gpu:ampere`)).toBe(configured.imageId);
      const again = run(ws, ['run', 'gpu:docker-build-ampere']);
      expectSuccess(again);
      expect(hits(again)).toEqual(['gpu:docker-build-ampere']);
      expect(meta(ws, 'images/gpu', 'docker-build-ampere').imageId).toBe(configured.imageId);
      expect(await imageIdOf(`${P}/gpu:ampere`)).toBe(configured.imageId);
    });
  });

  it('sends only what the build reads: a context at the workspace root does not ship node_modules', () => {
    const r = run(ws, ['run', 'rooted:docker-build', '--skip-nx-cache']);
    expectSuccess(r);
    const line = /✔ rooted: .* context (\d+) files ([\d.]+ [kMG]B)/.exec(r.output);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBeLessThanOrEqual(3);
  });
});

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdOf, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { expectSuccess, RunResult, TestWorkspace } from './support/test-workspace';

/**
 * `--dry-run` says what a run would do and does none of it (no engine, no registry, no metadata,
 * no Nx cache entry), and an option an executor does not have is refused with the closest one.
 */
const P = `e2edry${process.pid}`;

describe('dry runs and unknown options', () => {
  const state = engineState();
  const registry = `${state.registry.address}/${P}`;
  let ws: TestWorkspace;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): RunResult =>
    ws.nx([...args, '--outputStyle=stream'], { DOCKER_HOST: state.dockerHost, ...env });
  const tagsInRegistry = async (repo: string) => {
    const res = await fetch(`http://${state.registry.address}/v2/${P}/${repo}/tags/list`);
    return res.status === 200 ? (((await res.json()) as { tags: string[] | null }).tags ?? []) : [];
  };

  beforeAll(() => {
    ws = TestWorkspace.create(
      'dry-run',
      {
        'images/base/Dockerfile': 'FROM busybox:1.36\nCOPY hello.txt /hello.txt\n',
        'images/base/hello.txt': 'hello\n',
        'images/base/image.json': JSON.stringify({ repository: `${P}/base`, checks: [{ type: 'file', path: '/hello.txt', kind: 'file' }] }),
        'images/app/Dockerfile': `FROM ${P}/base\nARG GREETING=hi\nRUN echo $GREETING > /greeting\n`,
        'images/app/image.json': JSON.stringify({ repository: `${P}/app`, tags: ['latest', '{hash}'] }),
      },
      { pluginOptions: { registries: [registry] } },
    );
  });

  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
    await removeImages(`${registry}/`);
  });

  it('a dry run before any build prints the plan and touches nothing', async () => {
    const r = run(['run-many', '-t', 'docker-build', '--dry-run']);
    expectSuccess(r);
    expect(r.output).toMatch(/\[dry run\] base: would build e2edry\d+\/base:latest from images\/base\/Dockerfile/);
    expect(r.output).toMatch(/context images\/base: 1 file, \d+ kB \(6 bytes\)/);
    expect(r.output).toMatch(/Images: dry run, 2 image builds planned, nothing built/);
    expect(r.output).toMatch(/\[dry run\] app: would build e2edry\d+\/app:latest, e2edry\d+\/app:<hash>/);
    expect(r.output).toMatch(/on e2edry\d+\/base = base: no recorded build yet/);
    expect(r.output).toMatch(/external bases \(pull missing\): busybox:1\.36/);
    expect(r.output).not.toMatch(/Nx is caching this dry run/);
    expect(existsSync(join(ws.dir, 'dist'))).toBe(false);
    expect(await imageIdOf(`${P}/base:latest`)).toBeUndefined();
  });

  it('a real run after a dry run builds (no cache hit from the dry run)', async () => {
    const r = run(['run', 'app:docker-build']);
    expectSuccess(r);
    expect(r.output).not.toMatch(/\[local cache\]|existing outputs match the cache/);
    expect(r.output).not.toMatch(/\[dry run\]/);
    expect(await imageIdOf(`${P}/app:latest`)).toMatch(/^sha256:/);
  });

  it('a dry run after a build names the recorded parent image and leaves the metadata alone', async () => {
    const baseMeta = join(ws.dir, 'dist/image-builds/images/base/docker-build.json');
    const appMeta = join(ws.dir, 'dist/image-builds/images/app/docker-build.json');
    const before = { base: readFileSync(baseMeta, 'utf8'), app: readFileSync(appMeta, 'utf8'), mtime: statSync(appMeta).mtimeMs };
    const baseId = JSON.parse(before.base).imageId as string;
    for (let i = 0; i < 2; i++) {
      // Twice: the second must not be a cache replay either.
      const r = run(['run', 'app:docker-build', '--dry-run', '--build-arg=GREETING=bonjour']);
      expectSuccess(r);
      expect(r.output).toContain(`on ${P}/base = base: recorded image ${baseId}`);
      expect(r.output).toMatch(/build args: GREETING=bonjour/);
      expect(r.output).not.toMatch(/\[local cache\]|existing outputs match the cache/);
      // The parent, which Nx does not give the option to, is a dry run too, not a real build; a real run
      // would restore it from Nx's cache, and the dry run says so (it used to say "would build").
      expect(r.output).toMatch(/\[dry run\] base: would restore e2edry\d+\/base:latest from Nx's local cache \(hash \d+\): no build/);
      // app has a --build-arg Nx never built it with: a real run builds it, and says why; a command-line
      // override is another image, tagged by its own hash, not :latest (tag-policy.ts).
      expect(r.output).toMatch(/\[dry run\] app: would build e2edry\d+\/app:nx-<hash>.* because arg GREETING/);
      expect(r.output).not.toMatch(/would build e2edry\d+\/app:latest/);
    }
    expect(readFileSync(baseMeta, 'utf8')).toBe(before.base);
    expect(readFileSync(appMeta, 'utf8')).toBe(before.app);
    expect(statSync(appMeta).mtimeMs).toBe(before.mtime);
  });

  it('refuses a misspelt option, naming the closest one, and a stray argument', () => {
    const typo = run(['run', 'app:docker-build', '--build-args=GREETING=x']);
    expect(typo.code).not.toBe(0);
    expect(typo.output).toMatch(/unknown option --build-args: did you mean --build-arg\?/);
    const retry = run(['run', 'app:docker-push', '--retry=2']);
    expect(retry.code).not.toBe(0);
    expect(retry.output).toMatch(/unknown option --retry: did you mean --retries\?/);
    const stray = run(['run', 'base:docker-materialize', 'now']);
    expect(stray.code).not.toBe(0);
    expect(stray.output).toMatch(/unexpected argument "now"/);
  });

  it('push, materialize and validate dry runs say what they would do and do not', async () => {
    const push = run(['run', 'app:docker-push', '--dry-run']);
    expectSuccess(push);
    expect(push.output).toMatch(/\[dry run\] app: would push to 127\.0\.0\.1:\d+\/e2edry\d+/);
    // The content tag is the hash of the build this run would use (a cache hit of the recorded build here).
    const recorded = JSON.parse(ws.read('dist/image-builds/images/app/docker-build.json')).nxHash as string;
    expect(push.output).toContain(`${registry}/${P}/app:nx-${recorded}`);
    expect(push.output).toMatch(/its build is a cache hit of the recorded one/);
    // After an edit, the push would take a new build: its new hash, not the recorded build's.
    ws.write({ 'images/app/Dockerfile': `FROM ${P}/base\nARG GREETING=hi\nRUN echo $GREETING > /greeting && echo edited\n` });
    const edited = run(['run-many', '-t', 'docker-push', '--dry-run']);
    expectSuccess(edited);
    expect(edited.output).not.toContain(`app:nx-${recorded}`);
    expect(edited.output).toMatch(new RegExp(`the image this run's build gives \\(Nx hash (\\d+), built anew\\)`));
    const fresh = /the image this run's build gives \(Nx hash (\d+), built anew\)/.exec(edited.output)![1];
    expect(edited.output).toContain(`${registry}/${P}/app:nx-${fresh}`);
    expect(edited.output).toContain("(see each task's [dry run] lines above)");
    // Nx's default style in a CI log hides a successful task's output: the closing line says how to see it.
    const hidden = ws.nx(['run-many', '-t', 'docker-push', '--dry-run'], { DOCKER_HOST: state.dockerHost });
    expectSuccess(hidden);
    expect(hidden.output).toMatch(
      /Each task printed its \[dry run\] lines; where Nx did not show them, run again with --output-style=stream/,
    );
    ws.git('checkout', '--', 'images/app/Dockerfile');
    expect(await tagsInRegistry(`${P}/app`)).toEqual([]);
    expect(existsSync(join(ws.dir, 'dist/images.json'))).toBe(false);

    const validate = run(['run', 'base:docker-validate', '--dry-run']);
    expectSuccess(validate);
    expect(validate.output).toMatch(/would run 1 check against sha256:[0-9a-f]{64}/);
    expect(existsSync(join(ws.dir, 'dist/image-builds/images/base/docker-validate.json'))).toBe(false);

    const materialize = run(['run', 'base:docker-materialize', '--dry-run']);
    expectSuccess(materialize);
    expect(materialize.output).toMatch(/would make the engine hold sha256:[0-9a-f]{64} as e2edry\d+\/base:latest/);
  });
});

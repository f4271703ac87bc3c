import { docker, removeImages } from './support/engine';
import { appWorkspaceDevDependencies, appWorkspaceFiles } from './support/app-workspace';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * Images of the monorepo's own code (issue 22), on a workspace built with @nx/js from the registry:
 * each image is built after the builds it copies, hashed by their outputs, and reached by
 * `nx affected` from a library edit; on a fresh clone, one run-many builds everything.
 */
const ROOT_NX = '24.0.6';

/** A container's log without the engine's 8-byte frame headers (stream, size). */
function demux(raw: Buffer): string {
  const parts: Buffer[] = [];
  for (let i = 0; i + 8 <= raw.length;) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

describe.each([
  ['the current Nx major', ROOT_NX],
  ['the previous Nx major', '23.3.1'],
])("images of the workspace's apps with %s", (_label, nxVersion) => {
  const P = `e2eapp${nxVersion.split('.')[0]}${process.pid}`;
  let ws: TestWorkspace;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => ws.nx([...args, '--outputStyle=static'], env);
  const commit = (message: string) => ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qam', message);
  const rows = () =>
    Object.fromEntries(
      (JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: { image: string; outcome: string }[] }).rows.map((r) => [
        r.image,
        r.outcome,
      ]),
    );
  const fileIn = async (image: string, path: string) => {
    const container = await docker.createContainer({ Image: image, Cmd: ['cat', path] });
    try {
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      return demux(logs);
    } finally {
      await container.remove({ force: true });
    }
  };

  beforeAll(() => {
    ws = TestWorkspace.create(`apps-nx${nxVersion.split('.')[0]}`, appWorkspaceFiles(P), {
      nxVersion,
      devDependencies: appWorkspaceDevDependencies(nxVersion),
      packageJson: { workspaces: ['apps/web'] },
    });
  });
  afterAll(async () => {
    ws?.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    ws?.remove();
    await removeImages(`${P}/`);
  });

  it('on a fresh clone (no dist/), every image can be built, each after the builds it copies', () => {
    const r = run(['show', 'project', 'api', '--json']);
    expectSuccess(r);
    const build = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).targets['docker-build'];
    expect(build.executor).not.toBe('nx-image-graph:invalid');
    expect(build.dependsOn).toEqual(
      expect.arrayContaining([
        { projects: ['api'], target: 'build' },
        { projects: ['shared'], target: 'build' },
      ]),
    );
    expect(build.inputs).toEqual(expect.arrayContaining([{ dependentTasksOutputFiles: 'dist/apps/api/**/*', transitive: false }]));
  });

  it('shows the images among the projects whose code they package', () => {
    expect(ws.edges()).toEqual(expect.arrayContaining(['api -> shared', 'api-child -> api']));
  });

  it('builds everything in one run-many on a fresh clone, the builds first', async () => {
    const r = run(['run-many', '-t', 'docker-build']);
    expectSuccess(r);
    expect(rows()).toEqual({ api: 'built', 'api-child': 'built', web: 'built' });
    expect(await fileIn(`${P}/api:latest`, '/app/src/main.js')).toContain("greeting)('api v1')");
    expect(await fileIn(`${P}/web:latest`, '/www/index.html')).toBe('<h1>web v1</h1>\n');
  });

  it("rebuilds an app's image, and the image on it, when the app changes; nothing else", async () => {
    ws.write({ 'apps/api/src/main.ts': "import { greeting } from '@acme/shared';\nconsole.log(greeting('api v2'));\n" });
    commit('api v2');
    const r = run(['run-many', '-t', 'docker-build']);
    expectSuccess(r);
    expect(rows()).toEqual({ api: 'built', 'api-child': 'built', web: 'local cache' });
    expect(await fileIn(`${P}/api:latest`, '/app/src/main.js')).toContain("greeting)('api v2')");
    expect(await fileIn(`${P}/api-child:latest`, '/child.txt')).toContain("greeting)('api v2')");
  });

  it('goes from a library edit to the images of its dependents, exactly, in nx affected', async () => {
    ws.write({ 'libs/shared/src/index.ts': 'export const greeting = (name: string) => `hello ${name} from shared v2`;\n' });
    commit('shared v2');
    const r = run(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expectSuccess(r);
    expect(rows()).toEqual({ api: 'built', 'api-child': 'built' });
    expect(r.output).not.toMatch(/nx run web:/);
    expect(await fileIn(`${P}/api:latest`, '/app/node_modules/@acme/shared/src/index.js')).toContain('from shared v2');
  });

  it('rebuilds nothing for an edit no image reads', () => {
    ws.write({ 'README.md': '# the workspace\n' });
    ws.git('add', '-A');
    commit('readme');
    const affected = run(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expectSuccess(affected);
    expect(affected.output).not.toMatch(/nx run \S+:docker-build/);
    const all = run(['run-many', '-t', 'docker-build']);
    expectSuccess(all);
    expect(rows()).toEqual({ api: 'local cache', 'api-child': 'local cache', web: 'local cache' });
  });

  it('with the daemon on, the graph and affected agree', () => {
    const env = { NX_DAEMON: 'true' };
    ws.write({ 'apps/web/index.html': '<h1>web v2</h1>\n' });
    commit('web v2');
    const shown = run(['show', 'project', 'web', '--json'], env);
    expectSuccess(shown);
    expect(JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'))).targets['docker-build'].dependsOn).toEqual([
      { projects: ['web'], target: 'build' },
    ]);
    const r = run(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD'], env);
    expectSuccess(r);
    expect(r.output).toMatch(/nx run web:docker-build/);
    expect(r.output).not.toMatch(/nx run api(-child)?:docker-build/);
  });

  it('scaffolds the image of an app it already builds (nx g nx-image-graph:image --project), which builds on the first try', async () => {
    ws.write({
      'apps/worker/project.json': JSON.stringify({
        name: 'worker',
        targets: {
          build: {
            executor: '@nx/js:tsc',
            outputs: ['{options.outputPath}'],
            options: { outputPath: 'dist/apps/worker', main: 'apps/worker/src/main.ts', tsConfig: 'apps/worker/tsconfig.app.json' },
          },
        },
      }),
      'apps/worker/tsconfig.app.json': JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { outDir: '../../dist/apps/worker' },
        include: ['src/**/*.ts'],
      }),
      'apps/worker/src/main.ts': "console.log('worker');\n",
      'apps/docs/project.json': JSON.stringify({
        name: 'docs',
        targets: { build: { command: 'mkdir -p dist/apps/docs && cp apps/docs/index.html dist/apps/docs/' } },
      }),
      'apps/docs/index.html': '<h1>docs</h1>\n',
    });
    ws.git('add', '-A');
    commit('worker and docs');
    // busybox stands in for node:22-slim here: this machine reaches no image registry.
    expectSuccess(
      ws.nx(['g', 'nx-image-graph:image', '--project=worker', '--parent=busybox:1.36', '--repository', `${P}/worker`, '--no-interactive']),
    );
    expectSuccess(ws.nx(['g', 'nx-image-graph:image', '--project=docs', '--repository', `${P}/docs`, '--no-interactive']));
    const r = run(['run-many', '-t', 'docker-build', '--projects=worker,docs']);
    expectSuccess(r);
    expect(r.output).toMatch(/nx run worker:build/);
    expect(await fileIn(`${P}/worker:latest`, '/app/src/main.js')).toContain("console.log('worker')");
    expect(await fileIn(`${P}/docs:latest`, '/www/index.html')).toBe('<h1>docs</h1>\n');
  });
});

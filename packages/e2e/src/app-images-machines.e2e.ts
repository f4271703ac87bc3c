import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker as engineA, removeImages } from './support/engine';
import { engineState } from './support/engine-state';
import { appWorkspaceDevDependencies, appWorkspaceFiles } from './support/app-workspace';
import { E2E_TMP, REPO_ROOT } from './support/paths';
import { RemoteCacheServer } from './support/remote-cache-server';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * The images of a workspace's apps on two machines: B, a clone with its own engine, takes the app
 * builds and the image builds from the remote cache that A filled, and gets A's exact images.
 */
describe("images of the workspace's apps on a machine that never built them", () => {
  const P = `e2eappm${process.pid}`;
  const state = engineState();
  const registry = state.registryAuth.address;
  let cache: RemoteCacheServer;
  let engineB: Docker;
  let secondHost: string;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let dockerConfig: string;
  const envA = () => ({ DOCKER_HOST: state.dockerHost, DOCKER_CONFIG: dockerConfig, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
  const envB = () => ({ ...envA(), DOCKER_HOST: secondHost });
  const recordedId = (ws: TestWorkspace, root: string) =>
    (JSON.parse(ws.read(`dist/image-builds/${root}/docker-build.json`)) as { imageId: string }).imageId;

  beforeAll(async () => {
    cache = await RemoteCacheServer.start();
    const out = execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    secondHost = /SECOND_DOCKER_HOST=(\S+)/.exec(out)![1];
    engineB = new Docker({ socketPath: secondHost.replace('unix://', '') });
    dockerConfig = mkdtempSync(join(E2E_TMP, 'docker-config-'));
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: { [registry]: { auth: Buffer.from(`${state.registryAuth.user}:${state.registryAuth.password}`).toString('base64') } },
      }),
    );
    const files = appWorkspaceFiles(P);
    const nxJson = JSON.parse(files['nx.json']);
    nxJson.plugins = [{ plugin: 'nx-image-graph', options: { registries: [registry] } }];
    a = TestWorkspace.create(
      'apps-machine-a',
      { ...files, 'nx.json': JSON.stringify(nxJson, null, 2) },
      { devDependencies: appWorkspaceDevDependencies('24.0.6'), packageJson: { workspaces: ['apps/web'] } },
    );
    b = a.clone('apps-machine-b');
    // B has the same upstream base as A (a pull by digest gives the same id); here by save and load.
    const tar = await engineA.getImage('busybox:1.36').get();
    await new Promise<void>((resolve, reject) =>
      engineB.loadImage(tar as unknown as NodeJS.ReadableStream, (err: unknown, s: NodeJS.ReadableStream) =>
        err ? reject(err) : (s.on('data', () => undefined), s.on('end', () => resolve())),
      ),
    );
  });

  afterAll(async () => {
    await cache?.stop();
    for (const ws of [a, b]) ws?.remove();
    await removeImages(`${P}/`);
    await removeImages(`${registry}/${P}/`);
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'second-engine-up.sh'), '--stop'], { stdio: 'ignore' });
  });

  it('A builds the apps and their images and pushes them', () => {
    const r = a.nx(['run-many', '-t', 'docker-build', 'docker-push', '--outputStyle=static'], envA());
    expectSuccess(r);
  });

  it("B takes every app build and image build from the remote cache and gets A's exact images", async () => {
    const r = b.nx(['run-many', '-t', 'docker-build', 'docker-materialize', '--outputStyle=static'], envB());
    expectSuccess(r);
    for (const task of ['shared:build', 'api:build', 'web:build', 'api:docker-build', 'api-child:docker-build', 'web:docker-build']) {
      expect(r.output).toMatch(new RegExp(`nx run ${task}\\s+\\[remote cache\\]`));
    }
    for (const [root, repository] of [
      ['apps/api', 'api'],
      ['images/api-child', 'api-child'],
      ['apps/web', 'web'],
    ]) {
      expect((await engineB.getImage(`${P}/${repository}:latest`).inspect()).Id).toBe(recordedId(a, root));
    }
  });

  it("an app change made on B rebuilds its image there, on B's own app build, and the child on it", async () => {
    b.write({ 'apps/api/src/main.ts': "import { greeting } from '@acme/shared';\nconsole.log(greeting('api on b'));\n" });
    b.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qam', 'api on b');
    const r = b.nx(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static'], envB());
    expectSuccess(r);
    expect(r.output).toMatch(/nx run api:build(?!\s+\[)/);
    expect(r.output).toMatch(/✔ api: [0-9a-f]{12}/);
    expect(r.output).not.toMatch(/nx run web:docker-build/);
    const child = JSON.parse(b.read('dist/image-builds/images/api-child/docker-build.json')) as { parents: { imageId: string }[] };
    expect(child.parents[0].imageId).toBe(recordedId(b, 'apps/api'));
    expect(recordedId(b, 'apps/api')).not.toBe(recordedId(a, 'apps/api'));
  });
});

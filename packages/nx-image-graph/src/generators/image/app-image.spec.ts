import { addProjectConfiguration, readJson, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { captureLogs, workspaceWithPlugin } from '../test-support/workspace';
import imageGenerator from './generator';

describe('image generator for an app the workspace builds (--project)', () => {
  let tree: Tree;
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
    tree = workspaceWithPlugin(['images/**']);
    const nxJson = readNxJson(tree)!;
    nxJson.targetDefaults = { build: { cache: true, outputs: ['{workspaceRoot}/dist/{projectRoot}'] } };
    updateNxJson(tree, nxJson);
  });
  afterEach(() => jest.restoreAllMocks());

  it("packages a Node app's output with the pruned package.json and lock its build writes, in the app's folder", async () => {
    addProjectConfiguration(tree, 'api', {
      root: 'apps/api',
      targets: {
        build: {
          executor: '@nx/esbuild:esbuild',
          outputs: ['{options.outputPath}'],
          options: { outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts', generatePackageJson: true },
        },
      },
    });
    await imageGenerator(tree, { project: 'api' });
    expect(tree.read('apps/api/Dockerfile', 'utf-8')).toContain('FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\n\n');
    expect(tree.read('apps/api/Dockerfile', 'utf-8')).toContain(
      'COPY dist/apps/api/package*.json ./\nRUN npm ci --omit=dev\n\nCOPY dist/apps/api ./\nCMD ["node", "main.js"]\n',
    );
    expect(readJson(tree, 'apps/api/image.json')).toEqual({
      $schema: '../../node_modules/nx-image-graph/image.schema.json',
      repository: 'api',
      context: '../..',
    });
    // The plugin reads apps/ now too.
    expect((readNxJson(tree)!.plugins![0] as { include: string[] }).include).toEqual(['images/**', 'apps/api/**']);
    expect(logs.text()).toContain('Build it with: nx run api:docker-build');
  });

  it('runs what tsc writes where the sources are, from an output targetDefaults declares', async () => {
    addProjectConfiguration(tree, 'svc', {
      root: 'apps/svc',
      targets: { build: { executor: '@nx/js:tsc', options: { main: 'apps/svc/src/main.ts', tsConfig: 'apps/svc/tsconfig.app.json' } } },
    });
    await imageGenerator(tree, { project: 'svc', parent: 'busybox:1.36' });
    expect(tree.read('apps/svc/Dockerfile', 'utf-8')).toMatch(
      /FROM busybox:1\.36\n[\s\S]*COPY dist\/apps\/svc \.\/\nCMD \["node", "src\/main\.js"\]\n$/,
    );
  });

  it("serves a static site's output with busybox httpd", async () => {
    addProjectConfiguration(tree, 'web', {
      root: 'apps/web',
      targets: { build: { command: 'vite build', outputs: ['{projectRoot}/dist'] } },
    });
    tree.write('apps/web/index.html', '<h1>web</h1>\n');
    await imageGenerator(tree, { project: 'web' });
    expect(tree.read('apps/web/Dockerfile', 'utf-8')).toContain(
      'FROM busybox:1.36\nCOPY apps/web/dist /www\nEXPOSE 80\nCMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]\n',
    );
  });

  it('says what is missing: a build target, its outputs, or room for the image', async () => {
    addProjectConfiguration(tree, 'lib', { root: 'libs/lib', targets: { test: { command: 'jest' } } });
    await expect(imageGenerator(tree, { project: 'lib' })).rejects.toThrow(
      'lib has no target "build" that builds it; pass --buildTarget=<the target that writes its build output>.',
    );
    await expect(imageGenerator(tree, { project: 'lib', buildTarget: 'test' })).rejects.toThrow(
      'lib:test declares no outputs, so its image would not know what to copy; give the target "outputs".',
    );
    addProjectConfiguration(tree, 'old', { root: 'apps/old', targets: { build: { command: 'x', outputs: ['{projectRoot}/dist'] } } });
    tree.write('apps/old/Dockerfile', 'FROM busybox\n');
    await expect(imageGenerator(tree, { project: 'old' })).rejects.toThrow('apps/old/Dockerfile already exists; the app has an image.');
    expect(tree.exists('apps/old/image.json')).toBe(false);
  });
});

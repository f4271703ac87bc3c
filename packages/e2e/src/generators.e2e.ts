import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdOf, removeImages } from './support/engine';
import { pluginTarball } from './support/paths';
import { TestWorkspace } from './support/test-workspace';

const OWNER = `e2egen${process.pid}`;

/** `nx show project <name> --json`, parsed. */
function showProject(ws: TestWorkspace, name: string): { targets: Record<string, { inputs?: unknown[] }> } {
  const r = ws.nx(['show', 'project', name, '--json']);
  if (r.code !== 0) throw new Error(`nx show project ${name} failed:\n${r.output}`);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
}

/**
 * The generators as a user runs them: `nx add` with the packed plugin, then `nx g` in a fresh workspace,
 * and what they write is built against the real engine.
 */
describe('generators in a fresh workspace', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    // The plugin is installed (from the packed tarball) but not registered: that is init's job.
    ws = TestWorkspace.create('generators', { 'nx.json': '{}\n', '.gitignore': 'node_modules\n.nx\n' });
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it('nx add installs the plugin and runs its init generator: registered in nx.json, dist git-ignored; init again changes nothing', () => {
    // A bare `nx add nx-image-graph` would run `npm install -D nx-image-graph@latest` (not on npm);
    // nx add takes the version after the last "@", so a tarball spec installs without a registry.
    const r = ws.nx(['add', `nx-image-graph@file:${pluginTarball()}`]);
    expect(r.code).toBe(0);
    expect(r.output).toContain('Generating nx-image-graph:init');
    expect(JSON.parse(ws.read('nx.json')).plugins).toEqual([{ plugin: 'nx-image-graph', include: ['images/**'] }]);
    expect(ws.read('.gitignore').split('\n')).toContain('dist');

    const nxJson = ws.read('nx.json');
    const gitignore = ws.read('.gitignore');
    expect(ws.nx(['g', 'nx-image-graph:init']).code).toBe(0);
    expect(ws.read('nx.json')).toBe(nxJson);
    expect(ws.read('.gitignore')).toBe(gitignore);
  });

  it('nx g image scaffolds an image on an external base, and a second one on it: the edge is in the graph at once', () => {
    const web = ws.nx(['g', 'nx-image-graph:image', 'web', '--parent=busybox:1.36', `--repository=${OWNER}/web`]);
    expect(web.code).toBe(0);
    for (const f of ['Dockerfile', 'image.json', '.dockerignore']) expect(existsSync(join(ws.dir, 'images/web', f))).toBe(true);

    const api = ws.nx(['g', 'nx-image-graph:image', 'api', '--parent=web']);
    expect(api.code).toBe(0);
    expect(ws.read('images/api/Dockerfile')).toContain(`ARG BASE_IMAGE=${OWNER}/web:latest\nFROM \${BASE_IMAGE}\n`);
    // The repository sits beside the parent's.
    expect(JSON.parse(ws.read('images/api/image.json'))).toEqual({
      $schema: '../../node_modules/nx-image-graph/image.schema.json',
      repository: `${OWNER}/api`,
      tags: ['latest'],
    });
    expect(ws.projects()).toEqual(['api', 'web']);
    expect(ws.edges()).toEqual(['api -> web']);
  });

  it('the scaffolded images build against the real engine, the parent first', async () => {
    const r = ws.nx(['run', 'api:docker-build', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    expect(r.output.indexOf('✔ web:')).toBeGreaterThanOrEqual(0);
    expect(r.output.indexOf('✔ web:')).toBeLessThan(r.output.indexOf('✔ api:'));
    const meta = JSON.parse(ws.read('dist/image-builds/images/api/docker-build.json'));
    expect(meta.parents).toEqual([expect.objectContaining({ project: 'web', reference: `${OWNER}/web:latest` })]);
    expect(await imageIdOf(`${OWNER}/api:latest`)).toBe(meta.imageId);
  });

  it('an unknown parent is an error that lists the workspace images, and writes nothing', () => {
    const r = ws.nx(['g', 'nx-image-graph:image', 'bad', '--parent=wbe']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('--parent "wbe" is not a workspace image');
    expect(r.output).toContain(`web (${OWNER}/web:latest)`);
    expect(existsSync(join(ws.dir, 'images/bad'))).toBe(false);
  });

  it('nx g variant adds docker-build-<variant>, which builds; the existing build keeps its parent and tag', async () => {
    const r = ws.nx(['g', 'nx-image-graph:variant', 'api', '--name=slim', '--from-parent=busybox:1.36']);
    expect(r.code).toBe(0);
    expect(Object.keys(showProject(ws, 'api').targets)).toEqual(
      expect.arrayContaining(['docker-build-default', 'docker-build-slim', 'docker-build']),
    );
    expect(ws.edges()).toEqual(['api -> web']);

    const b = ws.nx(['run', 'api:docker-build-slim', '--outputStyle=stream']);
    expect(b.code).toBe(0);
    const meta = JSON.parse(ws.read('dist/image-builds/images/api/docker-build-slim.json'));
    expect(meta.parents).toEqual([]);
    expect(await imageIdOf(`${OWNER}/api:slim`)).toBe(meta.imageId);
  });

  it('nx g import turns a .image-manifest into image.json inputs', () => {
    ws.write({
      'images/legacy/Dockerfile': 'FROM busybox:1.36\nRUN true\n',
      'images/legacy/.image-manifest':
        '# Lines are paths relative to the repo root; their change triggers a rebuild.\nimages/legacy/Dockerfile\n\nshared/config.json\n',
      'shared/config.json': '{}\n',
    });
    const r = ws.nx(['g', 'nx-image-graph:import']);
    expect(r.code).toBe(0);
    expect(r.output).toContain('Imported 1 of 1 .image-manifest file(s)');
    expect(JSON.parse(ws.read('images/legacy/image.json')).inputs).toEqual(['{workspaceRoot}/shared/config.json']);
    expect(showProject(ws, 'legacy').targets['docker-build'].inputs).toContain('{workspaceRoot}/shared/config.json');
  });
});

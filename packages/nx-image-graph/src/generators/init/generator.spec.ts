import { readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureLogs, emptyWorkspace } from '../test-support/workspace';
import initGenerator from './generator';

const plugins = (tree: Tree) => readNxJson(tree)?.plugins ?? [];

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = emptyWorkspace();
    captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  it('registers the plugin for images/** and git-ignores dist', async () => {
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual([{ plugin: 'nx-image-graph', include: ['images/**'] }]);
    expect(tree.read('.gitignore', 'utf-8')).toBe('dist\n');
  });

  it("creates nx.json in a workspace that has none (a fresh `npm init -y`), which Nx's updateNxJson would silently skip", async () => {
    tree.delete('nx.json');
    await initGenerator(tree, {});
    expect(tree.exists('nx.json')).toBe(true);
    expect(plugins(tree)).toEqual([{ plugin: 'nx-image-graph', include: ['images/**'] }]);
  });

  it('is safe to run twice: one registration, one dist line', async () => {
    tree.write('.gitignore', 'node_modules');
    await initGenerator(tree, {});
    const nxJson = tree.read('nx.json', 'utf-8');
    await initGenerator(tree, {});
    expect(tree.read('nx.json', 'utf-8')).toBe(nxJson);
    expect(plugins(tree)).toHaveLength(1);
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\ndist\n');
  });

  it('leaves a plain string registration as it is', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: ['@nx/js', 'nx-image-graph'] });
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual(['@nx/js', 'nx-image-graph']);
    await initGenerator(tree, { include: ['docker/**'] });
    expect(plugins(tree)).toEqual(['@nx/js', 'nx-image-graph']);
  });

  it('keeps a registration with options and adds only new include globs', async () => {
    updateNxJson(tree, {
      ...readNxJson(tree),
      plugins: [{ plugin: 'nx-image-graph', include: ['images/**'], options: { ignoredOwners: ['rajiup'] } }],
    });
    await initGenerator(tree, { include: ['images/**', 'docker/**'] });
    expect(plugins(tree)).toEqual([
      { plugin: 'nx-image-graph', include: ['images/**', 'docker/**'], options: { ignoredOwners: ['rajiup'] } },
    ]);
  });

  it('takes an explicit include', async () => {
    await initGenerator(tree, { include: ['containers/**'] });
    expect(plugins(tree)).toEqual([{ plugin: 'nx-image-graph', include: ['containers/**'] }]);
  });

  it('picks up an existing image tree: one glob per top-level directory holding Dockerfiles', async () => {
    tree.write('docker/asr/Dockerfile', 'FROM rajiup/cp-whisperx-app-base:cuda\n');
    tree.write('docker/base/Dockerfile', 'FROM python:3.11-slim\n');
    tree.write('Stack/arr-trainer/Dockerfile', 'FROM arr-ml-stack:latest\n');
    tree.write('Dockerfile', 'FROM node:20\n');
    const logs = captureLogs();
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual([{ plugin: 'nx-image-graph', include: ['Stack/**', 'docker/**'] }]);
    expect(logs.text()).toContain('the Dockerfile at the workspace root is not included');
  });

  it('recognises dist already ignored in any spelling, and ignores a custom outputDir', async () => {
    tree.write('.gitignore', 'node_modules\n/dist/\n');
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n/dist/\n');

    const other = emptyWorkspace();
    updateNxJson(other, { ...readNxJson(other), plugins: [{ plugin: 'nx-image-graph', options: { outputDir: 'build/images' } }] });
    await initGenerator(other, {});
    expect(other.read('.gitignore', 'utf-8')).toBe('build/images\n');
  });

  it('is what `nx add` runs: the generator named init, whose factory the build emits', () => {
    const pkg = join(__dirname, '..', '..', '..');
    const generators = JSON.parse(readFileSync(join(pkg, 'generators.json'), 'utf8')).generators as Record<
      string,
      { factory: string; schema: string; description: string }
    >;
    expect(Object.keys(generators).sort()).toEqual(['image', 'import', 'init', 'variant']);
    for (const [name, g] of Object.entries(generators)) {
      expect(g.description).toBeTruthy();
      expect(existsSync(join(pkg, g.schema))).toBe(true);
      // ./dist/generators/x/generator is compiled from ./src/generators/x/generator.ts
      expect(existsSync(join(pkg, `${g.factory.replace('./dist/', './src/')}.ts`))).toBe(true);
      expect(g.factory).toBe(`./dist/generators/${name}/generator`);
    }
  });
});

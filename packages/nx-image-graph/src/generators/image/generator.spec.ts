import { settingsOf } from '../../inference/targets/target-settings';
import { readJson, readNxJson, Tree } from '@nx/devkit';
import { captureLogs, emptyWorkspace, exampleWorkspace, inferFromTree, workspaceWithPlugin, write } from '../test-support/workspace';
import imageGenerator from './generator';

describe('image generator', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => (logs = captureLogs()));
  afterEach(() => jest.restoreAllMocks());

  describe('on an external base', () => {
    let tree: Tree;
    beforeEach(async () => {
      tree = workspaceWithPlugin();
      await imageGenerator(tree, { name: 'web', parent: 'busybox:1.36' });
    });

    it('writes a Dockerfile ordered from least to most often changed, taking its parent from an ARG', () => {
      const dockerfile = tree.read('images/web/Dockerfile', 'utf-8')!;
      const at = (s: string) => {
        const i = dockerfile.indexOf(s);
        expect(i).toBeGreaterThanOrEqual(0);
        return i;
      };
      expect(dockerfile).toMatch(/^ARG BASE_IMAGE=busybox:1\.36\nFROM \$\{BASE_IMAGE\}$/m);
      const order = [
        at('FROM ${BASE_IMAGE}'),
        at('# RUN apt-get update'),
        at('COPY requirements.txt ./'),
        at('pip install --no-cache-dir -r requirements.txt'),
        at('COPY app/ ./app/'),
      ];
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      // Comments say why, next to each step.
      expect(dockerfile).toContain('least to most often changed');
      expect(dockerfile).toContain('so editing\n#    the code does not reinstall them');
      expect(dockerfile.trimEnd().split('\n').pop()).toBe('COPY app/ ./app/');
    });

    it('writes image.json with $schema, repository and tags, and a .dockerignore', () => {
      expect(readJson(tree, 'images/web/image.json')).toEqual({
        $schema: '../../node_modules/nx-image-graph/image.schema.json',
        repository: 'web',
        tags: ['latest'],
      });
      const ignored = tree.read('images/web/.dockerignore', 'utf-8')!.split('\n');
      for (const p of ['.env', '.git', '**/node_modules', '**/__pycache__', '**/*.pyc', 'notes']) expect(ignored).toContain(p);
      // What the Dockerfile copies exists, so the scaffold builds as it is.
      expect(tree.exists('images/web/requirements.txt')).toBe(true);
      expect(tree.exists('images/web/app/.gitkeep')).toBe(true);
    });

    it('is a project the plugin infers, with the external base and no edge', () => {
      const { projects, problems } = inferFromTree(tree);
      expect(problems).toEqual([]);
      const web = projects.find((p) => p.project.name === 'web')!;
      expect(settingsOf(web.project.targets?.['docker-build'])).toMatchObject({ repository: 'web', tags: ['latest'], parents: [] });
      expect(web.project.targets?.['docker-build']?.metadata?.description).toContain('on busybox:1.36');
      expect(logs.text()).toContain('Build it with: nx run web:docker-build');
    });

    it('stacks a second image on the first, by project name, with its edge at once', async () => {
      await imageGenerator(tree, { name: 'api', parent: 'web', repository: 'acme/api' });
      expect(tree.read('images/api/Dockerfile', 'utf-8')).toContain('ARG BASE_IMAGE=web:latest\n');
      expect(inferFromTree(tree).edges).toEqual(['api:docker-build -> web:docker-build']);
    });
  });

  describe('in the example graph', () => {
    let tree: Tree;
    beforeEach(() => (tree = exampleWorkspace()));

    it('builds on a workspace image named by project: the repository sits beside the parent', async () => {
      await imageGenerator(tree, { name: 'tokenize', parent: 'base-cpu' });
      expect(readJson(tree, 'images/tokenize/image.json')).toMatchObject({ repository: 'acme/tokenize', tags: ['latest'] });
      expect(tree.read('images/tokenize/Dockerfile', 'utf-8')).toContain('ARG BASE_IMAGE=acme/base:cpu\n');
      expect(inferFromTree(tree).edges).toContain('tokenize:docker-build -> base-cpu:docker-build');
    });

    it('builds on a workspace image named by the reference it publishes', async () => {
      await imageGenerator(tree, { name: 'align', parent: 'acme/ml-base:cpu', directory: 'images/stages/cpu/align' });
      expect(readJson(tree, 'images/stages/cpu/align/image.json').$schema).toBe(
        '../../../../node_modules/nx-image-graph/image.schema.json',
      );
      expect(inferFromTree(tree).edges).toContain('align:docker-build -> ml-base:docker-build-cpu');
    });

    it('gives the image the variants of a parent that has them, each on its namesake (CUDA stage + CPU fallback)', async () => {
      await imageGenerator(tree, { name: 'whisperx', parent: 'ml-base' });
      expect(readJson(tree, 'images/whisperx/image.json')).toEqual({
        $schema: '../../node_modules/nx-image-graph/image.schema.json',
        repository: 'acme/whisperx',
        tags: ['{variant}'],
        variants: { cuda: { args: { BASE_IMAGE: 'acme/ml-base:cuda' } }, cpu: { args: { BASE_IMAGE: 'acme/ml-base:cpu' } } },
      });
      const { edges } = inferFromTree(tree);
      expect(edges).toContain('whisperx:docker-build-cuda -> ml-base:docker-build-cuda');
      expect(edges).toContain('whisperx:docker-build-cpu -> ml-base:docker-build-cpu');
    });

    it('takes the variants asked for, and one variant of a parent as project:variant', async () => {
      await imageGenerator(tree, { name: 'vad', parent: 'ml-base', variant: ['cpu'] });
      expect(readJson(tree, 'images/vad/image.json').variants).toEqual({ cpu: { args: { BASE_IMAGE: 'acme/ml-base:cpu' } } });
      await imageGenerator(tree, { name: 'vad2', parent: 'ml-base:cuda' });
      expect(readJson(tree, 'images/vad2/image.json').variants).toBeUndefined();
      expect(inferFromTree(tree).edges).toContain('vad2:docker-build -> ml-base:docker-build-cuda');
    });

    it('names the project in the manifest when its directory name is taken, and renames no other project', async () => {
      await imageGenerator(tree, { name: 'demux-v2', parent: 'base-cpu', directory: 'images/next/demux' });
      expect(readJson(tree, 'images/next/demux/image.json').name).toBe('demux-v2');
      const names = inferFromTree(tree).projects.map((p) => p.project.name);
      expect(names).toContain('demux');
      expect(names).toContain('demux-v2');
    });

    it('refuses an unknown workspace-looking parent, saying what exists', async () => {
      await expect(imageGenerator(tree, { name: 'x', parent: 'ml-bse' })).rejects.toThrow(
        /"ml-bse" is not a workspace image\.\nworkspace images:\n[\s\S]*ml-base \(cuda: acme\/ml-base:cuda; cpu: acme\/ml-base:cpu\)[\s\S]*give its tag/,
      );
      await expect(imageGenerator(tree, { name: 'x', parent: 'acme/ml-base:rocm' })).rejects.toThrow(
        /no build has tag "rocm"[\s\S]*workspace images:/,
      );
      await expect(imageGenerator(tree, { name: 'x', parent: 'acme/nothing:cpu' })).rejects.toThrow(
        /looks like a workspace image \(acme\/ is the owner of/,
      );
      await expect(imageGenerator(tree, { name: 'x', parent: 'ml-base:rocm' })).rejects.toThrow(
        /ml-base has no variant "rocm" \(variants: cuda, cpu\)/,
      );
      await expect(imageGenerator(tree, { name: 'x', parent: 'ml-base', variant: ['rocm'] })).rejects.toThrow(
        '"ml-base" has variants (cuda, cpu); name one: --parent=ml-base:cuda or --parent=ml-base:cpu',
      );
      // Its tags need the git sha: no Dockerfile can name it before it is built.
      await expect(imageGenerator(tree, { name: 'x', parent: 'linnaeus-runtime' })).rejects.toThrow(
        'linnaeus-runtime (ampere) has no fixed tag another Dockerfile can name',
      );
      expect(tree.exists('images/x/Dockerfile')).toBe(false);
    });

    it('refuses a taken name, a directory that already is an image, and a taken tag', async () => {
      await expect(imageGenerator(tree, { name: 'demux', parent: 'base-cpu' })).rejects.toThrow(
        'A project named "demux" already exists (images/stages/cpu/demux)',
      );
      await expect(imageGenerator(tree, { name: 'fresh', parent: 'base-cpu', directory: 'images/ml-base' })).rejects.toThrow(
        'images/ml-base already holds an image',
      );
      await expect(imageGenerator(tree, { name: 'fresh', parent: 'base-cpu', repository: 'acme/demux', tags: ['cpu'] })).rejects.toThrow(
        'acme/demux:cpu is already built by demux',
      );
    });

    it('refuses a directory outside the plugin include, and leaves nothing behind', async () => {
      await expect(imageGenerator(tree, { name: 'fresh', parent: 'base-cpu', directory: 'apps/fresh' })).rejects.toThrow(
        /apps\/fresh is outside the plugin's include in nx\.json \(images\/\*\*\)/,
      );
      expect(tree.children('apps/fresh')).toEqual([]);
    });

    it('adds a Dockerfile to existing code without overwriting it', async () => {
      write(tree, { 'images/svc/requirements.txt': 'fastapi==0.115.0\n', 'images/svc/app/main.py': 'print(1)\n' });
      await imageGenerator(tree, { name: 'svc', parent: 'base-cpu' });
      expect(tree.read('images/svc/requirements.txt', 'utf-8')).toBe('fastapi==0.115.0\n');
      expect(tree.children('images/svc/app')).toEqual(['main.py']);
      expect(tree.exists('images/svc/Dockerfile')).toBe(true);
    });
  });

  it('registers the plugin first in a workspace without it', async () => {
    const tree = emptyWorkspace();
    await imageGenerator(tree, { name: 'web', parent: 'busybox:1.36' });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-image-graph', include: ['images/**'] }]);
    expect(tree.exists('images/web/Dockerfile')).toBe(true);
  });

  it('puts the image beside the others: <dir>/<name> for an include of <dir>/**, and says where and why', async () => {
    const logs = captureLogs();
    const tree = workspaceWithPlugin(['docker/**']);
    write(tree, {
      'docker/base/Dockerfile': 'FROM busybox:1.36\n',
      'docker/base/image.json': JSON.stringify({ repository: 'rajiup/cp-whisperx-app-base', tags: ['cpu'] }),
    });
    await imageGenerator(tree, { name: 'demux', parent: 'rajiup/cp-whisperx-app-base:cpu' });
    expect(readJson(tree, 'docker/demux/image.json').repository).toBe('rajiup/demux');
    expect(inferFromTree(tree, 'docker/').edges).toEqual(['demux:docker-build -> base:docker-build']);
    expect(logs.text()).toContain("demux: written to docker/demux/, the directory of the plugin's include docker/** in nx.json");
  });
});

import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import ImageVersionActions, { withVersion } from './image-version-actions';

function actionsFor(tree: Tree, root = 'images/app', manifest = 'image.json') {
  const node = { name: 'app', type: 'app', data: { root } } as never;
  const finalConfig = { versionActionsOptions: { manifest }, manifestRootsToUpdate: [], preserveLocalDependencyProtocols: true } as never;
  const actions = new ImageVersionActions({ name: '__default__' } as never, node, finalConfig);
  return { actions, init: () => actions.init(tree) };
}

describe('ImageVersionActions', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('reads the "version" of the manifest, and 0.0.0 for an image never released', async () => {
    tree.write('images/app/image.json', '{ "repository": "acme/app", "version": "1.4.2" }');
    const { actions, init } = actionsFor(tree);
    await init();
    expect(await actions.readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '1.4.2',
      manifestPath: 'images/app/image.json',
    });
    tree.write('images/app/image.json', '{ "repository": "acme/app" }');
    expect(await actions.readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '0.0.0',
      manifestPath: 'images/app/image.json',
    });
    tree.delete('images/app/image.json');
    expect(await actions.readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '0.0.0',
      manifestPath: 'images/app/image.json',
    });
  });

  it('writes the version into the manifest, keeping its other fields, order and formatting', async () => {
    const text = '{\n    "repository": "acme/app",\n    "tags": ["latest"]\n}\n';
    tree.write('images/app/app.image.json', text);
    const { actions, init } = actionsFor(tree, 'images/app', 'app.image.json');
    await init();
    expect(actions.manifestsToUpdate.map((m) => m.manifestPath)).toEqual(['images/app/app.image.json']);
    const log = await actions.updateProjectVersion(tree, '2.0.0-rc.1');
    expect(log).toEqual(['✍️  New version 2.0.0-rc.1 written to manifest: images/app/app.image.json']);
    const written = tree.read('images/app/app.image.json', 'utf-8')!;
    expect(JSON.parse(written)).toEqual({ repository: 'acme/app', tags: ['latest'], version: '2.0.0-rc.1' });
    expect(written).toBe('{\n    "version": "2.0.0-rc.1",\n    "repository": "acme/app",\n    "tags": ["latest"]\n}\n');
    await actions.updateProjectVersion(tree, '2.0.0');
    expect(tree.read('images/app/app.image.json', 'utf-8')).toBe(
      '{\n    "version": "2.0.0",\n    "repository": "acme/app",\n    "tags": ["latest"]\n}\n',
    );
  });

  it('a "version" that is no version: the manifest, the value and the fix, said before Nx replaces the error by its own "no image.json"', async () => {
    tree.write('images/app/image.json', '{ "version": "1.2" }');
    const { actions, init } = actionsFor(tree);
    await init();
    const said = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(actions.readCurrentVersionFromSourceManifest(tree)).rejects.toThrow(
        'images/app/image.json: "version" is "1.2", not a version MAJOR.MINOR.PATCH[-prerelease]; fix it, or remove it to start from 0.0.0',
      );
      expect(said).toHaveBeenCalledWith(
        '\n ✖ nx-image-graph: images/app/image.json: "version" is "1.2", not a version MAJOR.MINOR.PATCH[-prerelease]; fix it, or remove it to start from 0.0.0\n',
      );
    } finally {
      said.mockRestore();
    }
  });

  it('puts a new version first on one line manifests and empty ones too', () => {
    expect(withVersion('{ "repository": "acme/app" }', {}, '1.0.0')).toBe('{ "version": "1.0.0", "repository": "acme/app" }');
    expect(withVersion('{}', {}, '1.0.0')).toBe('{\n  "version": "1.0.0"\n}\n');
  });

  it('creates a manifest holding only the version for an image that had none', async () => {
    tree.write('images/app/Dockerfile', 'FROM busybox:1.36\n');
    const { actions, init } = actionsFor(tree);
    await init();
    await actions.validate(tree);
    expect(await actions.updateProjectVersion(tree, '0.1.0')).toEqual([
      '✍️  New version 0.1.0 written to new manifest images/app/image.json (its next build is an Nx cache miss; from a warm layer cache it gives the same image)',
    ]);
    expect(tree.read('images/app/image.json', 'utf-8')).toBe('{\n  "version": "0.1.0"\n}\n');
  });

  it('refuses a version that cannot be a tag, and a manifest version that is not one', async () => {
    tree.write('images/app/image.json', '{ "version": "1.0" }');
    const { actions, init } = actionsFor(tree);
    await init();
    await expect(actions.updateProjectVersion(tree, '1.0.0+build.5')).rejects.toThrow(
      'nx-image-graph: app: version "1.0.0+build.5" cannot be an image tag; use MAJOR.MINOR.PATCH[-prerelease] (no "+build" metadata)',
    );
    await expect(actions.readCurrentVersionFromSourceManifest(tree)).rejects.toThrow(
      'images/app/image.json: "version" is "1.0", not a version MAJOR.MINOR.PATCH[-prerelease]; fix it, or remove it to start from 0.0.0',
    );
    tree.write('images/app/image.json', '{ "version": ');
    await expect(actions.updateProjectVersion(tree, '1.0.0')).rejects.toThrow(
      /^images\/app\/image.json: .*JSON.*; fix the manifest before releasing$/,
    );
  });

  it("does not tie an image's version to its parents' (they are named by tag)", async () => {
    const { actions } = actionsFor(tree);
    expect(await actions.readCurrentVersionOfDependency()).toEqual({ currentVersion: null, dependencyCollection: null });
    await expect(actions.readCurrentVersionFromRegistry()).rejects.toThrow(
      '"currentVersionResolver": "registry" is not supported for images; use "disk"',
    );
  });
});

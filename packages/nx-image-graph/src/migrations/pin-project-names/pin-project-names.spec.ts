import { logger, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { scanWorkspaceImages } from '../../generators/shared/workspace-images';
import { readRegistrations } from '../../generators/shared/plugin-registrations';
import { emptyWorkspace, workspaceWithPlugin } from '../../generators/test-support/workspace';
import pinProjectNames from './pin-project-names';

const names = async (tree: Tree) => (await scanWorkspaceImages(tree, readRegistrations(tree)[0])).images.map((i) => i.project).sort();

describe('migration 0.3.0: pin-directory-project-names', () => {
  let info: jest.SpyInstance;
  beforeEach(() => {
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => info.mockRestore());

  it('pins "directory" where the new default would rename an image, so the upgrade renames nothing', async () => {
    const tree = workspaceWithPlugin();
    tree.write('images/stages/cpu/python/Dockerfile', 'FROM busybox:1.36\n');
    tree.write('images/stages/gpu/python/Dockerfile', 'FROM busybox:1.36\n');
    tree.write('images/tools/Dockerfile', 'FROM busybox:1.36\n');
    expect(await names(tree)).toEqual(['stages-cpu-python', 'stages-gpu-python', 'tools']);

    await pinProjectNames(tree);

    expect(readNxJson(tree)!.plugins).toEqual([
      { plugin: 'nx-image-graph', include: ['images/**'], options: { projectNames: 'directory' } },
    ]);
    expect(await names(tree)).toEqual(['cpu-python', 'gpu-python', 'tools']);
    expect(info.mock.calls.map((c) => c[0]).join('\n')).toBe(
      'nx-image-graph: set "projectNames": "directory" in nx.json so that 2 image projects keep their names (images/stages/cpu/python: cpu-python (would be stages-cpu-python); images/stages/gpu/python: gpu-python (would be stages-gpu-python)). ' +
        'Remove it for the new default, whose names no other directory changes, after updating the scripts that name these projects.',
    );
  });

  it('leaves nx.json alone where the new default gives the same names (images/<name>, names in image.json)', async () => {
    const tree = workspaceWithPlugin();
    tree.write('images/base/Dockerfile', 'FROM busybox:1.36\n');
    tree.write('images/stages/cpu/demux/Dockerfile', 'FROM busybox:1.36\n');
    tree.write('images/stages/cpu/demux/image.json', JSON.stringify({ name: 'demux' }));
    const nxJson = tree.read('nx.json', 'utf-8');
    await pinProjectNames(tree);
    expect(tree.read('nx.json', 'utf-8')).toBe(nxJson);
    expect(info).not.toHaveBeenCalled();
  });

  it('keeps an option the user set, and turns a plain string registration into an entry with options', async () => {
    const tree = emptyWorkspace();
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = ['nx-image-graph', { plugin: 'nx-image-graph', include: ['other/**'], options: { projectNames: 'path' } }];
    updateNxJson(tree, nxJson);
    tree.write('images/a/x/Dockerfile', 'FROM busybox:1.36\n');
    await pinProjectNames(tree);
    expect(readNxJson(tree)!.plugins).toEqual([
      { plugin: 'nx-image-graph', options: { projectNames: 'directory' } },
      { plugin: 'nx-image-graph', include: ['other/**'], options: { projectNames: 'path' } },
    ]);
  });
});

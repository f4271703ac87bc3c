import { settingsOf } from '../../inference/targets/target-settings';
import { ImageGraphMetadata } from '../../inference/targets/image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { exampleWorkspace, inferFromTree, workspaceWithPlugin, write } from '../test-support/workspace';
import { edgesOf } from './edges';
import { readRegistrations } from './plugin-registrations';
import { scanWorkspaceImages } from './workspace-images';

describe('scanWorkspaceImages', () => {
  it('sees the example graph exactly as the plugin infers it: names, repositories, builds, tags and edges', async () => {
    const tree = exampleWorkspace();
    const images = await scanWorkspaceImages(tree, readRegistrations(tree)[0]);
    const inferred = inferFromTree(tree).projects;
    expect(images.images.map((i) => i.project).sort()).toEqual(inferred.map((p) => p.project.name).sort());
    for (const p of inferred) {
      const image = images.byProject(p.project.name!)!;
      const meta = p.project.metadata![METADATA_KEY] as ImageGraphMetadata;
      expect(image.repository).toBe(meta.repository);
      expect(image.builds.map((b) => b.targetName)).toEqual(meta.builds.map((b) => b.targetName));
      for (const b of image.builds) expect(b.tagTemplates).toEqual(settingsOf<{ tags: string[] }>(p.project.targets![b.targetName]).tags);
      const edges = edgesOf(tree, images, image).map((e) => e.parents.map((x) => `${x.project}:${x.targetName}`).sort());
      expect(edges).toEqual(meta.builds.map((b) => b.parents.map((x) => `${x.project}:${x.targetName}`).sort()));
    }
  });

  it('applies the registration include and exclude', async () => {
    const tree = workspaceWithPlugin(['images/**']);
    write(tree, {
      'images/a/Dockerfile': 'FROM busybox:1.36\n',
      'images/b/Dockerfile': 'FROM busybox:1.36\n',
      'other/c/Dockerfile': 'FROM busybox:1.36\n',
    });
    expect((await scanWorkspaceImages(tree, readRegistrations(tree)[0])).images.map((i) => i.root)).toEqual(['images/a', 'images/b']);
    expect(
      (await scanWorkspaceImages(tree, { ...readRegistrations(tree)[0], exclude: ['images/b/**'] })).images.map((i) => i.root),
    ).toEqual(['images/a']);
  });

  it('keeps an image whose manifest is broken, with the reason', async () => {
    const tree = workspaceWithPlugin();
    write(tree, { 'images/a/Dockerfile': 'FROM busybox:1.36\n', 'images/a/image.json': '{"tagz": []}' });
    const [a] = (await scanWorkspaceImages(tree, readRegistrations(tree)[0])).images;
    expect(a.error).toContain('unknown field "tagz"');
  });
});

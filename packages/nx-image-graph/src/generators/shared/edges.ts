import { Tree } from '@nx/devkit';
import { imageDependencies, readDockerfile } from '../../inference/dockerfile';
import { ImageBuild, WorkspaceImage, WorkspaceImages } from './workspace-images';

export interface BuildEdges {
  build: ImageBuild;
  /** Workspace builds this build is built on (what `nx graph` will show). */
  parents: { project: string; targetName: string; reference: string }[];
  /** Other images it names: external bases, or references the plugin cannot place. */
  others: string[];
}

/** What each build of an image is built on, worked out from its Dockerfile in the Tree the way the plugin will. */
export function edgesOf(tree: Tree, images: WorkspaceImages, image: WorkspaceImage): BuildEdges[] {
  return image.builds.map((build) => {
    const text = tree.read(build.dockerfile, 'utf-8');
    if (text === null) return { build, parents: [], others: [] };
    const deps = imageDependencies(readDockerfile(text, build.dockerfile), build.args, { target: image.manifest.target });
    const parents: BuildEdges['parents'] = [];
    const others: string[] = [];
    for (const d of deps) {
      const r = d.unresolved.length && !d.reference ? undefined : images.resolve(d.reference);
      if (r?.kind === 'workspace') {
        // One edge per parent build and reference, as the plugin records them.
        if (!parents.some((p) => p.project === r.node.project && p.targetName === r.node.targetName && p.reference === d.reference)) {
          parents.push({ project: r.node.project, targetName: r.node.targetName, reference: d.reference });
        }
      } else if (!others.includes(d.reference || d.raw)) others.push(d.reference || d.raw);
    }
    return { build, parents, others };
  });
}

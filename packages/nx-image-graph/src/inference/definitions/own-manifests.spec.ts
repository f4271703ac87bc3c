import { rmSync } from 'node:fs';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { ImageGraphMetadata } from '../targets/image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { inferFromFilesUncached } from '../targets/infer-from-files';

function infer(files: Record<string, string>) {
  const dir = tempTree(files);
  try {
    const { projects, problems } = inferFromFilesUncached(Object.keys(files), normalizeOptions(undefined), dir);
    const byName = Object.fromEntries(
      projects.map((p) => {
        const meta = (p.project.metadata?.[METADATA_KEY] ?? { repository: undefined, builds: [] }) as ImageGraphMetadata;
        return [
          p.project.name!,
          {
            root: p.root,
            repository: meta.repository,
            targets: Object.keys(p.project.targets ?? {}).filter((t) => t.startsWith('docker-build')),
            parents: meta.builds.flatMap((b) => b.parents.map((x) => x.project)),
            externals: meta.builds.flatMap((b) => b.externals.map((x) => x.reference)),
          },
        ];
      }),
    );
    return { byName, problems: problems.map((p) => p.message) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('several images in one directory, each with its own manifest', () => {
  it("makes one image per Dockerfile (rocker's dockerfiles/<name>_<version>.Dockerfile), with its repository, tags and edges", () => {
    const g = infer({
      'dockerfiles/r-ver_4.3.3.Dockerfile': 'FROM busybox:1.36\n',
      'dockerfiles/r-ver_4.3.3.image.json': JSON.stringify({ repository: 'rocker/r-ver', tags: ['4.3.3'] }),
      'dockerfiles/rstudio_4.3.3.Dockerfile': 'FROM rocker/r-ver:4.3.3\n',
      'dockerfiles/rstudio_4.3.3.image.json': JSON.stringify({ repository: 'rocker/rstudio', tags: ['4.3.3'] }),
      'dockerfiles/tidyverse_4.3.3.Dockerfile': 'FROM rocker/rstudio:4.3.3\n',
      'dockerfiles/tidyverse_4.3.3.image.json': JSON.stringify({ repository: 'rocker/tidyverse', tags: ['4.3.3'] }),
    });
    expect(g.problems).toEqual([]);
    expect(g.byName).toEqual({
      'r-ver_4.3.3': {
        root: 'dockerfiles/r-ver_4.3.3.Dockerfile',
        repository: 'rocker/r-ver',
        targets: ['docker-build'],
        parents: [],
        externals: ['busybox:1.36'],
      },
      'rstudio_4.3.3': {
        root: 'dockerfiles/rstudio_4.3.3.Dockerfile',
        repository: 'rocker/rstudio',
        targets: ['docker-build'],
        parents: ['r-ver_4.3.3'],
        externals: [],
      },
      'tidyverse_4.3.3': {
        root: 'dockerfiles/tidyverse_4.3.3.Dockerfile',
        repository: 'rocker/tidyverse',
        targets: ['docker-build'],
        parents: ['rstudio_4.3.3'],
        externals: [],
      },
    });
  });

  it("keeps the directory's own image for its other Dockerfiles (seed 002's cuda-base runtime and devel beside a plain image)", () => {
    const g = infer({
      'cuda-base/Dockerfile.runtime': 'FROM busybox:1.36\nRUN echo runtime\n',
      'cuda-base/runtime.image.json': JSON.stringify({ repository: 'cuda-base', tags: ['runtime-12.8'] }),
      'cuda-base/Dockerfile.devel': 'FROM cuda-base:runtime-12.8\nRUN echo devel\n',
      'cuda-base/devel.image.json': JSON.stringify({ repository: 'cuda-base-devel', tags: ['12.8'] }),
      'cuda-base/Dockerfile': 'FROM busybox:1.36\n',
      'cuda-base/image.json': JSON.stringify({ name: 'tools', repository: 'cuda-tools' }),
      'app/Dockerfile': 'FROM cuda-base-devel:12.8 AS build\nFROM cuda-base:runtime-12.8\nCOPY --from=build /x /x\n',
    });
    expect(g.problems).toEqual([]);
    expect(g.byName.runtime).toMatchObject({ root: 'cuda-base/Dockerfile.runtime', repository: 'cuda-base' });
    expect(g.byName.devel).toMatchObject({ root: 'cuda-base/Dockerfile.devel', repository: 'cuda-base-devel', parents: ['runtime'] });
    expect(g.byName.tools).toMatchObject({ root: 'cuda-base', repository: 'cuda-tools', targets: ['docker-build'] });
    expect(g.byName.app.parents.sort()).toEqual(['devel', 'runtime']);
  });

  it('names a manifest whose Dockerfile is missing', () => {
    const g = infer({
      'dockerfiles/lonely.image.json': JSON.stringify({ repository: 'acme/lonely' }),
      'dockerfiles/other.Dockerfile': 'FROM busybox:1.36\n',
    });
    expect(g.problems).toEqual([
      'dockerfiles/lonely.image.json: no Dockerfile beside the manifest; add lonely.Dockerfile or set "dockerfile"',
    ]);
  });
});

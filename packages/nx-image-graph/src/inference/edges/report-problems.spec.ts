import { rmSync } from 'node:fs';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { inferFromFilesUncached } from '../targets/infer-from-files';
import { problemNotices } from './report-problems';

/** A tree adopted in part: one Dockerfile has a manifest (rocker/r-ver:4.3.3), the others none. */
const files: Record<string, string> = {
  'dockerfiles/r-ver_4.3.3/Dockerfile': 'FROM busybox:1.36\n',
  'dockerfiles/r-ver_4.3.3/image.json': JSON.stringify({ repository: 'rocker/r-ver', tags: ['4.3.3'] }),
  'dockerfiles/rstudio_4.3.3/Dockerfile': 'FROM rocker/r-ver:4.3.3\n',
  'dockerfiles/rstudio_4.2.0/Dockerfile': 'FROM rocker/r-ver:4.2.0\n',
  'dockerfiles/rstudio_4.1.0/Dockerfile': 'FROM rocker/r-ver:4.1.0\n',
  'dockerfiles/rstudio_4.1.0/image.json': JSON.stringify({ repository: 'rocker/rstudio', tags: ['4.1.0'] }),
  'dockerfiles/tidyverse_4.2.0/Dockerfile': 'FROM rstudio_4.2.0:latest\n',
};

function notices(f: Record<string, string>) {
  const dir = tempTree(f);
  try {
    const { problems, projects } = inferFromFilesUncached(Object.keys(f), normalizeOptions(undefined), dir);
    return {
      notices: problemNotices(problems),
      invalid: projects
        .filter((p) => p.project.targets?.['docker-build']?.executor === 'nx-image-graph:invalid')
        .map((p) => p.root)
        .sort(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('problemNotices', () => {
  it("says once what the images outside the manifests lack, and each adopted image's problem on its own", () => {
    const r = notices(files);
    expect(r.notices).toEqual([
      expect.stringMatching(
        /^dockerfiles\/rstudio_4\.1\.0\/Dockerfile:1: "rocker\/r-ver:4\.1\.0" names rocker\/r-ver, which the workspace builds/,
      ),
      '2 images without a manifest cannot be built: they are built on repositories the workspace builds, under tags no build of it makes (rocker/r-ver:4.2.0), or on such images: dockerfiles/rstudio_4.2.0, dockerfiles/tidyverse_4.2.0. ' +
        'This happens when manifests cover only part of a tree. To build them on the published images, give each an image.json listing those references in "external"; to leave them out, narrow the plugin\'s "include" (or add "exclude") in nx.json. Running one of them names its Dockerfile line.',
    ]);
    // Each still fails with its own message when it is run.
    expect(r.invalid).toEqual(['dockerfiles/rstudio_4.1.0', 'dockerfiles/rstudio_4.2.0', 'dockerfiles/tidyverse_4.2.0']);
  });

  it('prints a lone such problem as it is', () => {
    const one = { ...files };
    delete one['dockerfiles/tidyverse_4.2.0/Dockerfile'];
    expect(notices(one).notices[1]).toMatch(/^dockerfiles\/rstudio_4\.2\.0\/Dockerfile:1: "rocker\/r-ver:4\.2\.0" names rocker\/r-ver/);
  });
});

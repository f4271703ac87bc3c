import { removeImages } from './support/engine';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * Layouts of repositories that adopt the plugin as they are (issue 22): a flat directory of
 * Dockerfiles, each its own image (rocker's dockerfiles/<name>_<version>.Dockerfile); a tree with
 * manifests for only part of it; and Nx's own @nx/docker registered beside the plugin.
 */
describe('adopting a repository as it is', () => {
  const P = `e2eadopt${process.pid}`;
  const files: Record<string, string> = {
    'dockerfiles/r-ver_4.3.3.Dockerfile': 'FROM busybox:1.36\nRUN echo r-ver > /r-ver\n',
    'dockerfiles/r-ver_4.3.3.image.json': JSON.stringify({ repository: `${P}/r-ver`, tags: ['4.3.3'] }),
    'dockerfiles/rstudio_4.3.3.Dockerfile': `FROM ${P}/r-ver:4.3.3\nRUN cat /r-ver > /rstudio\n`,
    'dockerfiles/rstudio_4.3.3.image.json': JSON.stringify({ repository: `${P}/rstudio`, tags: ['4.3.3'] }),
    'dockerfiles/tidyverse_4.3.3.Dockerfile': `FROM ${P}/rstudio:4.3.3\nRUN cat /rstudio > /tidyverse\n`,
    'dockerfiles/tidyverse_4.3.3.image.json': JSON.stringify({ repository: `${P}/tidyverse`, tags: ['4.3.3'] }),
    // Not adopted yet: no manifests, on tags of a workspace repository that no build makes.
    'older/rstudio_4.2.0/Dockerfile': `FROM ${P}/r-ver:4.2.0\nRUN true\n`,
    'older/rstudio_4.1.0/Dockerfile': `FROM ${P}/r-ver:4.1.0\nRUN true\n`,
    'older/verse_4.2.0/Dockerfile': 'FROM rstudio_4.2.0:latest\nRUN true\n',
  };
  let ws: TestWorkspace;
  const nxJson = (plugins: unknown[]) => ({ 'nx.json': JSON.stringify({ plugins }, null, 2) });

  beforeAll(() => {
    ws = TestWorkspace.create('adoption', files, { devDependencies: { '@nx/docker': '23.2.1' } });
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${P}/`);
  });

  it('makes one image per Dockerfile of a flat directory, each with its repository, and the edges between them', () => {
    expect(ws.projects()).toEqual(expect.arrayContaining(['r-ver_4.3.3', 'rstudio_4.3.3', 'tidyverse_4.3.3']));
    expect(ws.edges()).toEqual(expect.arrayContaining(['rstudio_4.3.3 -> r-ver_4.3.3', 'tidyverse_4.3.3 -> rstudio_4.3.3']));
  });

  it('says once what the images outside the manifests lack, instead of once per image', () => {
    const r = ws.nx(['show', 'projects']);
    expectSuccess(r);
    expect(r.output.match(/images without a manifest cannot be built/g)).toHaveLength(1);
    expect(r.output).toContain(
      `3 images without a manifest cannot be built: they are built on repositories the workspace builds, under tags no build of it makes (${P}/r-ver:4.1.0, ${P}/r-ver:4.2.0), or on such images: older/rstudio_4.1.0, older/rstudio_4.2.0, older/verse_4.2.0.`,
    );
    expect(r.output).not.toMatch(/older\/rstudio_4\.2\.0\/Dockerfile:1:/);
  });

  it('builds an adopted image on its parents in the same directory', () => {
    const r = ws.nx(['run', 'tidyverse_4.3.3:docker-build', '--outputStyle=static']);
    expectSuccess(r);
    expect(r.output).toMatch(/nx run r-ver_4\.3\.3:docker-build/);
    expect(r.output).toMatch(/nx run rstudio_4\.3\.3:docker-build/);
    expect(r.output).toContain(`${P}/tidyverse:4.3.3`);
  });

  it('still fails an image outside the manifests clearly when it is run', () => {
    const r = ws.nx(['run', 'rstudio_4.2.0:docker-build', '--outputStyle=static']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(
      `older/rstudio_4.2.0/Dockerfile:1: "${P}/r-ver:4.2.0" names ${P}/r-ver, which the workspace builds (r-ver_4.3.3), but no build of it has tag "4.2.0"`,
    );
  });

  it('names @nx/docker registered beside it, and the exclude that settles it', () => {
    ws.write(nxJson(['nx-image-graph', { plugin: '@nx/docker', options: { buildTarget: 'docker:build', runTarget: 'docker:run' } }]));
    const r = ws.nx(['show', 'projects']);
    // @nx/docker reads files named Dockerfile: the three directories of older/, not dockerfiles/*.Dockerfile.
    expect(r.output).toContain(
      'nx.json registers both nx-image-graph and @nx/docker, and both infer targets for 3 image directories (older/rstudio_4.1.0, older/rstudio_4.2.0, older/verse_4.2.0)',
    );
    expect(r.output).toContain('give @nx/docker\'s registration "exclude": ["older/**"]');
    ws.write(
      nxJson([
        'nx-image-graph',
        { plugin: '@nx/docker', exclude: ['older/**'], options: { buildTarget: 'docker:build', runTarget: 'docker:run' } },
      ]),
    );
    const settled = ws.nx(['show', 'project', 'rstudio_4.2.0', '--json']);
    expectSuccess(settled);
    expect(settled.output).not.toContain('registers both');
    const targets = Object.keys(JSON.parse(settled.stdout.slice(settled.stdout.indexOf('{'))).targets);
    expect(targets).toContain('docker-build');
    expect(targets).not.toContain('docker:build');
  });
});

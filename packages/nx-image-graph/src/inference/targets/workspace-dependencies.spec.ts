import type { ProjectConfiguration } from '@nx/devkit';
import { workspaceDependencies } from './workspace-dependencies';

const image = (name: string, root: string, build: object): ProjectConfiguration => ({
  name,
  root,
  targets: { 'docker-build': { executor: 'nx-image-graph:build', metadata: { 'nx-image-graph-settings': {} } } },
  metadata: {
    'nx-image-graph': {
      project: name,
      repository: name,
      builds: [{ targetName: 'docker-build', dockerfile: `${root}/Dockerfile`, parents: [], externals: [], ...build }],
    },
  },
});

describe('workspaceDependencies', () => {
  const projects: Record<string, ProjectConfiguration> = {
    shared: { root: 'libs/shared', targets: { build: { executor: '@nx/js:tsc', outputs: ['{projectRoot}/dist'] } } },
    web: {
      root: 'apps/web',
      targets: { build: { executor: '@nx/vite:build', outputs: ['{projectRoot}/dist'] }, serve: { executor: '@nx/vite:dev-server' } },
    },
  };

  it('draws an edge to every project whose files a build copies', () => {
    const r = workspaceDependencies({
      ...projects,
      site: image('site', 'images/site', { copies: ['libs/shared/src', 'apps/web/index.html'], producers: [] }),
    });
    expect(r.edges).toEqual([
      { source: 'site', target: 'shared' },
      { source: 'site', target: 'web' },
    ]);
  });

  it('names a task another plugin infers that writes what a build copies, with the manifest line to add', () => {
    const r = workspaceDependencies({ ...projects, site: image('site', 'images/site', { copies: ['apps/web/dist'] }) });
    expect(r.warnings).toEqual([
      'images/site/Dockerfile: the image copies apps/web/dist, which web:build writes, but does not build after it (a plugin infers that target, so the image cannot know it): add "dependsOn": ["web:build"] to the image\'s manifest',
    ]);
  });

  it('is quiet when the build depends on it, and names a "dependsOn" task that does not exist', () => {
    expect(
      workspaceDependencies({ ...projects, site: image('site', 'images/site', { copies: ['apps/web/dist'], producers: ['web:build'] }) })
        .warnings,
    ).toEqual([]);
    expect(
      workspaceDependencies({ ...projects, site: image('site', 'images/site', { copies: [], producers: ['web:biuld', 'wbe:build'] }) })
        .warnings,
    ).toEqual([
      'images/site/Dockerfile: "dependsOn" names web:biuld, but web has no target "biuld" (its targets: build, serve); fix it in the image\'s manifest',
      'images/site/Dockerfile: "dependsOn" names wbe:build, but there is no project "wbe"; fix the name in the image\'s manifest',
    ]);
  });

  it("says when another plugin gave the image's directory another name", () => {
    const p = image('demux', 'images/demux', { copies: [] });
    expect(workspaceDependencies({ 'images-demux': p }).warnings[0]).toMatch(
      /^images\/demux: the image's targets were given to the project "demux", but another plugin names the project at images\/demux "images-demux"/,
    );
  });
});

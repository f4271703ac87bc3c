import { projectsFromConfigFiles, workspacePackagePatterns } from './project-config-files';

describe('projectsFromConfigFiles', () => {
  it('makes a project of each project.json, named by it, with its targets', () => {
    const projects = projectsFromConfigFiles(
      [{ path: 'apps/api/project.json', json: { name: 'api', targets: { build: { command: 'x', outputs: ['{projectRoot}/dist'] } } } }],
      () => false,
    );
    expect(projects).toEqual([
      {
        name: 'api',
        root: 'apps/api',
        tags: undefined,
        targets: { build: { command: 'x', outputs: ['{projectRoot}/dist'], plugin: 'nx/core/project-json' } },
      },
    ]);
  });

  it('merges a package.json beside it: scripts, then nx.targets, then project.json, later winning', () => {
    const [p] = projectsFromConfigFiles(
      [
        {
          path: 'libs/a/package.json',
          json: {
            name: '@acme/a',
            scripts: { build: 'tsc', lint: 'eslint' },
            nx: { targets: { build: { outputs: ['{projectRoot}/lib'] } } },
          },
        },
        { path: 'libs/a/project.json', json: { targets: { lint: { command: 'eslint .' } } } },
      ],
      () => false,
    );
    expect(p.name).toBe('@acme/a');
    expect(p.targets.build).toMatchObject({ executor: 'nx:run-script', outputs: ['{projectRoot}/lib'] });
    expect(p.targets.lint).toEqual({ command: 'eslint .', plugin: 'nx/core/project-json' });
  });

  it('counts a lone package.json only when it is a workspace package, and its scripts only as nx.includedScripts allows', () => {
    const files = [
      { path: 'packages/x/package.json', json: { name: 'x', scripts: { build: 'tsc', dev: 'vite' }, nx: { includedScripts: ['build'] } } },
      { path: 'fixtures/y/package.json', json: { name: 'y', scripts: { build: 'tsc' } } },
    ];
    const projects = projectsFromConfigFiles(files, (p) => p.startsWith('packages/'));
    expect(projects.map((p) => [p.name, Object.keys(p.targets)])).toEqual([['x', ['build']]]);
  });
});

describe('workspacePackagePatterns', () => {
  it('reads package.json workspaces (both forms) and pnpm-workspace.yaml packages', () => {
    expect(workspacePackagePatterns({ workspaces: ['apps/*'] }, undefined)).toEqual(['apps/*']);
    expect(
      workspacePackagePatterns(
        { workspaces: { packages: ['libs/**'] } },
        "packages:\n  - 'packages/*'\n  - \"tools/*\" # tools\n  - '!**/test/**'\nother: 1\n",
      ),
    ).toEqual(['libs/**', 'packages/*', 'tools/*', '!**/test/**']);
  });
});

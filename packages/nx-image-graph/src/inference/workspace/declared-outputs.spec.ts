import { declaredOutputs, resolveOutputs, WorkspaceProject } from './declared-outputs';

const api: WorkspaceProject = {
  name: 'api',
  root: 'apps/api',
  targets: {
    build: { command: 'esbuild ...', outputs: ['{workspaceRoot}/dist/{projectRoot}'] },
    bundle: { executor: '@nx/esbuild:esbuild', options: { outputPath: 'dist/apps/api-bundle' }, outputs: ['{options.outputPath}'] },
    test: { command: 'jest' },
  },
};

describe('declaredOutputs', () => {
  it("resolves the tokens of each target's outputs; a target that writes nothing is left out", () => {
    expect(declaredOutputs([api])).toEqual([
      { project: 'api', root: 'apps/api', target: 'build', outputs: ['dist/apps/api'] },
      { project: 'api', root: 'apps/api', target: 'bundle', outputs: ['dist/apps/api-bundle'] },
    ]);
  });

  it('takes outputs and options from targetDefaults where the target declares none (by name or by executor)', () => {
    const web: WorkspaceProject = {
      name: 'web',
      root: 'apps/web',
      targets: { build: { executor: '@nx/vite:build' }, lint: { command: 'eslint .' } },
    };
    const defaults = (target: string, executor: string | undefined) =>
      executor === '@nx/vite:build'
        ? { outputs: ['{options.outDir}'], options: { outDir: 'apps/web/out' } }
        : target === 'lint'
          ? { outputs: ['{projectRoot}/lint.txt'] }
          : null;
    expect(declaredOutputs([web], defaults)).toEqual([
      { project: 'web', root: 'apps/web', target: 'build', outputs: ['apps/web/out'] },
      { project: 'web', root: 'apps/web', target: 'lint', outputs: ['apps/web/lint.txt'] },
    ]);
  });
});

describe('resolveOutputs', () => {
  const p = { name: 'api', root: 'apps/api' };

  it('falls back as Nx does: options.outputPath, else the dist folders of a build or prepare target', () => {
    expect(resolveOutputs(undefined, 'compile', p, { outputPath: 'out/api' })).toEqual(['out/api']);
    expect(resolveOutputs(undefined, 'build', p, {})).toEqual(['dist/apps/api', 'apps/api/dist', 'apps/api/build', 'apps/api/public']);
    expect(resolveOutputs(undefined, 'test', p, {})).toEqual([]);
  });

  it('leaves out negations, unresolvable tokens and paths outside the workspace; keeps globs', () => {
    expect(
      resolveOutputs(
        [
          '!{projectRoot}/dist/cache',
          '{options.missing}',
          '../elsewhere',
          '{projectRoot}/dist/**/*.js',
          '{workspaceRoot}/coverage/{projectName}',
        ],
        'build',
        p,
        {},
      ),
    ).toEqual(['apps/api/dist/**/*.js', 'coverage/api']);
  });

  it("reads a root project's outputs without a leading ./", () => {
    expect(resolveOutputs(['{projectRoot}/dist'], 'build', { name: 'root', root: '.' }, {})).toEqual(['dist']);
  });
});

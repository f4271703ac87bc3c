import type { Presence } from '../workspace/source-presence';
import { sourceProblems } from './source-problems';

const build = (copies: { path: string; line: number; instruction: 'COPY' | 'ADD' | 'RUN --mount' }[], dockerignore: string[] = []) => ({
  dockerfile: 'apps/api/Dockerfile',
  context: '.',
  copies,
  dockerignore,
});
const view = (presence: Record<string, Presence>, produced: string[] = []) => ({
  produced: (p: string) => produced.includes(p),
  presence: (p: string) => presence[p] ?? 'missing',
});

describe('sourceProblems', () => {
  it('accepts tracked sources and the outputs of tasks that run first, present or not', () => {
    const found = sourceProblems(
      build([
        { path: 'apps/api/src', line: 2, instruction: 'COPY' },
        { path: 'dist/apps/api', line: 3, instruction: 'COPY' },
      ]),
      'apps/api/image.json',
      view({ 'apps/api/src': 'tracked' }, ['dist/apps/api']),
    );
    expect(found).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a source that is nowhere and that no task writes, naming the line and both fixes', () => {
    expect(
      sourceProblems(build([{ path: 'dist/apps/api', line: 2, instruction: 'COPY' }]), 'apps/api/image.json', view({})).errors,
    ).toEqual([
      'apps/api/Dockerfile:2: COPY source "dist/apps/api" is not in the build context ., and no task of the workspace declares it as an output; create it, fix the path, set the manifest\'s "context", or name the task that builds it in "dependsOn" in apps/api/image.json (e.g. "api:build")',
    ]);
  });

  it('warns that a git-ignored source is not hashed', () => {
    expect(
      sourceProblems(build([{ path: './out/', line: 4, instruction: 'ADD' }]), 'apps/api/image.json', view({ out: 'untracked' })).warnings,
    ).toEqual([
      'apps/api/Dockerfile:4: ADD source "./out/" is ignored by git, so Nx cannot hash it and the image would stay a cache hit after it changes; if a task builds it, name that task in "dependsOn" in apps/api/image.json (e.g. "api:build"), otherwise list a tracked file that changes with it in "inputs"',
    ]);
  });

  it("refuses a source .dockerignore excludes, even a task's output", () => {
    expect(sourceProblems(build([{ path: 'dist', line: 2, instruction: 'COPY' }], ['dist']), 'm', view({}, ['dist'])).errors[0]).toMatch(
      /COPY source "dist" is excluded by \.dockerignore in \./,
    );
  });

  it('leaves globs, the whole context, bind mounts and paths outside the context to the build', () => {
    const copies = [
      { path: '*.txt', line: 2, instruction: 'COPY' as const },
      { path: '.', line: 3, instruction: 'COPY' as const },
      { path: 'x', line: 4, instruction: 'RUN --mount' as const },
      { path: '../up', line: 5, instruction: 'COPY' as const },
    ];
    expect(sourceProblems(build(copies), 'm', view({}))).toEqual({ errors: [], warnings: [] });
  });
});

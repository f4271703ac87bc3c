import type { TargetConfiguration } from '@nx/devkit';
import { rmSync } from 'node:fs';
import { printedMessages } from '../../../src/executors/invalid/executor';
import { tempTree } from '../../../src/core/fs/test-support/temp-tree';
import { inferFromFilesUncached } from '../../../src/inference/targets/infer-from-files';
import { normalizeOptions } from '../../../src/inference/options/plugin-options';
import { BUILD_COMMAND, isBuildTarget } from '../../../src/inference/targets/build-command';

/** A good image and a good image built on it: every bad input is tried beside them. */
export const GOOD_IMAGES: Record<string, string> = {
  'images/good/Dockerfile': 'FROM busybox:1.36\nCOPY app.txt /app/\n',
  'images/good/app.txt': 'hello\n',
  'images/good-child/Dockerfile': 'FROM good:latest\nRUN true\n',
};

export interface BadInputResult {
  /** Every problem message, in the order the plugin would print them. */
  problems: string[];
  /** Project name -> executor of its build target. */
  builds: Map<string, string | undefined>;
  /** Parent projects of each project's builds. */
  parents: Map<string, string[]>;
  /** Project name -> its root and its build target, for the ones that cannot be built. */
  invalid: Map<string, { root: string; target: TargetConfiguration }>;
  /** Project name -> the version actions `nx release` would load for it. */
  versionActions: Map<string, string | undefined>;
}

/**
 * Runs the real inference (the plugin's createNodes without Nx's file hashing) over a temp
 * workspace of the good images plus `files`. `prepare` may change the tree first (symlinks,
 * directories where files should be).
 */
export function inferWorkspace(files: Record<string, string>, options?: unknown, prepare?: (dir: string) => string[]): BadInputResult {
  const dir = tempTree({ ...GOOD_IMAGES, ...files });
  try {
    const extra = prepare?.(dir) ?? [];
    const all = [...Object.keys(GOOD_IMAGES), ...Object.keys(files), ...extra];
    const { projects, problems } = inferFromFilesUncached(all, normalizeOptions(options), dir);
    const builds = new Map<string, string | undefined>();
    const parents = new Map<string, string[]>();
    const invalid = new Map<string, { root: string; target: TargetConfiguration }>();
    const versionActions = new Map<string, string | undefined>();
    for (const p of projects) {
      versionActions.set(p.project.name ?? p.root, p.project.release?.version?.versionActions as string | undefined);
      const name = p.project.name ?? p.root;
      const build = p.project.targets?.['docker-build'];
      builds.set(name, isBuildTarget(build) ? BUILD_COMMAND : build?.executor);
      if (build?.executor === 'nx-image-graph:invalid') invalid.set(name, { root: p.root, target: build });
      const meta = p.project.metadata?.['nx-image-graph'] as { builds?: { parents: { project: string }[] }[] } | undefined;
      parents.set(
        name,
        (meta?.builds ?? []).flatMap((b) => b.parents.map((x) => x.project)),
      );
    }
    return { problems: problems.map((p) => p.message), builds, parents, invalid, versionActions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The good images loaded as buildable projects, with their edge: nothing bad hid or broke them. */
export function expectGoodImagesLoad(r: BadInputResult): void {
  expect(r.builds.get('good')).toBe(BUILD_COMMAND);
  expect(r.builds.get('good-child')).toBe(BUILD_COMMAND);
  expect(r.parents.get('good-child')).toEqual(['good']);
}

// Nx's own normalization of target options (what the graph does to every target).
const { resolveNxTokensInOptions } = require('nx/src/devkit-internals') as {
  resolveNxTokensInOptions: (o: object, p: { root: string; name: string }, key: string) => Record<string, unknown>;
};

/**
 * Every message in the configuration comes through Nx as written: Nx reads target options as
 * templates ({workspaceRoot}, {projectRoot}, {projectName}), and the failing build prints exactly
 * the problem the graph reported.
 */
export function expectMessagesSurviveNx(r: BadInputResult): void {
  for (const [name, { root, target }] of r.invalid) {
    const options = resolveNxTokensInOptions(target.options ?? {}, { root, name }, `${root}:docker-build`) as { messages: string[] };
    const printed = printedMessages(options);
    expect(printed.length).toBeGreaterThan(0);
    for (const m of printed) expect(r.problems).toContain(m);
  }
}

/** The bad image is still a project (not hidden), whose build fails with its problem. */
export function expectBadImageListed(r: BadInputResult, name: string): void {
  expect(r.builds.get(name)).toBe('nx-image-graph:invalid');
  // `nx release` still finds the image's own version actions (else it asks for @nx/js), which then say what is wrong.
  expect(r.versionActions.get(name)).toBe('nx-image-graph/release/version-actions');
}

export interface BadInputCase {
  name: string;
  files: Record<string, string>;
  /** Exact problem messages expected (all of them). */
  messages: string[];
  /** Project that must be listed with a failing build (default "bad"). */
  project?: string;
  prepare?: (dir: string) => string[];
}

/** One `it` per case: the exact messages, the bad image listed, the good images loaded. */
export function describeCases(title: string, cases: BadInputCase[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const r = inferWorkspace(c.files, undefined, c.prepare);
      expect(r.problems).toEqual(c.messages);
      for (const m of r.problems) expect(m).not.toMatch(/^\s+at /m);
      expectMessagesSurviveNx(r);
      expectBadImageListed(r, c.project ?? 'bad');
      expectGoodImagesLoad(r);
    });
  });
}

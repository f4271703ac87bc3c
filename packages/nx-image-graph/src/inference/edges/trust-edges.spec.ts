import { rmSync } from 'node:fs';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { ImageGraphMetadata } from '../targets/image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { inferFromFilesUncached } from '../targets/infer-from-files';
import { settingsOf } from '../targets/target-settings';
import { printedMessages } from '../../executors/invalid/executor';

/** The graph over a throwaway workspace: each project's build executor and edges, and the problems and warnings printed. */
function infer(files: Record<string, string>) {
  const dir = tempTree(files);
  try {
    const { projects, problems, warnings } = inferFromFilesUncached(Object.keys(files), normalizeOptions(undefined), dir);
    const byName = Object.fromEntries(
      projects.map((p) => {
        const build = p.project.targets!['docker-build'];
        const meta = p.project.metadata?.[METADATA_KEY] as ImageGraphMetadata | undefined;
        return [
          p.project.name!,
          {
            executor: build.executor,
            messages: printedMessages({ messages: settingsOf<{ messages?: string[] }>(build).messages ?? [] }),
            parents: (meta?.builds ?? []).flatMap((b) => b.parents.map((x) => x.project)),
            externals: (meta?.builds ?? []).flatMap((b) => b.externals.map((x) => x.reference)),
          },
        ];
      }),
    );
    return { byName, problems: problems.map((p) => p.message), warnings: warnings.map((w) => w.message) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const parent = { 'images/sp-par/Dockerfile': 'FROM busybox:1.36\nRUN echo v2 > /ver\n' };
const child = { 'images/sp-child/Dockerfile': 'FROM f3/sp-par:latest\nRUN cat /ver\n' };

describe('a child of an image that cannot be built', () => {
  it("is blocked by its parent's problem when the parent's manifest does not parse (the edge stays)", () => {
    const g = infer({ ...parent, ...child, 'images/sp-par/image.json': '{ "repository": "f3/sp-par", "tags": ["latest"], }' });
    expect(g.byName['sp-par'].executor).toBe('nx-image-graph:invalid');
    expect(g.byName['sp-child'].executor).toBe('nx-image-graph:invalid');
    expect(g.byName['sp-child'].messages[0]).toMatch(
      /^images\/sp-child\/Dockerfile:1: sp-child cannot be built because sp-par \("f3\/sp-par:latest"\) cannot be built: images\/sp-par\/image\.json/,
    );
    expect(g.byName['sp-child'].parents).toEqual(['sp-par']);
    expect(g.byName['sp-child'].externals).toEqual([]);
  });

  it("is blocked when the parent's Dockerfile is broken, and so is everything built on it", () => {
    const g = infer({
      'images/sp-par/Dockerfile': 'FROM busybox:1.36\nCOPY missing.txt /\n',
      'images/sp-par/image.json': '{ "repository": "f3/sp-par" }',
      ...child,
      'images/grandchild/Dockerfile': 'FROM sp-child\n',
      'images/other/Dockerfile': 'FROM busybox:1.36\n',
    });
    expect(g.byName['sp-child'].messages[0]).toContain(
      'sp-child cannot be built because sp-par ("f3/sp-par:latest") cannot be built: images/sp-par/Dockerfile:2',
    );
    expect(g.byName['grandchild'].messages[0]).toContain('grandchild cannot be built because sp-child ("sp-child") cannot be built');
    expect(g.byName['other'].executor).toBe('nx:run-commands');
  });

  it('is blocked when the parent is on a cycle', () => {
    const g = infer({ 'images/a/Dockerfile': 'FROM b\n', 'images/b/Dockerfile': 'FROM a\n', 'images/c/Dockerfile': 'FROM a\n' });
    expect(g.byName['c'].messages[0]).toContain('c cannot be built because a ("a") cannot be built: image cycle');
  });
});

describe('references to a repository the workspace builds', () => {
  const base = {
    'images/base/Dockerfile': 'FROM busybox:1.36\n',
    'images/base/image.json': '{ "repository": "acme/base", "tags": ["1.0", "cpu"] }',
  };

  it('are an error with "did you mean" when no build has the tag', () => {
    const g = infer({ ...base, 'images/app/Dockerfile': 'FROM acme/base:1.1\n' });
    expect(g.byName['app'].messages[0]).toBe(
      'images/app/Dockerfile:1: "acme/base:1.1" names acme/base, which the workspace builds (base), but no build of it has tag "1.1"; did you mean "1.0" or "cpu"? If you mean the published image, list "acme/base:1.1" in "external" in an image.json beside the Dockerfile',
    );
  });

  it('are external when the manifest declares them so', () => {
    const g = infer({
      ...base,
      'images/app/Dockerfile': 'FROM acme/base:2020-01-01\n',
      'images/app/image.json': '{ "external": ["acme/base:2020-01-01"] }',
    });
    expect(g.byName['app'].executor).toBe('nx:run-commands');
    expect(g.byName['app'].externals).toEqual(['acme/base:2020-01-01']);
    expect(g.byName['app'].parents).toEqual([]);
  });

  it('match a placeholder tag only through what it can give', () => {
    const files = {
      'images/nightly/Dockerfile': 'FROM busybox:1.36\n',
      'images/nightly/image.json': '{ "repository": "acme/nightly", "tags": ["sha-{git.sha}", "{date:YYYYMMDD}"] }',
      'images/by-sha/Dockerfile': `FROM acme/nightly:sha-${'ab'.repeat(20)}\n`,
      'images/by-date/Dockerfile': 'FROM acme/nightly:20261201\n',
      'images/by-latest/Dockerfile': 'FROM acme/nightly:latest\n',
    };
    const g = infer(files);
    expect(g.byName['by-sha'].parents).toEqual(['nightly']);
    expect(g.byName['by-date'].parents).toEqual(['nightly']);
    expect(g.byName['by-latest'].messages[0]).toContain(
      'no build of it has tag "latest"; did you mean "sha-{git.sha}" or "{date:YYYYMMDD}"?',
    );
  });

  it('warn with "did you mean" when one or two edits from a workspace repository', () => {
    const g = infer({
      'images/stack/Dockerfile': 'FROM busybox:1.36\n',
      'images/stack/image.json': '{ "repository": "arr-ml-stack" }',
      'images/app/Dockerfile': 'FROM arr-ml-stak:1\n',
    });
    expect(g.byName['app'].executor).toBe('nx:run-commands');
    expect(g.warnings).toEqual([
      'images/app/Dockerfile:1: "arr-ml-stak:1" is not built in the workspace (it will be pulled as an external image); did you mean "arr-ml-stack"?',
    ]);
  });
});

describe('build args are templates', () => {
  it('a Makefile-style sha-pinned parent arg names the workspace build tagged with that template', () => {
    const g = infer({
      'images/base/Dockerfile': 'FROM busybox:1.36\n',
      'images/base/image.json': '{ "repository": "registry.example.com/acme/base", "tags": ["sha-{git.sha}"] }',
      'images/app/Dockerfile': 'ARG BASE_IMG\nFROM ${BASE_IMG}\n',
      'images/app/image.json': '{ "args": { "BASE_IMG": "registry.example.com/acme/base:sha-{git.sha}" } }',
    });
    expect(g.byName['app'].executor).toBe('nx:run-commands');
    expect(g.byName['app'].parents).toEqual(['base']);
  });

  it('{variant} and {args.NAME} are filled in when the graph is read', () => {
    const g = infer({
      'images/base/Dockerfile': 'FROM busybox:1.36\n',
      'images/base/image.json': '{ "repository": "acme/base", "variants": { "cpu": {}, "cuda": {} } }',
      'images/app/Dockerfile': 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n',
      'images/app/image.json':
        '{ "args": { "OWNER": "acme", "BASE_IMAGE": "{args.OWNER}/base:{variant}" }, "variants": { "cpu": {}, "cuda": {} } }',
    });
    expect(g.byName['app'].parents.sort()).toEqual(['base', 'base']);
    expect(g.problems).toEqual([]);
  });
});

describe('what the plugin knows, it says', () => {
  it('two directories publishing the same repository:tag, even unreferenced', () => {
    const g = infer({
      'images/a/Dockerfile': 'FROM busybox:1.36\n',
      'images/a/image.json': '{ "repository": "acme/x", "tags": ["1"] }',
      'images/b/Dockerfile': 'FROM busybox:1.36\n',
      'images/b/image.json': '{ "repository": "acme/x", "tags": ["1", "2"] }',
    });
    expect(g.warnings).toEqual([
      'acme/x:1 is published by a (images/a/image.json) and b (images/b/image.json): whichever builds last takes the tag and the other\'s record names an image the tag no longer points at; give them different "tags" or "repository"',
    ]);
  });
});

describe('one image from several directories, several images from one Dockerfile', () => {
  it('a variant with its own Dockerfile and context in a subdirectory is a variant, not a project of its own', () => {
    const g = infer({
      'images/asr/Dockerfile': 'FROM busybox:1.36\nCOPY app.txt /\n',
      'images/asr/app.txt': 'cpu',
      'images/asr/cuda/Dockerfile': 'FROM busybox:1.36\nCOPY cuda.txt /\n',
      'images/asr/cuda/cuda.txt': 'cuda',
      'images/asr/image.json': '{ "variants": { "cpu": {}, "cuda": { "dockerfile": "cuda/Dockerfile", "context": "cuda" } } }',
    });
    expect(Object.keys(g.byName)).toEqual(['asr']);
    expect(g.problems).toEqual([]);
  });

  it('two manifests build two targets of one Dockerfile; each is checked only for the stages it runs', () => {
    const g = infer({
      'images/linnaeus/Dockerfile': 'FROM busybox:1.36 AS base\nRUN echo base\nFROM base AS runtime\nCOPY app/ /app/\n',
      'images/linnaeus/app/run.sh': 'echo run',
      'images/linnaeus-base/image.json':
        '{ "repository": "acme/linnaeus-base", "dockerfile": "../linnaeus/Dockerfile", "context": "../linnaeus-base", "target": "base" }',
      'images/linnaeus-runtime/image.json':
        '{ "repository": "acme/linnaeus-dev", "dockerfile": "../linnaeus/Dockerfile", "context": "../linnaeus", "target": "runtime" }',
    });
    expect(Object.keys(g.byName).sort()).toEqual(['linnaeus-base', 'linnaeus-runtime']);
    expect(g.problems).toEqual([]);
  });
});

describe('ONBUILD', () => {
  it("a parent's ONBUILD COPY sources are the child's inputs, and its ONBUILD COPY --from an edge of the child", () => {
    const dir = tempTree({
      'images/parent/Dockerfile': 'FROM busybox:1.36\nONBUILD COPY app.txt /app/\nONBUILD COPY --from=acme/tools:1 /t /t\n',
      'images/parent/image.json': '{ "repository": "acme/parent", "tags": ["1.0"] }',
      'images/tools/Dockerfile': 'FROM busybox:1.36\n',
      'images/tools/image.json': '{ "repository": "acme/tools", "tags": ["1"] }',
      'images/child/Dockerfile': 'FROM acme/parent:1.0\nRUN true\n',
      'images/child/app.txt': 'child app',
      'images/child/other.txt': 'not read',
    });
    try {
      const files = [
        'images/parent/Dockerfile',
        'images/parent/image.json',
        'images/tools/Dockerfile',
        'images/tools/image.json',
        'images/child/Dockerfile',
      ];
      const { projects } = inferFromFilesUncached(files, normalizeOptions(undefined), dir);
      const child = projects.find((p) => p.project.name === 'child')!;
      const inputs = JSON.stringify(child.project.targets!['docker-build'].inputs);
      expect(inputs).toContain('{workspaceRoot}/images/child/app.txt');
      expect(inputs).not.toContain('other.txt');
      expect(child.project.implicitDependencies!.sort()).toEqual(['parent', 'tools']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

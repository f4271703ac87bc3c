import { readJson, Tree } from '@nx/devkit';
import { captureLogs, inferFromTree, workspaceWithPlugin, write } from '../test-support/workspace';
import importGenerator, { readImageManifest } from './generator';

const REGISTRY = 'us-central1-docker.pkg.dev/weight-and-biases-476906/arr-coc-registry';

/** Seed 004's header, as every one of its .image-manifest files starts. */
const HEADER = `# ============================================================================
# Training Image Content Manifest
# ============================================================================
#
# Format:
#   - Lines starting with # are comments (ignored)
#   - Blank lines are ignored
#   - All other lines are file paths (relative to repo root)
#   - Glob patterns supported: **/*.py, *.txt, etc.
# ============================================================================
`;

/** Seed 004's Stack/ layout: a PyTorch base, an ML stack on it, a trainer on that, and a separate launcher. */
const STACK: Record<string, string> = {
  'Stack/arr-pytorch-base/Dockerfile': 'FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04\nRUN echo build torch\n',
  'Stack/arr-pytorch-base/.image-manifest': `${HEADER}\n# Build Configuration\nStack/arr-pytorch-base/Dockerfile\n`,
  'Stack/arr-ml-stack/Dockerfile': `FROM ${REGISTRY}/arr-pytorch-base:latest\nRUN pip install wandb\n`,
  'Stack/arr-ml-stack/.image-manifest': `${HEADER}\n# Build Configuration\nStack/arr-ml-stack/Dockerfile\n`,
  'Stack/arr-trainer/Dockerfile': `FROM ${REGISTRY}/arr-ml-stack:latest\nWORKDIR /app\nCOPY ARR_COC/ ARR_COC/\nCOPY Stack/arr-trainer/pyproject.toml .\nRUN pip install -e .\n`,
  'Stack/arr-trainer/pyproject.toml': '[project]\nname = "arr-coc"\n',
  'Stack/arr-trainer/.image-manifest': `${HEADER}
# Build Configuration
Stack/arr-trainer/Dockerfile

# Base Image (when base changes, training must rebuild)
Stack/arr-ml-stack/Dockerfile

# Python Package Setup (modern pyproject.toml)
Stack/arr-trainer/pyproject.toml

# ARR-COC Model Package (all Python files recursively)
ARR_COC/**/*.py

# Training Script (ONLY the Vertex AI training runner - not CLI/TUI!)
ARR_COC/Training/train.py
`,
  'ARR_COC/model.py': 'x = 1\n',
  'ARR_COC/Training/train.py': 'print("train")\n',
  'Stack/arr-vertex-launcher/Dockerfile':
    'FROM python:3.11-slim\nCOPY entrypoint-wrapper.sh /\nCOPY wandb_vertex_patch.py sitecustomize.py /app/\n',
  'Stack/arr-vertex-launcher/entrypoint-wrapper.sh': '#!/bin/sh\n',
  'Stack/arr-vertex-launcher/wandb_vertex_patch.py': '',
  'Stack/arr-vertex-launcher/sitecustomize.py': '',
  'Stack/arr-vertex-launcher/.image-manifest': `${HEADER}
Stack/arr-vertex-launcher/Dockerfile
Stack/arr-vertex-launcher/entrypoint-wrapper.sh
Stack/arr-vertex-launcher/wandb_vertex_patch.py
./sitecustomize.py
config/*.yaml
`,
  'docs/.image-manifest': 'docs/index.md\n',
};

describe('import generator', () => {
  let tree: Tree;
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    tree = workspaceWithPlugin(['Stack/**']);
    write(tree, STACK);
    logs = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads seed 004 lines: paths and globs, comments and blank lines skipped', () => {
    expect(readImageManifest(STACK['Stack/arr-trainer/.image-manifest'])).toEqual([
      'Stack/arr-trainer/Dockerfile',
      'Stack/arr-ml-stack/Dockerfile',
      'Stack/arr-trainer/pyproject.toml',
      'ARR_COC/**/*.py',
      'ARR_COC/Training/train.py',
    ]);
  });

  it('writes inputs: files of the image relative to its manifest, others from the workspace root', async () => {
    await importGenerator(tree, {});
    expect(readJson(tree, 'Stack/arr-trainer/image.json')).toEqual({
      $schema: '../../node_modules/nx-image-graph/image.schema.json',
      inputs: ['pyproject.toml', '{workspaceRoot}/ARR_COC/**/*.py', '{workspaceRoot}/ARR_COC/Training/train.py'],
      // The Dockerfile copies ARR_COC/ and Stack/arr-trainer/pyproject.toml: it is built from the root.
      context: '../..',
    });
    expect(readJson(tree, 'Stack/arr-vertex-launcher/image.json')).toEqual({
      $schema: '../../node_modules/nx-image-graph/image.schema.json',
      inputs: ['entrypoint-wrapper.sh', 'wandb_vertex_patch.py', 'sitecustomize.py', '{workspaceRoot}/config/*.yaml'],
    });
    const report = logs.text();
    expect(report).toContain('Imported 4 of 5 .image-manifest file(s)');
    expect(report).toContain('docs/.image-manifest: skipped, no Dockerfile beside it');
    expect(report).toContain('Stack/arr-trainer/Dockerfile: already an input of every build');
    expect(report).toContain('config/*.yaml: matches no file yet (kept as an input)');
    expect(report).toContain('context "../..": the Dockerfile copies ARR_COC, Stack/arr-trainer/pyproject.toml from the workspace root');
    expect(tree.read('Stack/arr-trainer/Dockerfile.dockerignore', 'utf-8')).toBe(
      '# The build context is the repository root: send only what the Dockerfile copies.\n*\n!ARR_COC\n!Stack/arr-trainer/pyproject.toml\n',
    );
    expect(report).toContain('Stack/arr-trainer/Dockerfile.dockerignore: the context is the repository root');
    // The files stay unless asked.
    expect(tree.exists('Stack/arr-trainer/.image-manifest')).toBe(true);
  });

  it('turns the parent chain into graph edges: the repositories the children build FROM, and the parent Dockerfile line', async () => {
    await importGenerator(tree, {});
    expect(readJson(tree, 'Stack/arr-pytorch-base/image.json').repository).toBe(`${REGISTRY}/arr-pytorch-base`);
    expect(readJson(tree, 'Stack/arr-ml-stack/image.json').repository).toBe(`${REGISTRY}/arr-ml-stack`);
    // "Stack/arr-ml-stack/Dockerfile" in the trainer's list is the edge, not an input.
    expect(readJson(tree, 'Stack/arr-trainer/image.json').inputs).not.toContain('{workspaceRoot}/Stack/arr-ml-stack/Dockerfile');
    expect(logs.text()).toContain(
      'Stack/arr-trainer/.image-manifest: Stack/arr-ml-stack/Dockerfile: an edge arr-trainer -> arr-ml-stack instead',
    );
    const { edges, problems } = inferFromTree(tree, 'Stack/');
    expect(problems).toEqual([]);
    expect(edges).toEqual([
      'arr-ml-stack:docker-build -> arr-pytorch-base:docker-build',
      'arr-trainer:docker-build -> arr-ml-stack:docker-build',
    ]);
  });

  it('keeps a parent Dockerfile line as an input when the child does not build on that parent', async () => {
    write(tree, { 'Stack/arr-trainer/Dockerfile': 'FROM python:3.11-slim\nCOPY Stack/arr-trainer/pyproject.toml .\n' });
    await importGenerator(tree, {});
    expect(readJson(tree, 'Stack/arr-trainer/image.json').inputs).toContain('{workspaceRoot}/Stack/arr-ml-stack/Dockerfile');
    expect(logs.text()).toContain("kept as an input; arr-trainer's Dockerfile does not build on arr-ml-stack");
  });

  it('never makes the manifest an input: a line `dir/*` keeps only the files the build may read', async () => {
    write(tree, {
      'Stack/arr-vertex-launcher/image.json': JSON.stringify({ repository: 'acme/launcher', version: '1.0.0' }),
      'Stack/arr-vertex-launcher/README.md': 'notes\n',
      'Stack/arr-vertex-launcher/.image-manifest': 'Stack/arr-vertex-launcher/*\n',
    });
    await importGenerator(tree, {});
    const inputs: string[] = readJson(tree, 'Stack/arr-vertex-launcher/image.json').inputs;
    // "*" would hold image.json, whose "version" `nx release version` writes: every release would rebuild the image.
    expect(inputs).toEqual(['entrypoint-wrapper.sh', 'sitecustomize.py', 'wandb_vertex_patch.py']);
    const report = logs.text();
    expect(report).toContain('Stack/arr-vertex-launcher/*: inputs Stack/arr-vertex-launcher/entrypoint-wrapper.sh');
    expect(report).toContain("not Stack/arr-vertex-launcher/Dockerfile, Stack/arr-vertex-launcher/image.json (the image's own files");
    expect(report).toContain('not Stack/arr-vertex-launcher/README.md (in the build context, but the build is never sent it)');
    // The graph takes the result as it is: no drift warning for the line either.
    const { problems, warnings } = inferFromTree(tree, 'Stack/');
    expect(problems).toEqual([]);
    expect(warnings.filter((w: string) => w.includes('.image-manifest'))).toEqual([]);
  });

  it('merges into an existing image.json, and running it again adds nothing', async () => {
    write(tree, {
      'Stack/arr-vertex-launcher/image.json': JSON.stringify({
        repository: 'acme/launcher',
        tags: ['v1'],
        inputs: ['entrypoint-wrapper.sh'],
      }),
    });
    await importGenerator(tree, {});
    const once = tree.read('Stack/arr-vertex-launcher/image.json', 'utf-8');
    expect(JSON.parse(once!)).toEqual({
      repository: 'acme/launcher',
      tags: ['v1'],
      inputs: ['entrypoint-wrapper.sh', 'wandb_vertex_patch.py', 'sitecustomize.py', '{workspaceRoot}/config/*.yaml'],
    });
    const trainer = tree.read('Stack/arr-trainer/image.json', 'utf-8');
    await importGenerator(tree, {});
    expect(tree.read('Stack/arr-vertex-launcher/image.json', 'utf-8')).toBe(once);
    expect(tree.read('Stack/arr-trainer/image.json', 'utf-8')).toBe(trainer);
  });

  it('only under --directory, and --remove deletes what it imported', async () => {
    await importGenerator(tree, { directory: 'Stack/arr-vertex-launcher', remove: true });
    expect(tree.exists('Stack/arr-vertex-launcher/.image-manifest')).toBe(false);
    expect(tree.exists('Stack/arr-vertex-launcher/image.json')).toBe(true);
    expect(tree.exists('Stack/arr-trainer/image.json')).toBe(false);
    expect(tree.exists('Stack/arr-trainer/.image-manifest')).toBe(true);
  });

  it('says when the imported images are outside the plugin include', async () => {
    const other = workspaceWithPlugin(['images/**']);
    write(other, STACK);
    await importGenerator(other, {});
    expect(logs.warn.join('\n')).toContain(`are outside the plugin's include in nx.json; add "Stack/**" to it`);
  });

  it('says when there is nothing to import', async () => {
    await importGenerator(workspaceWithPlugin(), {});
    expect(logs.warn).toEqual(['No .image-manifest files under the workspace; nothing to import.']);
  });
});

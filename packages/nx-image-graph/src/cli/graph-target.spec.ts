import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceDataDirectory } from '../core/fs/workspace-data';
import { GraphTargetError, projectNode, readGraphTarget } from './graph-target';

const graph = (extra: object = {}) => ({
  nodes: {
    app: {
      name: 'app',
      type: 'app',
      data: {
        root: 'images/app',
        targets: {
          'docker-build': { executor: 'nx:run-commands', metadata: { 'nx-image-graph-settings': { dockerfile: 'images/app/Dockerfile' } } },
        },
      },
    },
    'app-2': { name: 'app-2', type: 'app', data: { root: 'images/app-2', targets: {} } },
    ...extra,
  },
  externalNodes: {},
  dependencies: { app: [], 'app-2': [{ source: 'app-2', target: 'app', type: 'implicit' }] },
  version: '6.0',
  errors: [],
  computedAt: 1,
});

describe('the target as Nx wrote it to its cached project graph', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'graph-target-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the workspace data directory as Nx does', () => {
    expect(workspaceDataDirectory('/ws', {})).toBe('/ws/.nx/workspace-data');
    expect(workspaceDataDirectory('/ws', { NX_PROJECT_GRAPH_CACHE_DIRECTORY: 'cache/graph' })).toBe('/ws/cache/graph');
    expect(workspaceDataDirectory('/ws', { NX_WORKSPACE_DATA_DIRECTORY: '/data', NX_PROJECT_GRAPH_CACHE_DIRECTORY: 'x' })).toBe('/data');
  });

  it('reads one node of the file as Nx writes it (two-space JSON), and the same from any other layout', () => {
    const pretty = Buffer.from(JSON.stringify(graph(), null, 2));
    const compact = Buffer.from(JSON.stringify(graph()));
    expect(projectNode(pretty, 'app')).toEqual(graph().nodes.app);
    expect(projectNode(compact, 'app')).toEqual(graph().nodes.app);
    expect(projectNode(pretty, 'app-2')).toEqual(graph().nodes['app-2']);
    // A name that is only a dependency key, not a node.
    expect(projectNode(Buffer.from(JSON.stringify({ ...graph(), dependencies: { ghost: [] } }, null, 2)), 'ghost')).toBeUndefined();
  });

  it('reads the target from the data directory, and names a missing file or target with the fix', () => {
    mkdirSync(join(root, '.nx/workspace-data'), { recursive: true });
    expect(() => readGraphTarget(root, 'app', 'docker-build', {})).toThrow(GraphTargetError);
    expect(() => readGraphTarget(root, 'app', 'docker-build', {})).toThrow(
      /no project graph at .*project-graph\.json .*NX_CACHE_PROJECT_GRAPH=false/,
    );
    writeFileSync(join(root, '.nx/workspace-data/project-graph.json'), JSON.stringify(graph(), null, 2));
    expect(readGraphTarget(root, 'app', 'docker-build', {}).metadata).toEqual({
      'nx-image-graph-settings': { dockerfile: 'images/app/Dockerfile' },
    });
    expect(() => readGraphTarget(root, 'app', 'docker-build-cpu', {})).toThrow(/has no target app:docker-build-cpu/);
  });
});

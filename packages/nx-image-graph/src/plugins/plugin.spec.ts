// With the daemon on, Nx starts a new plugin worker for every run's hooks (the graph is the daemon's
// cached one): loading the plugin's module must not load the graph's modules, which only createNodes
// and createDependencies use.
const mockLoaded: string[] = [];
jest.mock('../inference/options/registered-options', () => ({ checkRegisteredOptions: jest.fn() }));
jest.mock('../inference/targets/infer-from-files', () => {
  mockLoaded.push('infer-from-files');
  return { inferFromFiles: jest.fn(async () => ({ projects: [], problems: [], warnings: [] })) };
});
jest.mock('../inference/targets/secret-arg-warnings', () => {
  mockLoaded.push('secret-arg-warnings');
  return { secretArgWarnings: jest.fn(() => []) };
});
jest.mock('../inference/targets/peer-plugins', () => {
  mockLoaded.push('peer-plugins');
  return { peerPluginWarnings: jest.fn(() => []) };
});
jest.mock('../inference/targets/workspace-dependencies', () => {
  mockLoaded.push('workspace-dependencies');
  return { workspaceDependencies: jest.fn(() => ({ edges: [], warnings: [] })) };
});

describe('plugin module', () => {
  it('loads the graph modules only when the graph is computed', async () => {
    const plugin = require('./plugin') as typeof import('./plugin');
    expect(typeof plugin.preTasksExecution).toBe('function');
    expect(typeof plugin.postTasksExecution).toBe('function');
    expect(mockLoaded).toEqual([]);
    const context = { workspaceRoot: '/ws', nxJsonConfiguration: {} } as never;
    await expect(plugin.createNodes[1]([], undefined, context)).resolves.toEqual([]);
    expect(mockLoaded.sort()).toEqual(['infer-from-files', 'peer-plugins', 'secret-arg-warnings', 'workspace-dependencies']);
    expect(plugin.createDependencies(undefined, { projects: {} } as never)).toEqual([]);
  });
});

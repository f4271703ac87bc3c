import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginOptionsError } from './plugin-options';
import { validateOptions } from './plugin-options';
import { checkRegisteredOptions } from './registered-options';

describe('plugin options checked when Nx loads the plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nig-registered-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withNxJson = (text: string) => (writeFileSync(join(dir, 'nx.json'), text), () => checkRegisteredOptions(dir, validateOptions));

  it('a bad option fails the load with the one message and no stack trace', () => {
    const check = withNxJson(JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', options: { outputDir: 5 } }] }));
    expect(check).toThrow(
      new PluginOptionsError(
        'nx.json: nx-image-graph option "outputDir" must be a string: a directory inside the workspace, e.g. "dist"; got 5',
      ),
    );
    let error: Error | undefined;
    try {
      check();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.stack).toBe(error?.message);
  });

  it('reads nx.json as Nx does: comments and trailing commas', () => {
    expect(withNxJson('{\n  // images\n  "plugins": [{ "plugin": "nx-image-graph", "options": { "outputdir": "dist" }, },],\n}')).toThrow(
      /nx-image-graph has no option "outputdir"/,
    );
  });

  it('every registration is checked; other plugins and valid options pass', () => {
    const check = withNxJson(
      JSON.stringify({
        plugins: [
          '@nx/js',
          'nx-image-graph',
          { plugin: 'other', options: { outputDir: 5 } },
          { plugin: 'nx-image-graph', include: ['a/**'], options: { outputDir: 'out' } },
          { plugin: 'nx-image-graph', options: { pushTargetName: 'docker-build' } },
        ],
      }),
    );
    expect(check).toThrow(
      new PluginOptionsError(
        'nx.json: nx-image-graph options "buildTargetName" and "pushTargetName" are both "docker-build"; give each target its own name',
      ),
    );
    expect(withNxJson(JSON.stringify({ plugins: [{ plugin: 'nx-image-graph', options: { outputDir: 'out' } }] }))).not.toThrow();
  });

  it('a workspace whose nx.json Nx cannot read either is left to Nx', () => {
    expect(withNxJson('{ not json')).not.toThrow();
    rmSync(join(dir, 'nx.json'));
    expect(() => checkRegisteredOptions(dir, validateOptions)).not.toThrow();
  });
});

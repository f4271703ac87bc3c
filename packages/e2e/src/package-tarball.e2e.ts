import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pluginTarball, PLUGIN_PACKAGE } from './support/paths';

/** The npm tarball a user installs carries the package's own README, and that README names every target. */
describe('the packed plugin', () => {
  const files = () => execFileSync('tar', ['-tzf', pluginTarball()], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const readme = () => execFileSync('tar', ['-xzOf', pluginTarball(), 'package/README.md'], { encoding: 'utf8' });

  it('contains README.md, the package README', () => {
    expect(files()).toContain('package/README.md');
    // The path nx release loads the image version actions from.
    expect(files()).toContain('package/release/version-actions.js');
    // What `nx migrate` reads, and the migration it names.
    expect(files()).toEqual(
      expect.arrayContaining(['package/migrations.json', 'package/dist/migrations/pin-project-names/pin-project-names.js']),
    );
    expect(readme()).toBe(readFileSync(join(PLUGIN_PACKAGE, 'README.md'), 'utf8'));
  });

  it('its README covers the quick start, the manifest, the plugin options and every executor', () => {
    const text = readme();
    for (const heading of ['## Quick start', '## The manifest: `image.json`', '## Plugin options (`nx.json`)', '## Targets'])
      expect(text).toContain(heading);
    const executors = Object.keys(JSON.parse(readFileSync(join(PLUGIN_PACKAGE, 'executors.json'), 'utf8')).executors).filter(
      (e) => e !== 'invalid',
    );
    const targetOf: Record<string, string> = {
      build: 'docker-build',
      push: 'docker-push',
      promote: 'docker-promote',
      validate: 'docker-validate',
      materialize: 'docker-materialize',
      'layer-report': 'docker-layers',
      'release-publish': 'nx-release-publish',
    };
    for (const e of executors) expect(text).toContain(`\`${targetOf[e] ?? e}\``);
  });
});

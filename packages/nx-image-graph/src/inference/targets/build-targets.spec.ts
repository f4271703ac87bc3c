import { rmSync } from 'node:fs';
import type { TargetConfiguration } from '@nx/devkit';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { BUILD_COMMAND, isBuildTarget } from './build-command';
import { inferFromFilesUncached } from './infer-from-files';
import { settingsOf } from './target-settings';

function targetsOf(files: Record<string, string>, pluginOptions?: object) {
  const dir = tempTree(files);
  try {
    const { projects } = inferFromFilesUncached(Object.keys(files), normalizeOptions(pluginOptions as never), dir);
    return Object.fromEntries(projects.map((p) => [p.project.name!, p.project.targets as Record<string, TargetConfiguration>]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = {
  'images/x/Dockerfile': 'FROM busybox:1.36\n',
  'images/x/image.json': JSON.stringify({ repository: 'acme/x', variants: { cpu: { args: { A: '1' } }, gpu: { args: { A: '2' } } } }),
};

describe('build targets', () => {
  it('are cached commands, one constant string for every build, the settings in the metadata', () => {
    const t = targetsOf(files).x;
    for (const name of ['docker-build-cpu', 'docker-build-gpu']) {
      expect(t[name]).toMatchObject({ executor: 'nx:run-commands', options: { command: BUILD_COMMAND }, cache: true });
      expect(isBuildTarget(t[name])).toBe(true);
    }
    expect(settingsOf<{ args: object }>(t['docker-build-cpu']).args).toEqual({ A: '1' });
    // Options are hashed into every task of the project: no setting of one variant in them.
    expect(t['docker-build-cpu'].options).toEqual(t['docker-build-gpu'].options);
    expect(t['docker-build']).toMatchObject({ executor: 'nx:noop', cache: true });
  });

  it('are the executor (batchable) with "buildTargets": "executor", the same settings', () => {
    const t = targetsOf(files, { buildTargets: 'executor' }).x;
    expect(t['docker-build-cpu']).toMatchObject({ executor: 'nx-image-graph:build', cache: true });
    expect(t['docker-build-cpu'].options).toBeUndefined();
    expect(isBuildTarget(t['docker-build-cpu'])).toBe(true);
    expect(settingsOf<{ args: object }>(t['docker-build-cpu']).args).toEqual({ A: '1' });
  });

  it('say whether they are cached, every one: builds and validation yes, what acts on the engine or a registry no', () => {
    const t = targetsOf(files, { registries: ['registry.example.com/team'] }).x;
    for (const [name, target] of Object.entries(t)) expect([name, typeof target.cache]).toEqual([name, 'boolean']);
    expect(t['docker-push-cpu'].cache).toBe(false);
    expect(t['docker-materialize-cpu'].cache).toBe(false);
  });
});

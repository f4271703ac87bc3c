import { rmSync } from 'node:fs';
import type { TargetConfiguration } from '@nx/devkit';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { inferFromFilesUncached } from '../targets/infer-from-files';
import { lockEntriesInput } from './lock-input';

function targetsOf(files: Record<string, string>) {
  const dir = tempTree(files);
  try {
    const { projects } = inferFromFilesUncached(Object.keys(files), normalizeOptions(undefined), dir);
    return Object.fromEntries(projects.map((p) => [p.project.name!, p.project.targets as Record<string, TargetConfiguration>]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a build's input on images.lock.json", () => {
  it("covers only the entries of the build's own external bases, never scratch or a reference pinned by digest", () => {
    expect(
      lockEntriesInput(['busybox:1.36', 'scratch', `alpine@sha256:${'0'.repeat(64)}`, '127.0.0.1:5000/p/base:1', 'busybox:1.36']),
    ).toEqual([{ json: '{workspaceRoot}/images.lock.json', fields: ['bases.127~0~0~1:5000/p/base:1', 'bases.busybox:1~36'] }]);
    expect(lockEntriesInput(['scratch'])).toEqual([]);
  });

  it('is an input of each build on an external base and of no other; the builds on those images read their image ids', () => {
    const targets = targetsOf({
      'images/a/Dockerfile': 'FROM 127.0.0.1:5000/p/base:1\n',
      'images/a/image.json': JSON.stringify({ repository: 'acme/a' }),
      'images/b/Dockerfile': 'FROM busybox:1.36\n',
      'images/b/image.json': JSON.stringify({ repository: 'acme/b' }),
      'images/c/Dockerfile': 'FROM acme/a:latest\n',
      'images/c/image.json': JSON.stringify({ repository: 'acme/c' }),
      'images/d/Dockerfile': 'FROM scratch\nCOPY x /x\n',
      'images/d/x': 'x',
    });
    const lockInputs = (t: TargetConfiguration) =>
      (t.inputs ?? []).filter((i) => typeof i === 'object' && 'json' in i && String(i.json).endsWith('images.lock.json'));
    expect(lockInputs(targets.a['docker-build'])).toEqual([
      { json: '{workspaceRoot}/images.lock.json', fields: ['bases.127~0~0~1:5000/p/base:1'] },
    ]);
    expect(lockInputs(targets.b['docker-build'])).toEqual([{ json: '{workspaceRoot}/images.lock.json', fields: ['bases.busybox:1~36'] }]);
    // Not through a copy of the parent's inputs: `nx affected` reaches c through the id a records.
    expect(lockInputs(targets.c['docker-build'])).toEqual([]);
    expect(targets.c['docker-build'].inputs).toContainEqual({ dependentTasksOutputFiles: '**/*.image-id', transitive: false });
    expect(lockInputs(targets.d['docker-build'])).toEqual([]);
  });
});

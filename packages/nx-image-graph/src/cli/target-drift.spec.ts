import { targetDrift } from './target-drift';

describe('targetDrift: an inferred build that nx.json changed', () => {
  const settings = { dockerfile: 'images/app/Dockerfile', metadataFile: 'dist/images/app/docker-build.json' };
  const inferred = {
    cache: true,
    inputs: ['{workspaceRoot}/images/app/Dockerfile', { dependentTasksOutputFiles: '**/*.image-id' }],
    outputs: ['{workspaceRoot}/dist/images/app/docker-build.json'],
  };

  it('is none for the target as inferred, or with inputs added', () => {
    expect(targetDrift(inferred, settings)).toEqual([]);
    expect(targetDrift({ ...inferred, inputs: [...inferred.inputs, '{workspaceRoot}/extra'] }, settings)).toEqual([]);
  });

  it('names an uncached target and replaced inputs and outputs', () => {
    expect(targetDrift({ cache: false, inputs: ['default'], outputs: ['{workspaceRoot}/other'] }, settings)).toEqual([
      'it is not cached',
      'its inputs do not name images/app/Dockerfile',
      'its outputs do not name dist/images/app/docker-build.json',
    ]);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRecord } from './build-record';

describe('buildRecord', () => {
  const root = mkdtempSync(join(tmpdir(), 'build-record-'));
  mkdirSync(join(root, 'images/app/src'), { recursive: true });
  writeFileSync(join(root, 'images/app/Dockerfile'), 'FROM busybox:1.36\nCOPY src/ /src/\n');
  writeFileSync(join(root, 'images/app/src/a.txt'), 'a\n');
  const facts = {
    context: 'images/app',
    dockerfile: 'images/app/Dockerfile',
    contextFiles: ['Dockerfile', 'src/a.txt'],
    onBuildContext: false,
    parents: [{ project: 'base', imageId: `sha256:${'1'.repeat(64)}`, reference: 'acme/base:latest' }],
    bases: [{ reference: 'busybox:1.36', imageId: `sha256:${'a'.repeat(64)}` }],
    args: { VERSION: '1', HF_TOKEN: 'hf_do_not_write_me' },
    options: { dockerfile: 'images/app/Dockerfile', tags: ['latest'] },
    nxHash: '123',
  };

  it('keys files by workspace path with their content hash, keeps ids, and no credential value', () => {
    const record = buildRecord(root, facts, undefined);
    expect(Object.keys(record.files)).toEqual(['images/app/Dockerfile', 'images/app/src/a.txt']);
    expect(record.parents).toEqual([{ project: 'base', imageId: facts.parents[0].imageId }]);
    expect(buildRecord(root, { ...facts, parents: [{ ...facts.parents[0], target: 'docker-build-cpu' }] }, undefined).parents).toEqual([
      { project: 'base', target: 'docker-build-cpu', imageId: facts.parents[0].imageId },
    ]);
    expect(record.args.VERSION).toBe('1');
    expect(record.args.HF_TOKEN).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain('hf_do_not_write_me');
    expect(record.why).toEqual(['no earlier build recorded']);
  });

  it("records the files the manifest's inputs name, so a change to one is named by its path", () => {
    mkdirSync(join(root, 'training'), { recursive: true });
    writeFileSync(join(root, 'training/config.yaml'), 'lr: 1\n');
    const withInputs = { ...facts, options: { ...facts.options, inputs: ['{workspaceRoot}/training/*.yaml'] } };
    const before = buildRecord(root, withInputs, undefined);
    expect(Object.keys(before.files)).toContain('training/config.yaml');
    writeFileSync(join(root, 'training/config.yaml'), 'lr: 2\n');
    expect(buildRecord(root, withInputs, before).why).toEqual(['training/config.yaml changed']);
  });

  it('says why, against the record before it', () => {
    const before = buildRecord(root, facts, undefined);
    writeFileSync(join(root, 'images/app/src/a.txt'), 'a changed\n');
    const after = buildRecord(root, { ...facts, args: { ...facts.args, HF_TOKEN: 'hf_other' }, nxHash: '456' }, before);
    expect(after.why).toEqual(['images/app/src/a.txt changed', 'arg HF_TOKEN changed']);
    expect([after.nxHash, after.previousNxHash]).toEqual(['456', '123']);
  });
});

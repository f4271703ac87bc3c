import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeNxInput, nxInputReasons, readNxInputHashes, saveNxInputHashes, withFileHashes } from './nx-input-details';

const before = {
  'app:ProjectConfiguration': '1',
  'json:{workspaceRoot}/images/app/image.json[name,repository,args]': '2',
  'workspace:[{workspaceRoot}/images/app/Dockerfile,{workspaceRoot}/images/app/app.txt]': '3',
  'workspace:[{workspaceRoot}/nx.json,{workspaceRoot}/.gitignore,{workspaceRoot}/.nxignore]': '4',
  'env:NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789': '5',
  'env:NX_CLOUD_ENCRYPTION_KEY': '6',
};

describe('Nx input hashes', () => {
  it('names the Nx inputs that changed, leaving out what the build record names better', () => {
    const now = {
      ...before,
      'workspace:[{workspaceRoot}/nx.json,{workspaceRoot}/.gitignore,{workspaceRoot}/.nxignore]': '4b',
      'workspace:[{workspaceRoot}/images/app/Dockerfile,{workspaceRoot}/images/app/app.txt]': '3b',
      'env:HTTP_PROXY': '7',
    };
    // Without a hash of each file, it cannot say which of the files Nx hashes as one input changed: it says so.
    expect(nxInputReasons(before, now, ['images/app/app.txt changed'])).toEqual([
      'env HTTP_PROXY added',
      'one of nx.json, .gitignore, .nxignore changed (Nx hashes them as one input; which one is not recorded)',
    ]);
    // Nothing in the record differed: every Nx input that did is named.
    expect(nxInputReasons(before, now, [])).toContain(
      'one of images/app/Dockerfile, images/app/app.txt changed (Nx hashes them as one input; which one is not recorded)',
    );
  });

  it('names only the files that changed of the workspace-wide files Nx hashes as one input', () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-files-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    writeFileSync(join(root, '.gitignore'), 'dist\n');
    const key = 'workspace:[{workspaceRoot}/nx.json,{workspaceRoot}/.gitignore,{workspaceRoot}/.nxignore]';
    const then = withFileHashes({ [key]: '4' }, root);
    expect(Object.keys(then).sort()).toEqual(['file:.gitignore', 'file:.nxignore', 'file:nx.json', key]);
    writeFileSync(join(root, 'nx.json'), '{ "plugins": [] }');
    writeFileSync(join(root, '.nxignore'), 'packages\n');
    expect(nxInputReasons(then, withFileHashes({ [key]: '4b' }, root), ['images/app/app.txt changed'])).toEqual([
      'nx.json changed, .nxignore added (an Nx input)',
    ]);
  });

  it("names a manifest's fields unless the record names a changed arg or setting", () => {
    const now = { ...before, 'json:{workspaceRoot}/images/app/image.json[name,repository,args]': '2b' };
    expect(nxInputReasons(before, now, ['arg VERSION 1→2'])).toEqual([]);
    expect(nxInputReasons(before, now, ['images/app/app.txt changed'])).toEqual(['images/app/image.json (the fields it reads) changed']);
  });

  it('describes each kind of input', () => {
    expect(describeNxInput('json:{workspaceRoot}/images/app/image.json[name,args]')).toBe('images/app/image.json (the fields it reads)');
    expect(describeNxInput('json:{workspaceRoot}/images/app/image.json![checks,registries]')).toBe(
      'images/app/image.json (the fields it reads)',
    );
    expect(describeNxInput('app:ProjectConfiguration')).toBe('Nx project configuration of app');
    expect(describeNxInput('AllExternalDependencies')).toBe('external dependencies');
    expect(describeNxInput('env:NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789')).toBe('the id of external base busybox_1_36 in the engine');
  });

  it('leaves a moved base id to the record, which names the base', () => {
    const now = { ...before, 'env:NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789': '5b' };
    expect(nxInputReasons(before, now, ['base busybox:1.36 sha256:aaa → sha256:bbb'])).toEqual([]);
  });

  it('never blames a base id the record found unchanged: after the first lock, the lock entry is named', () => {
    const lock = 'json:{workspaceRoot}/images.lock.json[bases.busybox:1~36]';
    const locked = { ...before, [lock]: 'l2', 'env:NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789': '5b' };
    expect(nxInputReasons({ ...before, [lock]: 'l1' }, locked, [])).toEqual(['images.lock.json entry of busybox:1.36 changed']);
    // A file change in the record does not hide it either.
    expect(nxInputReasons({ ...before, [lock]: 'l1' }, locked, ['images/app/app.txt changed'])).toEqual([
      'images.lock.json entry of busybox:1.36 changed',
    ]);
    // The variable alone moved (the engine not reachable, say): not "its id changed".
    const reasons = nxInputReasons(before, { ...before, 'env:NX_IMAGE_GRAPH_BASE_busybox_1_36_0123456789': '5b' }, []);
    expect(reasons).toEqual([
      'how external base busybox_1_36 is hashed changed, not its image id (pinned or unpinned in images.lock.json, or the engine not reachable)',
    ]);
    expect(reasons.join()).not.toMatch(/the id of external base .* changed/);
  });

  it('keeps them by task hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-inputs-'));
    saveNxInputHashes(dir, '123', before);
    expect(readNxInputHashes(dir, '123')).toEqual(before);
    expect(readNxInputHashes(dir, '456')).toBeUndefined();
  });
});

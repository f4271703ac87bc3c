// The module object itself: spying through an import * copy would not reach the reader.
const fs = require('node:fs') as typeof import('node:fs');
import { join } from 'node:path';
import { describeCases } from './test-support/bad-input-workspace';

const D = 'images/bad/Dockerfile';

/** Makes the next read of `suffix` fail as it would on a file this user may not read (tests run as root, where chmod does not stop reads). */
function denyReading(suffix: string): () => string[] {
  return () => {
    const real = fs.readFileSync;
    jest.spyOn(fs, 'readFileSync').mockImplementation(((path: import('node:fs').PathOrFileDescriptor, ...rest: unknown[]) => {
      if (String(path).endsWith(suffix))
        throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), {
          code: 'EACCES',
          syscall: 'open',
          path: String(path),
        });
      return (real as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync);
    return [];
  };
}

afterEach(() => jest.restoreAllMocks());

describeCases('bad input: the file system', [
  {
    name: 'an unreadable Dockerfile (EACCES)',
    files: { [D]: 'FROM busybox:1.36\n' },
    prepare: denyReading('images/bad/Dockerfile'),
    messages: [
      "images/bad/Dockerfile: cannot be read on this machine (permission denied, EACCES); this is a local file-system error, not the engine's: fix the file's permissions or type",
    ],
  },
  {
    name: 'an unreadable image.json (EACCES)',
    files: { [D]: 'FROM busybox:1.36\n', 'images/bad/image.json': '{}' },
    prepare: denyReading('images/bad/image.json'),
    messages: [
      "images/bad/image.json: cannot be read on this machine (permission denied, EACCES); this is a local file-system error, not the engine's: fix the file's permissions or type",
    ],
  },
  {
    name: 'an unreadable .dockerignore (EACCES)',
    files: { [D]: 'FROM busybox:1.36\n', 'images/bad/.dockerignore': 'x\n' },
    prepare: denyReading('images/bad/.dockerignore'),
    messages: [
      "images/bad/.dockerignore: cannot be read on this machine (permission denied, EACCES); this is a local file-system error, not the engine's: fix the file's permissions or type",
    ],
  },
  {
    name: 'a Dockerfile that is a directory',
    files: { 'images/bad/image.json': JSON.stringify({ dockerfile: 'Dockerfile.d' }), 'images/bad/Dockerfile.d/': '' },
    messages: [
      'images/bad/image.json: "images/bad/Dockerfile.d" is a directory, not a Dockerfile; put the Dockerfile there, or point "dockerfile" at it',
    ],
  },
  // Nx lists files only: a Dockerfile that is a directory, a dangling link or a loop reaches the plugin as a manifest without a Dockerfile.
  {
    name: 'a Dockerfile beside the manifest that is a directory',
    files: { 'images/bad/image.json': '{}' },
    prepare: (dir) => (fs.mkdirSync(join(dir, D)), []),
    messages: [
      'images/bad/image.json: "images/bad/Dockerfile" is a directory, not a Dockerfile; put the Dockerfile there, or point "dockerfile" at it',
    ],
  },
  {
    name: 'a Dockerfile that is a dangling symlink',
    files: { 'images/bad/image.json': '{}' },
    prepare: (dir) => (fs.symlinkSync('nowhere', join(dir, D)), []),
    messages: [
      'images/bad/image.json: "images/bad/Dockerfile" is a symbolic link to "nowhere", which does not exist; fix the link, or point "dockerfile" at the Dockerfile',
    ],
  },
  {
    name: 'a Dockerfile that is a symlink loop',
    files: { 'images/bad/image.json': '{}' },
    prepare: (dir) => (fs.symlinkSync('Dockerfile', join(dir, D)), []),
    messages: [
      'images/bad/image.json: "images/bad/Dockerfile" is a symbolic link that leads back to itself (ELOOP); fix the link, or point "dockerfile" at the Dockerfile',
    ],
  },
  {
    name: '"dockerfile" naming a dangling symlink',
    files: { 'images/bad/image.json': JSON.stringify({ dockerfile: 'Dockerfile.prod' }) },
    prepare: (dir) => (fs.symlinkSync('gone', join(dir, 'images/bad/Dockerfile.prod')), []),
    messages: [
      'images/bad/image.json: "images/bad/Dockerfile.prod" is a symbolic link to "gone", which does not exist; fix the link, or point "dockerfile" at the Dockerfile',
    ],
  },
  {
    name: 'a context that is a file',
    files: { [D]: 'FROM busybox:1.36\n', 'images/bad/image.json': JSON.stringify({ context: 'Dockerfile' }) },
    messages: [
      'images/bad/image.json: build context "images/bad/Dockerfile" is a file, not a directory; point "context" at the directory the Dockerfile copies from',
    ],
  },
  {
    name: 'a .dockerignore with a bare "!"',
    files: { [D]: 'FROM busybox:1.36\nCOPY . /app\n', 'images/bad/.dockerignore': '!\n' },
    messages: [
      'images/bad/.dockerignore:1: a bare "!" is not a pattern; write the path to re-include after it (e.g. !src/keep.txt), or delete the line',
    ],
  },
]);

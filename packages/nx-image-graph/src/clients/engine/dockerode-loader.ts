import Module from 'node:module';
import { dirname } from 'node:path';
import type DockerType from 'dockerode';

/**
 * Puts a stand-in for a module in Node's require cache: it loads the real module on its first call.
 * For modules whose export is one function that a library requires when it loads and calls rarely.
 */
function deferModule(request: string, from?: string): void {
  let path: string;
  try {
    path = require.resolve(request, from ? { paths: [from] } : undefined);
  } catch {
    return; // another layout of the library: then it loads as it is
  }
  if (require.cache[path]) return;
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = function (this: unknown, ...args: unknown[]) {
    delete require.cache[path];
    return (require(path) as (...a: unknown[]) => unknown).apply(this, args);
  };
  require.cache[path] = standIn;
}

// dockerode requires two modules when it loads that a build never calls: its own BuildKit session
// (lib/session: gRPC and proto-loader; ours is session/build-session.ts, opened only when a build
// needs one) and docker-modem's ssh transport (lib/ssh: ssh2; for DOCKER_HOST=ssh:// only). Each
// then loads on its first call, and a task loads dockerode in ~50 ms instead of ~160 ms.
deferModule('dockerode/lib/session');
deferModule('docker-modem/lib/ssh', dirname(require.resolve('dockerode/package.json')));

export const Docker: typeof DockerType = require('dockerode');
export type Docker = DockerType;

import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineAddress } from '../engine/engine-address';

/**
 * The lock file of pushes from this machine's engine to one registry. The engine uploads a layer
 * once per push, even when another push is uploading the same layer to another repository of the
 * same registry; after one push has finished, the next mounts the layer from the first repository
 * (`Mounted from ...`), as a `docker push` loop does. So pushes of images on one base, run by Nx
 * side by side, take one lock each, in turn.
 */
export function pushLockFile(registry: string, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256')
    .update(`${engineAddress(env).description}\0${registry}`)
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), `nx-image-graph-push-${key}.lock`);
}

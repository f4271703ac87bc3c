import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What tools/engine-up.sh brought up: engine socket, the two local registries and the test credentials. */
export interface EngineState {
  dockerHost: string;
  registry: { address: string; log: string };
  registryAuth: { address: string; user: string; password: string; log: string };
}

export function engineState(): EngineState {
  const dir = process.env.ENGINE_STATE_DIR ?? '/tmp/nx-image-graph-engine';
  return JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8'));
}

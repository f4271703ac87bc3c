import type { DockerVersion } from 'dockerode';
import { Docker } from './dockerode-loader';
import { EngineAddress, engineAddress } from './engine-address';

export { engineAddress };
export type { EngineAddress };

export class EngineUnavailableError extends Error {
  constructor(address: EngineAddress, reason: string) {
    super(
      `No container engine answers at ${address.description} (${reason}).\n` +
        `Start one (Docker: \`dockerd\`; Podman: \`podman system service --time=0 unix:///run/podman/podman.sock\`) ` +
        `or point DOCKER_HOST at a running engine (unix://, tcp:// with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, ssh://).`,
    );
    this.name = 'EngineUnavailableError';
  }
}

/** What kind of engine answers, and whether it builds with BuildKit through the API. */
export interface EngineInfo {
  name: string;
  version: string;
  apiVersion: string;
  buildkit: boolean;
  address: string;
  /** The engine's own platform (GET /version's Os and Arch): a build needs no second /version call to know it. */
  os?: string;
  arch?: string;
}

/** Connects and checks the engine answers within `timeoutMs`, or says where it looked and how to start one. */
export async function connectEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<{ docker: Docker; info: EngineInfo }> {
  const address = engineAddress(env);
  const docker = new Docker({ ...address.options, timeout: undefined });
  let version: DockerVersion;
  try {
    version = await withTimeout(docker.version(), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
  } catch (e) {
    throw new EngineUnavailableError(address, (e as Error).message);
  }
  const components = (version as unknown as { Components?: { Name: string }[] }).Components ?? [];
  const isPodman = components.some((c) => /podman/i.test(c.Name));
  // BuildKit through the API (POST /build?version=2) exists from API 1.39 in Docker; Podman's compatible API has none.
  const buildkit = !isPodman && compareApi(version.ApiVersion, '1.39') >= 0;
  return {
    docker,
    info: { name: isPodman ? 'podman' : 'docker', version: version.Version, apiVersion: version.ApiVersion, buildkit, address: address.description, os: version.Os, arch: version.Arch },
  };
}

function compareApi(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

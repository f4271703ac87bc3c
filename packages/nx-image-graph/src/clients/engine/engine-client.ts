import type { DockerVersion } from 'dockerode';
import { Docker } from './dockerode-loader';
import type { IncomingHttpHeaders } from 'node:http';
import { EngineAddress, engineAddress } from './engine-address';
import { plainEngine } from './plain-http';

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
  /** The engine's own platform (GET /version's Os and Arch); GET /_ping tells the OS only, and the arch is then asked for where needed. */
  os?: string;
  arch?: string;
}

/**
 * The engine as GET /_ping's headers describe it (Server: `Docker/20.10.24 (linux)` or
 * `Libpod/4.3.1 (linux)`, Api-Version, Ostype), or undefined for an engine they do not name.
 * A ping takes ~1 ms; GET /version makes dockerd run runc and docker-init for their versions (20–80 ms).
 */
export function engineFromPing(headers: IncomingHttpHeaders): Pick<EngineInfo, 'name' | 'version' | 'apiVersion' | 'os'> | undefined {
  const server = /^(Docker|Libpod)\/(\S+)/i.exec(String(headers.server ?? ''));
  const apiVersion = headers['api-version'];
  if (!server || typeof apiVersion !== 'string' || !/^\d+\.\d+$/.test(apiVersion)) return undefined;
  const ostype = headers.ostype;
  return {
    name: server[1].toLowerCase() === 'libpod' ? 'podman' : 'docker',
    version: server[2],
    apiVersion,
    ...(typeof ostype === 'string' && ostype ? { os: ostype } : {}),
  };
}

/** Connects and checks the engine answers within `timeoutMs`, or says where it looked and how to start one. */
export async function connectEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<{ docker: Docker; info: EngineInfo }> {
  const address = engineAddress(env);
  const docker = new Docker({ ...address.options, timeout: undefined });
  const plain = plainEngine(address, 1);
  if (plain) {
    let answer;
    try {
      answer = await plain.request('/_ping', timeoutMs);
    } catch (e) {
      throw new EngineUnavailableError(address, (e as Error).message);
    } finally {
      plain.close();
    }
    const pinged = answer.response.statusCode === 200 ? engineFromPing(answer.response.headers) : undefined;
    if (pinged) return { docker, info: { ...pinged, buildkit: hasBuildKit(pinged.name, pinged.apiVersion), address: address.description } };
  }
  // ssh://, a named pipe, or an engine the ping does not name: its /version says.
  let version: DockerVersion;
  try {
    version = await withTimeout(docker.version(), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
  } catch (e) {
    throw new EngineUnavailableError(address, (e as Error).message);
  }
  const components = (version as unknown as { Components?: { Name: string }[] }).Components ?? [];
  const isPodman = components.some((c) => /podman/i.test(c.Name));
  const name = isPodman ? 'podman' : 'docker';
  return {
    docker,
    info: {
      name,
      version: version.Version,
      apiVersion: version.ApiVersion,
      buildkit: hasBuildKit(name, version.ApiVersion),
      address: address.description,
      os: version.Os,
      arch: version.Arch,
    },
  };
}

/** BuildKit through the API (POST /build?version=2) exists from API 1.39 in Docker; Podman's compatible API has none. */
function hasBuildKit(name: string, apiVersion: string): boolean {
  return name !== 'podman' && compareApi(apiVersion, '1.39') >= 0;
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

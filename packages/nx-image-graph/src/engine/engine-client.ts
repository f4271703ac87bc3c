import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the engine is, as the user configured it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
export interface EngineAddress {
  description: string;
  options: Docker.DockerOptions;
}

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

export function engineAddress(env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const host = env.DOCKER_HOST?.trim();
  if (!host || host.startsWith('unix://')) {
    const socketPath = host ? host.slice('unix://'.length) : '/var/run/docker.sock';
    return { description: `unix://${socketPath}`, options: { socketPath } };
  }
  if (host.startsWith('npipe://')) return { description: host, options: { socketPath: host.slice('npipe://'.length) } };
  const url = new URL(host);
  if (url.protocol === 'ssh:') {
    return { description: host, options: { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined } };
  }
  const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const certPath = env.DOCKER_CERT_PATH;
  const options: Docker.DockerOptions = { host: url.hostname, port: url.port || (tls ? 2376 : 2375), protocol: tls ? 'https' : 'http' };
  if (tls && certPath) {
    options.ca = readFileSync(join(certPath, 'ca.pem'));
    options.cert = readFileSync(join(certPath, 'cert.pem'));
    options.key = readFileSync(join(certPath, 'key.pem'));
  }
  return { description: host, options };
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
  let version: Docker.DockerVersion;
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

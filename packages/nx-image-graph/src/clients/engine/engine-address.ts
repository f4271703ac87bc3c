import type Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the engine is, as the user configured it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
export interface EngineAddress {
  description: string;
  options: Docker.DockerOptions;
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
    return {
      description: host,
      options: { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined },
    };
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

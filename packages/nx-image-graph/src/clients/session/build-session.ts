import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HEALTH_SERVING, healthService, methodPaths } from './proto';

export interface SessionService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface BuildSession {
  /** Given to POST /build as `session`: BuildKit calls back over this session for credentials, secrets and ssh. */
  id: string;
  close(): void;
}

/**
 * The build session, as the docker CLI opens it: POST /session upgraded to h2c, on which the
 * engine is the gRPC client and we serve the given services. The methods are announced in
 * X-Docker-Expose-Session-Grpc-Method headers, so BuildKit knows what this session answers.
 */
export function openBuildSession(docker: Docker, services: SessionService[]): Promise<BuildSession> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        headers: {
          Upgrade: 'h2c',
          'X-Docker-Expose-Session-Uuid': id,
          'X-Docker-Expose-Session-Name': 'nx-image-graph',
          // Keys BuildKit's per-client caches of local sources; each build is its own client here.
          'X-Docker-Expose-Session-Sharedkey': randomBytes(16).toString('hex'),
          'X-Docker-Expose-Session-Grpc-Method': [...services.flatMap((s) => methodPaths(s.definition)), ...methodPaths(healthService)],
        },
        statusCodes: { 101: true, 200: true, 500: 'server error' },
      } as unknown as Parameters<Docker['modem']['dial']>[0],
      (err: Error | null, socket: unknown) => {
        if (err) return reject(new Error(`the engine refused a build session (POST /session): ${err.message}`));
        const sock = socket as Duplex;
        const server = new Server();
        for (const s of services) server.addService(s.definition, s.implementation);
        // Without a health answer BuildKit closes the session after its first check (a few seconds in).
        server.addService(healthService, {
          Check: (_call: unknown, callback: (e: null, r: object) => void) => callback(null, { status: HEALTH_SERVING }),
        });
        server.createConnectionInjector(ServerCredentials.createInsecure()).injectConnection(sock);
        // The engine closes the session when the build ends; an error then is not ours to report.
        sock.on('error', () => undefined);
        resolve({
          id,
          close() {
            server.forceShutdown();
            sock.destroy();
          },
        });
      },
    );
  });
}

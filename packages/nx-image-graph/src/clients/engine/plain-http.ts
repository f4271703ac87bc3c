import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { EngineAddress } from './engine-address';

/**
 * The engine over plain HTTP(S), for the few requests made before (or instead of) loading the
 * engine client. Undefined for what only the client reaches: ssh:// and Windows named pipes.
 */
export interface PlainEngine {
  request(path: string, timeoutMs: number): Promise<{ response: IncomingMessage; body: Buffer }>;
  close(): void;
}

export function plainEngine(address: EngineAddress, maxSockets = 8): PlainEngine | undefined {
  const o = address.options;
  if (o.protocol === 'ssh' || address.description.startsWith('npipe://')) return undefined;
  const https = o.protocol === 'https';
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets }) : new HttpAgent({ keepAlive: true, maxSockets });
  const target: RequestOptions = o.socketPath
    ? { socketPath: o.socketPath }
    : { host: o.host, port: Number(o.port), ...(https ? { ca: o.ca, cert: o.cert, key: o.key } : {}) };
  return {
    request: (path, timeoutMs) =>
      new Promise((resolve, reject) => {
        const req = (https ? httpsRequest : httpRequest)(
          { ...target, agent, method: 'GET', path, timeout: timeoutMs } as never,
          (response: IncomingMessage) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
            response.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

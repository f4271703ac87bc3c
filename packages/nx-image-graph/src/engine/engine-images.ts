import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { EngineAddress } from './engine-address';

/** An image as the engine inspects it: its id and platform. */
export interface InspectedImage {
  id: string;
  os?: string;
  arch?: string;
}

/**
 * The image each reference names in the engine (undefined: no such image), by `GET
 * /images/{ref}/json` over plain HTTP(S), several at once on kept-alive connections, without the
 * engine client (dockerode and gRPC take longer to load than the requests take). For checks made
 * after every run. Undefined as a whole when the engine is not reachable this way (ssh://, named
 * pipes) or does not answer, so the caller can use the full client and its errors.
 */
export async function inspectImages(address: EngineAddress, references: string[], timeoutMs = 3000): Promise<Map<string, InspectedImage | undefined> | undefined> {
  const o = address.options;
  if (o.protocol === 'ssh' || address.description.startsWith('npipe://')) return undefined;
  const https = o.protocol === 'https';
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 8 }) : new HttpAgent({ keepAlive: true, maxSockets: 8 });
  const target = o.socketPath ? { socketPath: o.socketPath } : { host: o.host, port: Number(o.port), ...(https ? { ca: o.ca, cert: o.cert, key: o.key } : {}) };
  const inspect = (ref: string) =>
    new Promise<InspectedImage | undefined | 'failed'>((resolve) => {
      const req = (https ? httpsRequest : httpRequest)({ ...target, agent, method: 'GET', path: `/images/${encodeURIComponent(ref)}/json`, timeout: timeoutMs } as never, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 404) return resolve(undefined);
          if (res.statusCode !== 200) return resolve('failed');
          try {
            const image = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Id: string; Os?: string; Architecture?: string };
            resolve({ id: image.Id, os: image.Os, arch: image.Architecture });
          } catch {
            resolve('failed');
          }
        });
        res.on('error', () => resolve('failed'));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve('failed'));
      req.end();
    });
  try {
    const unique = [...new Set(references)];
    const images = await Promise.all(unique.map(inspect));
    if (images.includes('failed')) return undefined;
    return new Map(unique.map((r, i) => [r, images[i] as InspectedImage | undefined]));
  } finally {
    agent.destroy();
  }
}

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A minimal server for Nx's self-hosted remote cache protocol (NX_SELF_HOSTED_REMOTE_CACHE_SERVER):
 * PUT /v1/cache/{hash} stores a task's artifact, GET returns it or 404. Loopback only; in memory.
 */
export class RemoteCacheServer {
  readonly entries = new Map<string, Buffer>();
  readonly requests: string[] = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<RemoteCacheServer> {
    const entries = new Map<string, Buffer>();
    const requests: string[] = [];
    const server = createServer((req, res) => {
      const m = /^\/v1\/cache\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
      requests.push(`${req.method} ${req.url}`);
      if (!m) return void res.writeHead(404).end();
      if (req.method === 'GET') {
        const body = entries.get(m[1]);
        if (!body) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
      }
      if (req.method === 'PUT') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          // Nx never overwrites an entry: a hash always means the same artifact.
          if (entries.has(m[1])) return void res.writeHead(409).end();
          entries.set(m[1], Buffer.concat(chunks));
          res.writeHead(200).end();
        });
        return;
      }
      res.writeHead(405).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const self = new RemoteCacheServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    // Share the maps the handler closes over.
    (self as { entries: Map<string, Buffer> }).entries = entries;
    (self as { requests: string[] }).requests = requests;
    return self;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

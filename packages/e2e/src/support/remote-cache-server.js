// A minimal server for Nx's self-hosted remote cache protocol (NX_SELF_HOSTED_REMOTE_CACHE_SERVER):
// PUT /v1/cache/{hash} stores a task's artifact as a file, GET returns it or 404. Loopback only.
// Run as its own process (node remote-cache-server.js DIR): tests block on nx with spawnSync,
// so a server in the test's own event loop would never answer.
'use strict';
const { createServer } = require('node:http');
const { existsSync, readFileSync, writeFileSync, appendFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.argv[2];
const server = createServer((req, res) => {
  appendFileSync(join(dir, 'requests.log'), `${req.method} ${req.url}\n`);
  const m = /^\/v1\/cache\/([A-Za-z0-9_-]+)$/.exec(req.url || '');
  if (!m) return void res.writeHead(404).end();
  const file = join(dir, `${m[1]}.artifact`);
  if (req.method === 'GET') {
    if (!existsSync(file)) return void res.writeHead(404).end();
    const body = readFileSync(file);
    return void res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
  }
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      // A hash always means the same artifact: never overwrite.
      if (existsSync(file)) return void res.writeHead(409).end();
      writeFileSync(file, Buffer.concat(chunks));
      res.writeHead(200).end();
    });
    return;
  }
  res.writeHead(405).end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

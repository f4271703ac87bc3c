#!/usr/bin/env node
// Prints the local engine's image id for each reference given: an Nx runtime input, so that a
// new upstream base image invalidates the builds on it. It never fails (Nx would stop hashing):
// an absent image or engine prints a marker instead. Plain http, no dependencies: it runs on every
// hash of a task that uses an external base, and must start fast.
'use strict';
const http = require('node:http');

const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
const target = host.startsWith('unix://')
  ? { socketPath: host.slice('unix://'.length) }
  : host.startsWith('tcp://') && !process.env.DOCKER_TLS_VERIFY
    ? { host: new URL(host).hostname, port: new URL(host).port || 2375 }
    : undefined;

function inspect(ref) {
  return new Promise((resolve) => {
    if (!target) return resolve(`${ref}=engine-not-hashed`);
    const req = http.get({ ...target, path: `/images/${encodeURIComponent(ref)}/json`, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        if (res.statusCode === 404) return resolve(`${ref}=absent`);
        try {
          resolve(`${ref}=${JSON.parse(body).Id}`);
        } catch {
          resolve(`${ref}=unreadable`);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(`${ref}=engine-unavailable`));
  });
}

Promise.all(process.argv.slice(2).map(inspect)).then((lines) => process.stdout.write(lines.join('\n') + '\n'));

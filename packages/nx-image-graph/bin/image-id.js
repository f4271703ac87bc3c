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

// --platform=os/arch: the build of one platform of a multi-platform image. The engine's store holds
// one image per tag, so a base of another platform is not there: BuildKit pulls it by reference at
// build time, and its id is not hashed (the output says so); the platform itself is.
const platformArg = process.argv.slice(2).find((a) => a.startsWith('--platform='));
const platform = platformArg && platformArg.slice('--platform='.length);
const samePlatform = (img) => {
  const [os, arch] = platform.split('/');
  return img.Os === os && img.Architecture === arch;
};

function inspect(ref) {
  return new Promise((resolve) => {
    if (!target) return resolve(`${ref}=engine-not-hashed`);
    const req = http.get({ ...target, path: `/images/${encodeURIComponent(ref)}/json`, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        if (res.statusCode === 404) return resolve(`${ref}=absent`);
        try {
          const img = JSON.parse(body);
          resolve(platform && !samePlatform(img) ? `${ref}=not-local-for-${platform}` : `${ref}=${img.Id}`);
        } catch {
          resolve(`${ref}=unreadable`);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(`${ref}=engine-unavailable`));
  });
}

// A base pinned in images.lock.json (Nx runs this in the workspace root) is hashed by its lock
// entry, a JSON field input of the same build: the build runs on the locked image, whatever the
// tag in the engine points at now.
function lockedReferences() {
  try {
    const lock = JSON.parse(require('node:fs').readFileSync('images.lock.json', 'utf8'));
    return new Set(Object.values((lock && lock.bases) || {}).map((e) => e && e.reference));
  } catch {
    return new Set();
  }
}
const locked = lockedReferences();

const refs = process.argv.slice(2).filter((a) => !a.startsWith('--platform='));
Promise.all(refs.map((ref) => (locked.has(ref) ? `${ref}=locked` : inspect(ref)))).then((lines) => process.stdout.write([...(platform ? [`platform=${platform}`] : []), ...lines].join('\n') + '\n'));

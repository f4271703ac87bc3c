#!/usr/bin/env node
// An Nx runtime input for a build secret marked "hashValue": prints `ID=sha256:<digest>` of its
// value (or `ID=absent`), so a changed value changes the task hash. Never the value: Nx hashes
// this output, and the value stays out of the cache key, the cache and every log.
// Usage: secret-digest.js ID env VAR | secret-digest.js ID file PATH
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');
// The one definition of the digest, shared with the build's inputs label.
const { secretValueDigest } = require('../dist/clients/session/secret-digest');

const [id, kind, where] = process.argv.slice(2);
let value;
if (kind === 'env') value = process.env[where];
else if (kind === 'file') {
  const path = where === '~' || where.startsWith('~/') ? join(process.env.HOME || homedir(), where.slice(1)) : where;
  if (existsSync(path)) value = readFileSync(path);
}
process.stdout.write(`${id}=${secretValueDigest(value)}\n`);

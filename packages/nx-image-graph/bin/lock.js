#!/usr/bin/env node
// nx-image-graph-lock: writes or updates images.lock.json (the external bases pinned by digest); --check fails when one moved.
'use strict';
require('../dist/cli/lock-cli')
  .main(process.argv.slice(2))
  // Exits itself: a daemon connection would otherwise keep the process alive.
  .then((code) => process.exit(code));

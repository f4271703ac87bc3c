#!/usr/bin/env node
// nx-image-graph-plan: the image builds a run would touch, their cache status and why each rebuilds.
'use strict';
require('../dist/cli/plan-cli')
  .main(process.argv.slice(2))
  // Exits itself: a daemon connection would otherwise keep the process alive.
  .then((code) => process.exit(code));

#!/usr/bin/env node
// nx-image-graph-build: the command of every inferred docker-build target (Nx runs it as the task;
// see dist/cli/build-cli.js). Exits itself once its output is out: a keep-alive socket to the
// engine would otherwise hold the process open.
'use strict';
require('../dist/cli/build-cli')
  .main(process.argv.slice(2))
  .catch((e) => {
    process.stderr.write(`\n✖ nx-image-graph-build: ${process.env.NX_VERBOSE_LOGGING === 'true' ? e.stack : e.message}\n`);
    return 1;
  })
  .then((code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code))));

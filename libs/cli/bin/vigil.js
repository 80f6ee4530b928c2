#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry point that registers tsx first */
// Runs the TypeScript sources directly (no build step), like the rest of the monorepo: tsx compiles on load.
require('tsx/cjs');
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the prepare script).
require('../dist/src/cli.js').main(process.argv);

#!/usr/bin/env node
// `npm ci` runs this: it compiles TypeScript to dist/ so that `npx xinfang` and `npm start` work
// right after install. A production install (--omit=dev) has no compiler and a prebuilt dist/,
// so it skips the build there.
const { execFileSync } = require('node:child_process');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.log('prepare: typescript not installed (production install), using the prebuilt dist/');
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

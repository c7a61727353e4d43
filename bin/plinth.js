#!/usr/bin/env node
// The plinth command: runs the compiled bundle in dist/ (built by `npm run build`; npm runs it on `npm ci`,
// `npm pack` and installs from git).
import module from 'node:module';
import { existsSync } from 'node:fs';

// Node >= 22.1 keeps V8's compiled code on disk between runs (most of a cold start is compiling aws-cdk-lib).
module.enableCompileCache?.();

// In a git checkout (src/ is not shipped in the package) rebuild first when a source file is newer than the
// bundle, so `npx plinth` always runs the code in front of you.
const buildScript = new URL('../scripts/build.mjs', import.meta.url);
if (existsSync(buildScript) && existsSync(new URL('../src', import.meta.url))) {
  const build = await import(buildScript.href);
  if (build.isStale()) await build.buildJs();
}
if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  process.stderr.write('plinth: dist/cli.js is missing; this copy of plinth was not built. Run "npm run build" in its directory.\n');
  process.exit(1);
}
await import('../dist/cli.js');

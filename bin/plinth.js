#!/usr/bin/env node
// The plinth command: runs the compiled bundle in dist/ (built by `npm run build`; npm runs it on `npm ci`,
// `npm pack` and installs from git).
import module from 'node:module';
import v8 from 'node:v8';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// No TurboFan: V8's optimizing compiler works on background threads for functions that turn hot, and a plinth
// command is a batch that runs most of its code once or a few times, so that work costs more CPU than the
// optimized code gives back. Measured side by side (BENCHMARKS.md "Start-up"): synth of nemo-v3 -12 % CPU,
// of the 500-app scale spec -11 % CPU and -17 % wall time; the output is the same (an optimizing tier
// changes speed, never results). Set before any plinth code has run, so no optimization is under way; V8
// reads the flag each time it decides whether to optimize. PLINTH_TURBOFAN=1 keeps it on.
if (process.env.PLINTH_TURBOFAN !== '1') v8.setFlagsFromString('--no-turbofan');

// Node >= 22.1 keeps V8's compiled code on disk between runs (most of a cold start is compiling aws-cdk-lib).
// After the flag: V8 tags code caches with its flags, so each setting keeps its own cache directory.
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
useVendorBundles();
await import('../dist/cli.js');

/**
 * Node >= 22.15: `require` of a package bundled whole into dist/vendor (cdk-nag, zod, yaml, cdk8s; see VENDORED in
 * scripts/build.mjs) loads its one-file bundle instead of its hundreds of files, but only where the name resolves to
 * the very copy plinth itself uses (a dependency's own nested copy of yaml, say, stays untouched) and that copy is
 * the version bundled (after an `npm install` of another version, the installed one loads). Same code, fewer
 * files: the output does not change. Older Node loads the packages as they are, and so does Node 24, where
 * `require.resolve` runs the resolve hooks too (lib/internal/modules/helpers.js: `resolveForCJSWithHooks` with
 * `shouldSkipModuleHooks: false`; Node 22 resolves without them): there a bundle would also answer
 * `require.resolve`, and plinth's manifest check reads each kind's `.d.ts` beside the file that names
 * (src/k8s/validate.ts). The hook finds out which Node it runs on by resolving one file itself.
 *
 * The same hook remembers what each `require` resolved to, by the requiring file's directory and the specifier.
 * Node keeps such a cache itself (`relativeResolveCache` in lib/internal/modules/cjs/loader.js, same key), but
 * fills it only when the require loads the module for the first time: the next require of an already loaded
 * module from another directory (each `require("aws-cdk-lib")` in the cdk-nag bundle, most of aws-cdk-lib's
 * lazy cross-module requires) resolves again, and resolving `aws-cdk-lib` or a subpath re-reads its ~300-entry
 * `exports` map each time. Half of synth's 1,700 resolutions were such repeats (BENCHMARKS.md "Start-up").
 */
function useVendorBundles() {
  const index = new URL('../dist/vendor/vendor.json', import.meta.url);
  if (typeof module.registerHooks !== 'function' || !existsSync(index)) return;
  const bundles = JSON.parse(readFileSync(index, 'utf8'));
  const plinthRequire = module.createRequire(new URL('../dist/cli.js', import.meta.url));
  /** specifier → the URL plinth's own require resolves it to, when the installed version is the one bundled. */
  const bundledCopy = new Map();
  /** "directory of the requiring file, conditions, specifier" → the result of resolving it for require. */
  const resolvedForRequire = new Map();
  let probing = false;
  let requireResolveIsHooked = false;
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (probing) requireResolveIsHooked = true;
      const forRequire = context.conditions?.includes('require') && context.parentURL?.startsWith('file:');
      const key = forRequire ? `${context.parentURL.slice(0, context.parentURL.lastIndexOf('/'))}\0${context.conditions.join()}\0${specifier}` : undefined;
      const known = key === undefined ? undefined : resolvedForRequire.get(key);
      if (known) return known;
      const resolved = resolveVendored(specifier, context, nextResolve);
      if (key !== undefined && resolved.url.startsWith('file:')) resolvedForRequire.set(key, { ...resolved, shortCircuit: true });
      return resolved;
    },
  });
  probing = true;
  plinthRequire.resolve('./cli.js');
  probing = false;

  function resolveVendored(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (requireResolveIsHooked || !Object.hasOwn(bundles, specifier) || !context.conditions?.includes('require')) return resolved;
    const bundle = bundles[specifier];
    if (!bundledCopy.has(specifier)) {
      // No bundle while this very lookup runs, should it come back through these hooks.
      bundledCopy.set(specifier, undefined);
      const file = plinthRequire.resolve(specifier);
      bundledCopy.set(specifier, installedVersion(file, bundle.package) === bundle.version ? pathToFileURL(file).href : undefined);
    }
    if (resolved.url !== bundledCopy.get(specifier)) return resolved;
    return { url: new URL(`../dist/vendor/${bundle.file}`, import.meta.url).href, format: 'commonjs', shortCircuit: true };
  }
}

/** The version in the package.json of package NAME that holds FILE. */
function installedVersion(file, name) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
    if (parsed.name === name) return parsed.version;
  }
  return undefined;
}

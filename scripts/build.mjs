#!/usr/bin/env node
/**
 * Builds the package: an esbuild bundle of src (dist/cli.js for the `plinth` command, dist/index.js for
 * `import { definePlatform } from 'plinth'`) and, unless --js-only, type declarations (dist/types).
 *
 * Why a bundle rather than tsx or tsc output (measured in BENCHMARKS.md "Start-up"): tsx pays a loader round
 * trip per module, and Node's ESM loader, asked to `import` a CommonJS package, pre-parses its exports and so
 * loads aws-cdk-lib's lazily-required service modules too (978 files instead of 462). The bundle therefore keeps
 * every package external and reaches CommonJS packages through `require`; ESM-only packages stay `import`s.
 * Code splitting keeps each command's dependencies in its own chunk, loaded when the command runs.
 *
 * Pure Node + esbuild, so `npm ci` (which runs `prepare`) needs no TypeScript loader to build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built-from-src');
const ENTRIES = { cli: 'src/cli/main.ts', index: 'src/index.ts' };
const rootRequire = createRequire(join(ROOT, 'package.json'));

/** True when a bare import resolves (for `require`) to a CommonJS file. */
function isCommonJs(specifier, resolveDir) {
  let file;
  try {
    file = createRequire(join(resolveDir, 'x.js')).resolve(specifier);
  } catch {
    return false;
  }
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
  }
  return true;
}

/** Every bare import stays external; CommonJS ones become a `require` (see the header). */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      // A dynamic import() of a bundled CommonJS module would yield only `default` (esbuild's split chunks
      // carry no named exports for it), so those stay native imports with Node's own interop.
      if (args.path.startsWith('node:') || args.namespace === 'cjs-require' || args.kind === 'dynamic-import') return { path: args.path, external: true };
      if (isCommonJs(args.path, args.resolveDir)) return { path: args.path, namespace: 'cjs-require' };
      return { path: args.path, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: 'cjs-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * CommonJS packages that synth loads file by file, bundled whole into dist/vendor/ (one file each). Node's
 * CommonJS loader pays per file (resolve, stat, read package.json, wrap, compile): cdk-nag's 270 files cost
 * ~0.35 s of CPU to load and its bundle ~0.15 s; zod, yaml, cdk8s and cdk8s-plus-33 (305 files) ~0.49 s and
 * ~0.19 s. bin/plinth.js sends `require` of these names to the bundles (module.registerHooks, Node >= 22.15),
 * and only when the name resolves to the very package the bundle was made from; on older Node the packages
 * load as they are. aws-cdk-lib and constructs stay outside (one copy, shared with every construct library),
 * as does each vendored package inside another's bundle (cdk8s-plus-33 uses the one cdk8s).
 */
export const VENDORED = ['cdk-nag', 'zod', 'yaml', 'cdk8s', 'cdk8s-plus-33'];
/**
 * The kubernetes-models kinds the manifest check requires one by one (src/k8s/validate.ts): one bundle holds all
 * of them, each initialised only when its kind is first required (esbuild keeps bundled CommonJS modules lazy),
 * reached through a one-line file per kind. ~190 files of schemas and ajv helpers become one.
 */
const MODEL_MODULES = JSON.parse(readFileSync(join(ROOT, 'src', 'k8s', 'model-modules.json'), 'utf8'));
const VENDOR_EXTERNAL = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', ...VENDORED];

/**
 * cdk-nag's rules test each construct with `node instanceof aws_<service>_1.Cfn<Type>`: 105 L1 classes of 54
 * aws-cdk-lib service modules. aws-cdk-lib loads a service's generated L1 file on the first access to one of its
 * classes (its index.js defines a getter per export), so those tests alone made synth load 13.7 MB of modules a
 * platform never creates (aws-quicksight's is 5.3 MB): ~0.45 s of CPU (measured in BENCHMARKS.md "Start-up").
 * Each such test becomes `(node?.cfnResourceType === "AWS::<Service>::<Type>" && node instanceof …)`. Exact, not
 * a shortcut: an instance of an L1 class always has that type, because its constructor passes
 * `type: Cfn<Type>.CFN_RESOURCE_TYPE_NAME` to CfnResource, which stores it in `cfnResourceType` (aws-cdk-lib
 * core/lib/cfn-resource.ts, and every `*.generated.ts`); the `instanceof` still decides, it is just only reached
 * (and the module only loaded) for constructs of that type. A class without a CloudFormation type is left alone.
 */
export function guardCfnInstanceof(contents, requireFrom) {
  const modules = new Map();
  for (const [, binding, specifier] of contents.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*require\("(aws-cdk-lib\/[\w-]+)"\)/g)) modules.set(binding, specifier);
  return contents.replace(/(?<![\w$.])([A-Za-z_$][\w$]*) instanceof ([\w$]+)\.(Cfn\w+)\b(?![\w$.([])/g, (test, value, binding, member) => {
    const specifier = modules.get(binding);
    const type = specifier === undefined ? undefined : requireFrom(specifier)[member]?.CFN_RESOURCE_TYPE_NAME;
    return typeof type === 'string' ? `(${value}?.cfnResourceType === ${JSON.stringify(type)} && ${test})` : test;
  });
}

/**
 * A bundled module that reads `__filename` / `__dirname` (cdk-nag names each rule after its file; cdk8s finds a
 * helper script beside itself) gets the path the file has in its package, found at run time. cdk-nag's files
 * also get guardCfnInstanceof.
 */
const vendorPaths = {
  name: 'vendor-paths',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      const inPackage = args.path.slice(args.path.lastIndexOf(`${sep}node_modules${sep}`) + 14).split(sep);
      const name = inPackage[0].startsWith('@') ? inPackage.slice(0, 2).join('/') : inPackage[0];
      const contents = name === 'cdk-nag' ? guardCfnInstanceof(original, createRequire(args.path)) : original;
      if (!/\b__(?:file|dir)name\b/.test(contents)) return contents === original ? undefined : { contents, loader: 'js' };
      const file = inPackage.slice(name.split('/').length).join('/');
      const header = `var __filename = __plinthPackageFile(${JSON.stringify(name)}, ${JSON.stringify(file)}), __dirname = require("node:path").dirname(__filename);\n`;
      return { contents: header + contents, loader: 'js' };
    });
  },
};

const VENDOR_BANNER = `var __plinthPackageDirs = new Map();
function __plinthPackageFile(name, file) {
  if (!__plinthPackageDirs.has(name)) __plinthPackageDirs.set(name, require("node:path").dirname(require.resolve(name + "/package.json")));
  return require("node:path").join(__plinthPackageDirs.get(name), file);
}`;

/** The package a bare specifier names (`@scope/name` or `name`) and its installed version. */
function packageOf(specifier) {
  const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  const file = rootRequire.resolve(specifier);
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
    if (parsed.name === name) return { package: name, version: parsed.version };
  }
  throw new Error(`cannot find the package.json of ${specifier}`);
}

/**
 * dist/vendor/<name>.cjs for each VENDORED package, and vendor.json: for each specifier, its bundle and the
 * package version bundled (bin/plinth.js uses a bundle only while that version is the one installed).
 */
async function buildVendor(esbuild, outputs) {
  const names = {};
  await Promise.all(VENDORED.map(async (name) => {
    const file = `${name.replace(/\W+/g, '-')}.cjs`;
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, loader: 'js' },
      outfile: join(DIST, 'vendor', file),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: VENDOR_EXTERNAL.filter((e) => e !== name),
      plugins: [vendorPaths],
      // Where a file of a bundled package is on disk (resolved once per package, at run time).
      banner: { js: VENDOR_BANNER },
      write: false,
      logLevel: 'warning',
    });
    outputs.push(...result.outputFiles);
    names[name] = { file, ...packageOf(name) };
  }));
  const models = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: { contents: `module.exports = {\n${MODEL_MODULES.map((m) => `  get ${JSON.stringify(m)}() { return require(${JSON.stringify(m)}); },`).join('\n')}\n};`, resolveDir: ROOT, loader: 'js' },
    outfile: join(DIST, 'vendor', 'kubernetes-models.cjs'),
    bundle: true,
    // ajv-formats-draft2019 requires Node's punycode, which warns (DEP0040) when required from outside
    // node_modules, as a bundle in dist/ is: the registry's punycode package is the same code.
    alias: { punycode: 'punycode/' },
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [vendorPaths],
    banner: { js: VENDOR_BANNER },
    write: false,
    logLevel: 'warning',
  });
  outputs.push(...models.outputFiles);
  for (const module of MODEL_MODULES) {
    const file = `kubernetes-models-${module.replace(/\W+/g, '-')}.cjs`;
    outputs.push({ path: join(DIST, 'vendor', file), contents: Buffer.from(`module.exports = require('./kubernetes-models.cjs')[${JSON.stringify(module)}];\n`) });
    names[module] = { file, ...packageOf(module) };
  }
  outputs.push({ path: join(DIST, 'vendor', 'vendor.json'), contents: Buffer.from(`${JSON.stringify(names, null, 2)}\n`) });
}

/** The newest modification time of any file under src (what the bundle is built from). */
export function newestSourceMtime(dir = join(ROOT, 'src')) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist is missing or older than a file in src (a git checkout after an edit or a pull). */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  return newestSourceMtime() > statSync(STAMP).mtimeMs;
}

/**
 * Bundles src into dist. Files are written beside their final name and renamed into place, so a CLI
 * started while another process rebuilds reads either the old or the new entry, never half of one.
 */
export async function buildJs({ clean = false } = {}) {
  const esbuild = rootRequire('esbuild');
  const startedAt = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    // esbuild's require shim calls the module's own `require` when one exists: give every chunk one.
    banner: { js: "import { createRequire as __plinthCreateRequire } from 'node:module';\nconst require = __plinthCreateRequire(import.meta.url);" },
    plugins: [externalPackages],
    write: false,
    logLevel: 'warning',
  });
  const outputs = [...result.outputFiles];
  await buildVendor(esbuild, outputs);
  if (clean) rmSync(DIST, { recursive: true, force: true, maxRetries: 3 });
  for (const file of outputs) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // The stamp records when the sources were read, so an edit made during the build still counts as newer.
  writeFileSync(STAMP, '');
  const stampTime = new Date(startedAt);
  utimesSync(STAMP, stampTime, stampTime);
  return outputs.length;
}

/** Declarations for `exports["."].types`, from src/index.ts and what it reaches. */
export function buildTypes() {
  const tsc = join(dirname(rootRequire.resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const jsOnly = process.argv.includes('--js-only');
  const started = performance.now();
  const files = await buildJs({ clean: true });
  if (!jsOnly) buildTypes();
  const took = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`plinth: built ${relative(process.cwd(), DIST) || '.'} (${files} files${jsOnly ? '' : ' + types'}) in ${took} s\n`);
}


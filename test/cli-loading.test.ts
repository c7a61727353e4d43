/**
 * Start-up matches the work (issue 12): each command loads only the packages it uses. The compiled CLI runs
 * with a preloaded hook that lists every file loaded through require (all of plinth's heavy dependencies are
 * CommonJS and reached through require).
 */
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelModules } from '../src/k8s/validate.js';
import { runPlinth, temporaryDirs } from './cli-support.js';
import { ROOT } from './support.js';

/** module.registerHooks (Node >= 22.15) lets bin/plinth.js load the bundles of dist/vendor. */
const vendorBundlesUsed = typeof (module as { registerHooks?: unknown }).registerHooks === 'function';

/** Fresh directories, removed after this file's tests. */
const temporaryDir = temporaryDirs();

interface Loaded {
  /** Files loaded from each package (by node_modules directory). */
  readonly packages: Map<string, number>;
  readonly files: readonly string[];
  /** Each resolution Node's CommonJS loader did: the requiring file's directory and the specifier. */
  readonly resolutions: readonly (readonly [string, string])[];
}

async function modulesLoaded(args: readonly string[]): Promise<Loaded> {
  const dir = temporaryDir('plinth-loading-');
  const list = join(dir, 'loaded.json');
  const resolved = join(dir, 'resolved.json');
  const r = await runPlinth(args, {
    env: { ...process.env, NODE_OPTIONS: `--require "${join(ROOT, 'test', 'loaded-modules.cjs')}"`, PLINTH_LOADED_MODULES: list, PLINTH_RESOLVED_MODULES: resolved },
    timeoutMs: 300_000,
  });
  expect(r.code, r.stderr).toBe(0);
  const files = JSON.parse(readFileSync(list, 'utf8')) as string[];
  const packages = new Map<string, number>();
  for (const file of files) {
    const name = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (name) packages.set(name, (packages.get(name) ?? 0) + 1);
  }
  return { packages, files, resolutions: JSON.parse(readFileSync(resolved, 'utf8')) as [string, string][] };
}

async function packagesLoaded(args: readonly string[]): Promise<Map<string, number>> {
  return (await modulesLoaded(args)).packages;
}

describe('what each command loads', () => {
  it('validate loads neither aws-cdk-lib, cdk-nag, kubernetes-models nor the diagram stack', async () => {
    const { packages, files } = await modulesLoaded(['validate', 'examples/nemo-v3', '--env', 'prod']);
    for (const heavy of ['aws-cdk-lib', 'cdk-nag', 'kubernetes-models', 'cdk8s', '@viz-js/viz', '@resvg/resvg-js']) expect(packages.has(heavy), heavy).toBe(false);
    for (const heavy of ['cdk-nag', 'kubernetes-models', 'cdk8s']) expect(files.filter((f) => f.endsWith(`/dist/vendor/${heavy}.cjs`)), heavy).toEqual([]);
    expect(files.some((f) => /\/node_modules\/zod\/|\/dist\/vendor\/zod\.cjs$/.test(f))).toBe(true);
  }, 300_000);

  it('verify, cost and diagram of a spec synthesize without cdk-nag and without the manifest schemas', async () => {
    for (const command of [['verify'], ['cost'], ['diagram', '--format', 'dot']]) {
      const loaded = await packagesLoaded([command[0]!, 'examples/nemo-v3', ...command.slice(1)]);
      expect(loaded.has('aws-cdk-lib'), command[0]).toBe(true);
      expect(loaded.has('cdk-nag'), command[0]).toBe(false);
      expect(loaded.has('kubernetes-models'), command[0]).toBe(false);
      expect(loaded.has('@kubernetes-models/argo-cd'), command[0]).toBe(false);
    }
  }, 600_000);

  it('synth checks manifests with the model of each rendered kind only, never a whole API group', async () => {
    const dir = temporaryDir('plinth-loading-synth-');
    const { packages, files, resolutions } = await modulesLoaded(['synth', 'examples/nemo-v3', '--out', join(dir, 'out')]);
    // A group index (kubernetes-models/v1/index.js) loads every kind of its group: 621 files for plinth's seven groups.
    expect(files.filter((f) => /node_modules\/kubernetes-models\/(?:[^/]+\/)?v\d\w*\/index\.js$/.test(f))).toEqual([]);
    expect(packages.get('kubernetes-models') ?? 0).toBeLessThan(300);
    if (vendorBundlesUsed) {
      // Node >= 22.15: the vendor bundles in dist/vendor stand in for the packages' files (bin/plinth.js).
      for (const bundle of ['cdk-nag', 'zod', 'yaml', 'cdk8s', 'kubernetes-models']) expect(files).toContainEqual(expect.stringMatching(new RegExp(`/dist/vendor/${bundle}\\.cjs$`)));
      for (const name of ['cdk-nag', 'zod', 'yaml', 'cdk8s', 'kubernetes-models']) expect(packages.has(name), name).toBe(false);
      expect(files.length).toBeLessThan(900);
      // cdk-nag's rules test for L1 classes of ~50 services; only the services the platform creates load
      // (scripts/build.mjs guardCfnInstanceof). aws-quicksight's alone is 5.3 MB.
      expect(files.filter((f) => /aws-cdk-lib\/aws-(?:quicksight|sagemaker|glue|lex|cognito|redshift|opensearchservice)\/lib\//.test(f))).toEqual([]);
      // bin/plinth.js resolves each specifier once per requiring directory (Node alone re-resolves a module
      // loaded before from elsewhere: 277 times `aws-cdk-lib…` from the cdk-nag bundle).
      const fromVendor = resolutions.filter(([dir, request]) => dir.endsWith('/dist/vendor') && request.startsWith('aws-cdk-lib')).map(([, request]) => request);
      expect(fromVendor.length).toBeGreaterThan(0);
      expect(fromVendor).toEqual([...new Set(fromVendor)]);
    } else {
      expect(packages.has('cdk-nag')).toBe(true);
      expect(files).toContainEqual(expect.stringMatching(/node_modules\/kubernetes-models\/apps\/v1\/Deployment\.js$/));
    }
  }, 300_000);

  it('the kinds bundled for the manifest check are the kinds it checks', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'src', 'k8s', 'model-modules.json'), 'utf8'))).toEqual(modelModules());
  });
});

/** Helpers for the cost tests: synthesized examples (once per worker), the Seoul table, P(key). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPriceTable } from '../../src/analyse/cost/prices.js';
import type { Estimate, ResourceCost } from '../../src/analyse/cost/types.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { planFromYaml, ROOT } from '../support.js';
import { readFileSync } from 'node:fs';

/** "Today" for every cost test: table age and EKS support windows must not drift with the clock. */
export const NOW = new Date('2026-11-21T00:00:00Z');

export const SEOUL = loadPriceTable('ap-northeast-2');

/** A unit price from the Seoul table, failing loudly if the key is not there. */
export function P(key: string): number {
  const entry = SEOUL.prices[key];
  if (!entry) throw new Error(`test uses ${key}, which the ap-northeast-2 table does not price`);
  return entry.usd;
}

const cache = new Map<string, string>();

/** Synthesizes a bundled example (or a spec file under test/cost/fixtures) into a temporary assembly. */
export function assemblyOf(name: string): string {
  const cached = cache.get(name);
  if (cached) return cached;
  if (!name.startsWith('fixtures/')) return exampleAssembly(name);
  const outdir = mkdtempSync(join(tmpdir(), `plinth-cost-${name.replace(/\W/g, '-')}-`));
  const plan = planFromYaml(readFileSync(join(ROOT, 'test', 'cost', name, 'plinth.yaml'), 'utf8'), join(ROOT, 'test', 'cost', name));
  synthesizePlatform(plan, { outdir });
  cache.set(name, outdir);
  return outdir;
}

/** Writes a template into a fresh directory and returns the file path. */
export function templateFile(resources: Record<string, unknown>, outputs: Record<string, unknown> = {}, name = 'Stack'): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-cost-tpl-'));
  const file = join(dir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify({ Resources: resources, Outputs: outputs }));
  return file;
}

export function resource(e: Estimate, address: string): ResourceCost {
  const r = e.resources.find((x) => x.address === address || x.address.endsWith(`/${address}`));
  if (!r) throw new Error(`no resource ${address} in the estimate: ${e.resources.map((x) => x.address).join(', ')}`);
  return r;
}

export function monthlyOf(r: ResourceCost, profile: 'low' | 'base' | 'high' = 'base'): number {
  return r.components.reduce((s, c) => s + (c.monthly?.[profile] ?? 0), 0);
}

/**
 * Test support for the cluster stack: a bundled example synthesized through app.ts (cdk-nag off, the
 * examples test covers it), its templates, and readers for what the cluster tests look at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { buildPlatformApp, type PlatformStacks } from '../../src/aws/app.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan } from '../support.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
}

export interface SynthesizedPlatform {
  readonly plan: Plan;
  readonly stacks: PlatformStacks;
  readonly templates: Readonly<Record<'network' | 'data' | 'cluster' | 'compute', Template>>;
}

export function synthExample(name: string): SynthesizedPlatform {
  return synthPlan(examplePlan(name));
}

export function synthPlan(plan: Plan): SynthesizedPlatform {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-cluster-test-'));
  outdirs.push(outdir);
  const stacks = buildPlatformApp(plan, { outdir, nag: false });
  const cache = new Map<string, Template>();
  const template = (id: string, s: Stack | undefined) => () => {
    if (!s) throw new Error(`the platform has no ${id} stack`);
    if (!cache.has(id)) cache.set(id, Template.fromStack(s));
    return cache.get(id)!;
  };
  const templates = {} as Record<'network' | 'data' | 'cluster' | 'compute', Template>;
  for (const [id, s] of Object.entries({ network: stacks.network, data: stacks.data, cluster: stacks.cluster, compute: stacks.compute })) {
    // Read on first use: a platform without hosts has no compute stack.
    Object.defineProperty(templates, id, { get: template(id, s), enumerable: s !== undefined });
  }
  return { plan, stacks, templates };
}

export function resources(template: Template, type?: string): [string, Resource][] {
  const all = template.toJSON().Resources as Record<string, Resource>;
  return Object.entries(all).filter(([, r]) => type === undefined || r.Type === type);
}

/** The one resource of a type whose properties contain `match` (shallow key/value equality). */
export function only(template: Template, type: string, match: Record<string, unknown> = {}): [string, Resource] {
  const found = resources(template, type).filter(([, r]) => Object.entries(match).every(([k, v]) => JSON.stringify(r.Properties?.[k]) === JSON.stringify(v)));
  if (found.length !== 1) throw new Error(`expected one ${type} with ${JSON.stringify(match)}, found ${found.length}`);
  return found[0]!;
}

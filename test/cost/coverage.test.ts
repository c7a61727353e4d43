/**
 * Coverage: every resource type plinth synthesizes, in every bundled example and in a spec that
 * uses every section, is priced by a rule or free by rule. A new type fails here until someone
 * decides how it is billed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatePaths, knownTypes } from '../../src/analyse/cost/index.js';
import { listExamples } from '../../src/cli/examples.js';
import { assemblyOf, NOW } from './support.js';

const INPUTS = [...listExamples(), 'fixtures/kitchen-sink'];

function typesIn(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  return Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack').flatMap((a) => {
    const t = JSON.parse(readFileSync(join(outdir, a.properties!.templateFile!), 'utf8')) as { Resources: Record<string, { Type: string }> };
    return Object.values(t.Resources).map((r) => r.Type);
  });
}

describe.each(INPUTS)('%s', (name) => {
  const outdir = assemblyOf(name);
  const e = estimatePaths([outdir], { now: NOW });

  it('classifies every synthesized resource type (priced, free, or unpriced with a reason)', () => {
    const known = new Set(knownTypes());
    const unknown = [...new Set(typesIn(outdir))].filter((t) => !known.has(t) && !t.startsWith('Custom::'));
    expect(unknown, `no cost rule and not listed free: ${unknown.join(', ')}`).toEqual([]);
  });

  it('drops no resource', () => {
    expect(e.resources.filter((r) => !r.address.startsWith('k8s/'))).toHaveLength(typesIn(outdir).length);
    for (const r of e.resources) {
      if (r.classification !== 'priced') expect(r.reason, r.address).toBeTruthy();
    }
  });

  it('puts every unpriced line in the unpriced list', () => {
    const lines = e.resources.flatMap((r) => r.components.filter((c) => !c.monthly).map(() => r.address));
    expect(e.unpriced.map((u) => u.address).sort()).toEqual(lines.sort());
  });
});

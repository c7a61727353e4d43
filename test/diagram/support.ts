/** Synthesized examples for the diagram tests: each synthesized once per run, shared with other test files. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { readDiagramInput } from '../../src/analyse/diagram/draw.js';
import type { DiagramInput } from '../../src/analyse/diagram/model/input.js';
import type { Diagram, DiagramEdge, DiagramNode } from '../../src/analyse/diagram/types.js';
import type { Plan } from '../../src/plan/types.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { examplePlan } from '../support.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cache = new Map<string, { dir: string; plan: Plan }>();

/** An example's cloud assembly, synthesized once per run (test/global-setup.ts). */
export function synthesized(name: string): { dir: string; plan: Plan } {
  const hit = cache.get(name);
  if (hit) return hit;
  const out = { dir: exampleAssembly(name), plan: examplePlan(name) };
  cache.set(name, out);
  return out;
}

export function inputOf(name: string): DiagramInput {
  const { dir, plan } = synthesized(name);
  return readDiagramInput([dir], plan);
}

/** A copy of an example's assembly with one template changed. */
export function mutated(name: string, stackFile: string, change: (template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }) => void): DiagramInput {
  const { dir, plan } = synthesized(name);
  const copy = mkdtempSync(join(tmpdir(), `plinth-diagram-${name}-mutant-`));
  dirs.push(copy);
  cpSync(dir, copy, { recursive: true });
  const file = join(copy, stackFile);
  const template = JSON.parse(readFileSync(file, 'utf8'));
  change(template);
  writeFileSync(file, JSON.stringify(template));
  return readDiagramInput([copy], plan);
}

export function node(d: Diagram, title: string): DiagramNode {
  const found = d.nodes.find((n) => n.title === title);
  if (!found) throw new Error(`no node "${title}" in ${d.view} view; nodes: ${d.nodes.map((n) => n.title).join(', ')}`);
  return found;
}

/** Edges between two nodes (by title), of any kind. */
export function edgesBetween(d: Diagram, from: string, to: string): DiagramEdge[] {
  const a = node(d, from).id;
  const b = node(d, to).id;
  return d.edges.filter((e) => (e.from === a && e.to === b) || (e.back && e.from === b && e.to === a));
}

/** The one-line label of the flow from → to (for a two-way edge, the services of that direction). */
export function flowLabel(d: Diagram, from: string, to: string): string | undefined {
  const a = node(d, from).id;
  const e = edgesBetween(d, from, to).find((x) => x.kind === 'flow');
  if (!e) return undefined;
  if (e.back) return (e.from === a ? e.services : e.back.services)?.join(', ');
  return e.label.replace(/\n/g, ', ');
}

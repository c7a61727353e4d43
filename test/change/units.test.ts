/** The pure parts of the change review on plain values: thresholds, field diffs, the picture overlay. */
import { describe, expect, it } from 'vitest';
import { overlay, parseCostThreshold } from '../../src/analyse/change/index.js';
import { fieldChanges } from '../../src/analyse/change/kubernetes.js';
import type { Diagram, DiagramEdge, DiagramNode } from '../../src/analyse/diagram/types.js';

const node = (id: string): DiagramNode => ({ id, kind: 'server', group: 'g', title: id, lines: [], count: undefined, refs: [] });
const edge = (from: string, to: string, label: string): DiagramEdge => ({ id: `${from}->${to}`, from, to, kind: 'flow', label, certainty: 'sure', rules: [], detail: '' });
const diagram = (nodes: DiagramNode[], edges: DiagramEdge[]): Diagram => ({
  view: 'network', title: 't', groups: [{ id: 'g', kind: 'subnet', label: 'g', sublabel: undefined, parent: undefined }], nodes, edges, notes: [], rules: [],
});

describe('--max-cost-increase', () => {
  it('reads a percentage or an amount, and nothing else', () => {
    expect(parseCostThreshold('10%')).toEqual({ percent: 10 });
    expect(parseCostThreshold('$50')).toEqual({ usd: 50 });
    expect(parseCostThreshold('12.5 usd')).toEqual({ usd: 12.5 });
    expect(parseCostThreshold('ten')).toBeUndefined();
  });
});

describe('field changes of a Kubernetes object', () => {
  it('lists leaves that moved, with their paths', () => {
    expect(fieldChanges({ spec: { replicas: 3, image: 'a:1' } }, { spec: { replicas: 5, image: 'a:1' } })).toEqual(['spec.replicas: 3 → 5']);
    expect(fieldChanges({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual(['a: [1,2] → [1,2,3]']);
  });
});

describe('picture of a change', () => {
  it('marks new nodes and edges added, keeps gone ones as removed, and shows widened ports', () => {
    const before = diagram([node('a'), node('b'), node('old')], [edge('a', 'b', '443/tcp'), edge('a', 'old', '22/tcp')]);
    const after = diagram([node('a'), node('b'), node('new')], [edge('a', 'b', '443/tcp, 5601/tcp'), edge('a', 'new', '80/tcp')]);
    const d = overlay(before, after);
    expect(d.nodes.map((n) => [n.id, n.change, n.title])).toEqual([['a', undefined, 'a'], ['b', undefined, 'b'], ['new', 'added', '+ new'], ['old', 'removed', '− old']]);
    expect(d.edges.map((e) => [e.from, e.to, e.change, e.label])).toEqual([
      ['a', 'b', 'added', '443/tcp, 5601/tcp\n(was 443/tcp)'],
      ['a', 'new', 'added', '80/tcp'],
      ['a', 'old', 'removed', '22/tcp'],
    ]);
  });

  it('leaves a version against itself unmarked', () => {
    const same = diagram([node('a'), node('b')], [edge('a', 'b', '443/tcp')]);
    const d = overlay(same, same);
    expect([...d.nodes, ...d.edges].some((x) => x.change !== undefined)).toBe(false);
  });
});

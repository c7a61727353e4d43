/**
 * From flows between nodes to drawn edges: flows landing on the same pair of nodes are merged into
 * one edge (the same flow to three AZ replicas of a class is one edge), the part of a flow a verify
 * finding covers is split off and drawn red with the rule ids, and each blocked flow verify reports
 * becomes a dotted red edge.
 */
import { Bracket, PacketSet } from '../../model/packets.js';
import type { DiagramEdge, DiagramNode } from '../types.js';
import { serviceLabel, serviceParts } from './services.js';
import type { Verdict } from './verdicts.js';

export interface NodeFlow {
  readonly from: string;
  readonly to: string;
  readonly set: Bracket;
}

/** A finding placed between two drawn nodes. */
export interface PlacedVerdict {
  readonly from: string;
  readonly to: string;
  readonly verdict: Verdict;
}

/** Flows on one pair of nodes, unioned; pairs in a stable order. */
export function mergeFlows(flows: readonly NodeFlow[]): NodeFlow[] {
  const byPair = new Map<string, NodeFlow>();
  for (const f of flows) {
    if (f.from === f.to || f.set.isEmpty()) continue;
    const key = pairKey(f.from, f.to);
    const prev = byPair.get(key);
    byPair.set(key, prev ? { ...prev, set: prev.set.union(f.set) } : f);
  }
  return [...byPair.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f);
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export function buildEdges(flows: readonly NodeFlow[], nodes: ReadonlyMap<string, DiagramNode>, placed: readonly PlacedVerdict[]): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const merged = mergeFlows(flows);
  const violations = new Map<string, PlacedVerdict[]>();
  const blocked = new Map<string, PlacedVerdict[]>();
  for (const p of placed) {
    if (p.from === p.to || !nodes.has(p.from) || !nodes.has(p.to)) continue;
    const into = p.verdict.kind === 'violation' ? violations : blocked;
    into.set(pairKey(p.from, p.to), [...(into.get(pairKey(p.from, p.to)) ?? []), p]);
  }
  const title = (id: string) => nodes.get(id)?.title ?? id;
  for (const f of merged) {
    if (!nodes.has(f.from) || !nodes.has(f.to)) continue;
    const found = violations.get(pairKey(f.from, f.to)) ?? [];
    violations.delete(pairKey(f.from, f.to));
    let violating = Bracket.NONE;
    for (const v of found) {
      const part = f.set.restrict(v.verdict.services);
      violating = violating.union(part.isEmpty() ? f.set : part);
    }
    const allowed = f.set.map((s) => s.minus(violating.maybe));
    if (!allowed.isEmpty()) {
      const sure = allowed.sure.contains(allowed.maybe);
      const parts = serviceParts(allowed.maybe);
      edges.push({
        id: `${f.from}->${f.to}`, from: f.from, to: f.to, kind: 'flow', certainty: sure ? 'sure' : 'maybe', rules: [], services: parts,
        label: serviceLabel(parts),
        detail: `${title(f.from)} may open ${parts.join(', ')} to ${title(f.to)}${sure ? '' : ' (only if values verify could not resolve allow it)'}`,
      });
    }
    if (found.length > 0) edges.push(violationEdge(f.from, f.to, violating.maybe, found, violating.sure.contains(violating.maybe)));
  }
  // Findings on pairs no flow was drawn for (a source the view folds away) still get their edge.
  for (const [, found] of [...violations].sort(([a], [b]) => a.localeCompare(b))) {
    const services = found.reduce((s, v) => s.union(v.verdict.services), PacketSet.EMPTY);
    edges.push(violationEdge(found[0]!.from, found[0]!.to, services, found, found.every((v) => v.verdict.certainty === 'sure')));
  }
  for (const [, found] of [...blocked].sort(([a], [b]) => a.localeCompare(b))) {
    const { from, to } = found[0]!;
    const services = found.reduce((s, v) => s.union(v.verdict.services), PacketSet.EMPTY);
    const rules = [...new Set(found.map((v) => v.verdict.ruleId))].sort();
    edges.push({
      id: `${from}->${to}#blocked`, from, to, kind: 'blocked', certainty: found.every((v) => v.verdict.certainty === 'sure') ? 'sure' : 'maybe', rules,
      label: `${serviceLabel(serviceParts(services))}\n✗ ${rules.join(', ')} blocked`,
      detail: [...new Set(found.map((v) => v.verdict.message))].join(' '),
    });
  }
  return pairUp(edges);
}

/** Two flows between the same nodes, one each way, become one edge with a line per direction. */
export function pairUp(edges: readonly DiagramEdge[]): DiagramEdge[] {
  const out: DiagramEdge[] = [];
  const flows = new Map(edges.filter((e) => e.kind === 'flow').map((e) => [pairKey(e.from, e.to), e]));
  const absorbed = new Set<DiagramEdge>();
  for (const e of edges) {
    if (absorbed.has(e)) continue;
    const other = e.kind === 'flow' ? flows.get(pairKey(e.to, e.from)) : undefined;
    if (!other || other === e) {
      out.push(e);
      continue;
    }
    absorbed.add(other);
    const forward = e.services ?? [e.label];
    const backward = other.services ?? [other.label];
    out.push({
      ...e, id: `${e.from}<->${e.to}`, services: forward, label: directedLabel('↓', forward, '↑', backward),
      back: { services: backward, certainty: other.certainty, detail: other.detail }, detail: `${e.detail}; ${other.detail}`,
    });
  }
  return out;
}

/** The label of a two-way edge, with the arrows given (the renderer re-picks them from the layout). */
export function directedLabel(forwardArrow: string, forward: readonly string[], backArrow: string, backward: readonly string[]): string {
  const block = (arrow: string, parts: readonly string[]) => serviceLabel(parts, 24).split('\n').map((l, i) => `${i === 0 ? arrow : ' '} ${l}`);
  return [...block(forwardArrow, forward), ...block(backArrow, backward)].join('\n');
}

function violationEdge(from: string, to: string, services: PacketSet, found: readonly PlacedVerdict[], sure: boolean): DiagramEdge {
  const rules = [...new Set(found.map((v) => v.verdict.ruleId))].sort();
  return {
    id: `${from}->${to}#violation`, from, to, kind: 'violation', certainty: sure ? 'sure' : 'maybe', rules,
    label: `${serviceLabel(serviceParts(services))}\n✗ ${rules.join(', ')}`,
    detail: [...new Set(found.map((v) => v.verdict.message))].join(' '),
  };
}

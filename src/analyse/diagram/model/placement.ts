/**
 * Where a verify finding lands in a view: its two ends are named the way verify names them (a
 * class's name, `internet`, `networks behind …`, `any host in subnet …`); each is found among the
 * view's nodes. An outside source is the outside node whose flow carries the witness packet.
 */
import type { Model } from '../../verify/model/types.js';
import type { DiagramNode } from '../types.js';
import type { NodeFlow, PlacedVerdict } from './edges.js';
import type { Verdict } from './verdicts.js';

export interface ViewNodes {
  readonly model: Model;
  readonly nodes: ReadonlyMap<string, DiagramNode>;
  /** The node drawn for a class, if the view draws it. */
  nodeOfClass(classKey: string): string | undefined;
  readonly flows: readonly NodeFlow[];
}

export function placeVerdicts(verdicts: readonly Verdict[], view: ViewNodes): { placed: PlacedVerdict[]; unplaced: Verdict[] } {
  const placed: PlacedVerdict[] = [];
  const unplaced: Verdict[] = [];
  for (const v of verdicts) {
    const destinations = destinationNodes(v, view);
    const sources = destinations.length ? sourceNodes(v, view, destinations) : [];
    if (sources.length === 0 || destinations.length === 0) {
      unplaced.push(v);
      continue;
    }
    for (const from of sources) {
      const to = destinations.length === 1 ? destinations[0]! : egressOf(from, view) ?? destinations[0]!;
      placed.push({ from, to, verdict: v });
    }
  }
  return { placed, unplaced };
}

function classNodes(name: string, view: ViewNodes): string[] {
  return [...new Set(view.model.classes.filter((c) => c.name === name).map((c) => view.nodeOfClass(c.key)).filter((n): n is string => n !== undefined))];
}

function nodesOfKind(view: ViewNodes, kinds: readonly DiagramNode['kind'][]): DiagramNode[] {
  return [...view.nodes.values()].filter((n) => kinds.includes(n.kind));
}

function sourceNodes(v: Verdict, view: ViewNodes, destinations: readonly string[]): string[] {
  const byClass = classNodes(v.fromName, view);
  if (byClass.length > 0) return byClass;
  if (v.fromName === 'internet' || v.fromName.startsWith('cidr:')) {
    const outside = nodesOfKind(view, ['internet', 'cidr']);
    const carrying = outside.filter((n) => view.flows.some((f) => f.from === n.id && destinations.includes(f.to) && v.packet && f.set.maybe.has(v.packet)));
    if (carrying.length > 0) return carrying.map((n) => n.id);
    const named = outside.find((n) => n.refs.includes(v.fromName));
    return named ? [named.id] : outside.filter((n) => n.kind === 'internet').map((n) => n.id);
  }
  const site = /^networks behind (.+)$/.exec(v.fromName);
  if (site) return siteNodes(site[1]!, view);
  const hosts = /any (?:other )?host in subnet ([^ )]+)/.exec(v.fromName);
  if (hosts) {
    const subnet = [...view.model.subnets.values()].find((s) => s.name === hosts[1]);
    const id = subnet ? `vpc-any:${subnet.vpc.key}` : undefined;
    return id && view.nodes.has(id) ? [id] : [];
  }
  return nodesOfKind(view, ['vpn-clients', 'site', 'cidr']).filter((n) => n.refs.includes(v.fromName)).map((n) => n.id);
}

function destinationNodes(v: Verdict, view: ViewNodes): string[] {
  const byClass = classNodes(v.toName, view);
  if (byClass.length > 0) return byClass;
  if (v.toName === 'internet') return nodesOfKind(view, ['nat', 'igw', 'internet']).map((n) => n.id);
  const site = /^networks behind (.+)$/.exec(v.toName);
  if (site) return siteNodes(site[1]!, view);
  return [];
}

/** Site traffic lands on the VPN gateway in the network view, on the site itself in the Kubernetes view. */
function siteNodes(gateway: string, view: ViewNodes): string[] {
  const gateways = nodesOfKind(view, ['vgw']).filter((n) => n.lines[0] === gateway);
  if (gateways.length > 0) return gateways.map((n) => n.id);
  return nodesOfKind(view, ['site']).filter((n) => n.title === `Networks behind ${gateway}`).map((n) => n.id);
}

/** The gateway node a source's egress edge goes to. */
function egressOf(from: string, view: ViewNodes): string | undefined {
  return view.flows.find((f) => f.from === from && /^(nat|igw):/.test(f.to))?.to;
}

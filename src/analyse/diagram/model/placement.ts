/**
 * Where a verify finding lands in a view: each end of its witness is found among the view's nodes
 * by what verify says it is — a class (by key), addresses outside the VPC, or any host of a subnet.
 * An outside source is the outside node whose flow carries the witness packet.
 */
import type { End } from '../../verify/findings.js';
import type { Model } from '../../model/types.js';
import { INTERNET } from '../../model/packets.js';
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
    const destinations = destinationNodes(v.destination, view);
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

function nodesOfKind(view: ViewNodes, kinds: readonly DiagramNode['kind'][]): DiagramNode[] {
  return [...view.nodes.values()].filter((n) => kinds.includes(n.kind));
}

function classNode(classKey: string, view: ViewNodes): string[] {
  const id = view.nodeOfClass(classKey);
  return id ? [id] : [];
}

function sourceNodes(v: Verdict, view: ViewNodes, destinations: readonly string[]): string[] {
  const end = v.source;
  switch (end.kind) {
    case 'class': {
      // VPN users are drawn apart from their endpoint: what they reach starts at them.
      const users = `vpn-clients:${end.classKey}`;
      return view.nodes.has(users) ? [users] : classNode(end.classKey, view);
    }
    case 'hosts': {
      const subnet = view.model.subnets.get(end.subnetKey);
      const id = subnet ? `vpc-any:${subnet.vpc.key}` : undefined;
      return id && view.nodes.has(id) ? [id] : [];
    }
    case 'external': {
      if (end.via?.includes('igw') && end.peers.overlaps(INTERNET)) {
        const outside = nodesOfKind(view, ['internet', 'cidr']);
        const carrying = outside.filter((n) => view.flows.some((f) => f.from === n.id && destinations.includes(f.to) && f.set.maybe.has(v.packet)));
        if (carrying.length > 0) return carrying.map((n) => n.id);
        const named = outside.find((n) => n.refs.includes(end.name));
        return named ? [named.id] : outside.filter((n) => n.kind === 'internet').map((n) => n.id);
      }
      return siteNodes(end, view, 'site');
    }
  }
}

function destinationNodes(end: End, view: ViewNodes): string[] {
  switch (end.kind) {
    case 'class': return classNode(end.classKey, view);
    case 'hosts': return [];
    case 'external': {
      const sites = siteNodes(end, view, 'site-out');
      if (sites.length > 0) return sites;
      return end.peers.overlaps(INTERNET) ? nodesOfKind(view, ['nat', 'igw', 'internet']).map((n) => n.id) : [];
    }
  }
}

/**
 * Networks behind a VPN gateway: on the gateway in the network view; in the Kubernetes view on the
 * site drawn with the clients (`site`) or with what pods reach (`site-out`).
 */
function siteNodes(end: Extract<End, { kind: 'external' }>, view: ViewNodes, side: 'site' | 'site-out'): string[] {
  const gateways = [...view.model.vpcs.values()].flatMap((vpc) => (vpc.vgw && vpc.vgw.remote.overlaps(end.peers) ? [vpc.vgw.key] : []));
  const onGateway = gateways.map((key) => `vgw:${key}`).filter((id) => view.nodes.has(id));
  if (onGateway.length > 0) return onGateway;
  return gateways.map((key) => `${side}:${key}`).filter((id) => view.nodes.has(id));
}

/** The gateway node a source's egress edge goes to. */
function egressOf(from: string, view: ViewNodes): string | undefined {
  return view.flows.find((f) => f.from === from && /^(nat|igw):/.test(f.to))?.to;
}

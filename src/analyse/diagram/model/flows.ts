/**
 * The verified flows behind the edges, asked of verify's reachability engine: which pairs are asked
 * about, and the raw answers. A pair is asked only when its source can open connections (a database
 * answers, it does not call out; a load balancer calls only its targets) and its destination
 * answers something. Answers are per class; the views decide which node stands for a class and
 * merge what lands on one edge.
 *
 * A path through a network load balancer that keeps the client's address is left out of a source's
 * answer: the picture already has the source → balancer and balancer → target edges.
 */
import { Engine, type Destination, type Reach, type Source } from '../../model/engine/reach.js';
import type { EniClass, Gateway, Model, Vpc } from '../../model/types.js';
import { Bracket, INTERNET, PacketSet } from '../../model/packets.js';

export type FlowEnd =
  | { readonly type: 'class'; readonly cls: EniClass }
  | { readonly type: 'internet' }
  | { readonly type: 'vpc'; readonly vpc: Vpc }
  /** Leaving to the internet through a NAT gateway (its key) or the internet gateway (`igw:<key>`). */
  | { readonly type: 'egress'; readonly via: string }
  | { readonly type: 'site'; readonly gateway: Gateway }
  | { readonly type: 'vpn-clients'; readonly endpoint: EniClass };

export interface FlowFact {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** Peer axis: the outside addresses when `from` or `to` is outside the VPC; the source's subnets otherwise. */
  readonly set: Bracket;
}

/** Kinds that open connections of their own (the EKS control plane's traffic to the internet is not the VPC's). */
const INITIATORS = new Set<EniClass['kind']>(['instance', 'auto-scaling-group', 'network-interface', 'eks-control-plane', 'eks-nodes', 'lambda', 'pods']);
/** Kinds pods are drawn talking to in the Kubernetes view (the cluster's own plumbing is left out). */
const POD_PEERS = new Set<EniClass['kind']>(['database', 'file-system', 'instance', 'auto-scaling-group', 'network-interface', 'interface-endpoint']);

export interface FlowOptions {
  /** Ask about pod-to-pod flows (the Kubernetes view); they fold into the node group otherwise. */
  readonly podToPod: boolean;
}

export const INTERNET_SOURCE: Source = { kind: 'external', name: 'internet', peers: INTERNET, via: ['igw'] };
const INTERNET_DESTINATION: Destination = { kind: 'external', name: 'internet', peers: INTERNET };

/** What reaches, over the paths that end at the destination itself (not through a pass-through balancer). */
function direct(reach: Reach): Bracket {
  return reach.paths.filter((p) => p.via === undefined).reduce((acc, p) => acc.union(p.allowed), Bracket.NONE);
}

export function collectFlows(model: Model, options: FlowOptions, engine = new Engine(model)): FlowFact[] {
  const facts: FlowFact[] = [];
  const add = (from: FlowEnd, to: FlowEnd, set: Bracket) => {
    if (!set.isEmpty()) facts.push({ from, to, set });
  };
  const classes = [...model.classes].sort((a, b) => a.key.localeCompare(b.key));
  const answers = (c: EniClass) => !c.accepts.isEmpty() && c.kind !== 'client-vpn' && c.kind !== 'lambda';
  const destinations = classes.filter(answers);
  const subnets = [...model.subnets.values()].sort((a, b) => a.key.localeCompare(b.key));
  const pairs = engine.podPairs();

  for (const dst of destinations) {
    const to: FlowEnd = { type: 'class', cls: dst };
    if (dst.publicEndpoint || dst.placements.some((p) => p.publicIp !== 'no')) add({ type: 'internet' }, to, direct(engine.reach(INTERNET_SOURCE, { kind: 'class', cls: dst })));
    for (const vpc of [...new Set(dst.placements.map((p) => p.subnet.vpc))].sort((a, b) => a.key.localeCompare(b.key))) {
      // Any address of the VPC: what every subnet's hosts (with no group of their own) may open.
      let every: PacketSet | undefined;
      for (const subnet of subnets.filter((s) => s.vpc === vpc)) {
        const name = `any host in subnet ${subnet.name} (${subnet.cidr})`;
        const set = direct(engine.reach({ kind: 'hosts', name, subnet, peers: subnet.addresses }, { kind: 'class', cls: dst })).sure.withPeers(PacketSet.ALL);
        every = every ? every.intersect(set) : set;
        if (every.isEmpty()) break;
      }
      if (every && !every.isEmpty()) add({ type: 'vpc', vpc }, to, Bracket.exact(every));
    }
  }

  for (const src of classes) {
    const from: FlowEnd = { type: 'class', cls: src };
    if (src.kind === 'load-balancer') {
      const targets = new Set((src.loadBalancer?.targetGroups ?? []).flatMap((tg) => tg.targets.map((t) => t.classKey)));
      for (const dst of destinations.filter((d) => targets.has(d.key))) add(from, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
      continue;
    }
    if (src.kind === 'client-vpn') {
      for (const dst of destinations) add({ type: 'vpn-clients', endpoint: src }, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
      continue;
    }
    if (!INITIATORS.has(src.kind)) continue;
    for (const dst of destinations) {
      if (dst === src || !wanted(src, dst, options)) continue;
      // Pod to pod from the NetworkPolicy index (one engine question per pair would be N² of them).
      add(from, { type: 'class', cls: dst }, pairs.direct(src, dst) ?? direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
    }
    if (src.kind !== 'eks-control-plane') {
      for (const [via, set] of egressByGateway(model, engine.reach({ kind: 'class', cls: src }, INTERNET_DESTINATION))) add(from, { type: 'egress', via }, set);
    }
  }

  const gateways = [...model.vpcs.values()].map((v) => v.vgw).filter((g): g is Gateway => g !== undefined && !g.remote.isEmpty());
  for (const gateway of gateways) {
    const name = `networks behind ${gateway.name}`;
    for (const dst of destinations) {
      add({ type: 'site', gateway }, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'external', name, peers: gateway.remote, via: ['vgw'] }, { kind: 'class', cls: dst })));
    }
    for (const src of classes.filter((c) => INITIATORS.has(c.kind) && c.kind !== 'eks-control-plane')) {
      add({ type: 'class', cls: src }, { type: 'site', gateway }, direct(engine.reach({ kind: 'class', cls: src }, { kind: 'external', name, peers: gateway.remote })));
    }
  }
  return facts;
}

/** Egress to the internet, split by the gateway each path leaves through (the NAT gateway's key, or `igw:<key>`). */
function egressByGateway(model: Model, reach: Reach): [string, Bracket][] {
  const out = new Map<string, Bracket>();
  for (const path of reach.paths) {
    if (path.allowed.isEmpty()) continue;
    const nat = path.components.find((c) => c.step === 'NAT gateway');
    let via: string | undefined;
    if (nat) {
      const sample = path.allowed.maybe.sample();
      const resource = sample ? nat.explain(sample).resource : undefined;
      via = resource ? [...model.natGateways.values()].find((n) => n.resource?.stack === resource.stack && n.resource.logicalId === resource.logicalId)?.key : undefined;
    } else if (path.components.some((c) => c.step === 'public address')) {
      const vpc = [...model.vpcs.values()].find((v) => v.igw && path.title.includes(` igw ${v.igw.name} `)) ?? [...model.vpcs.values()].find((v) => v.igw);
      via = vpc?.igw ? `igw:${vpc.igw.key}` : undefined;
    }
    if (via) out.set(via, (out.get(via) ?? Bracket.NONE).union(path.allowed));
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}

function wanted(src: EniClass, dst: EniClass, options: FlowOptions): boolean {
  if (src.kind !== 'pods' && dst.kind !== 'pods') return true;
  if (src.kind === 'pods' && dst.kind === 'pods') return options.podToPod;
  // Pods with their own nodes and control plane are the cluster's plumbing, drawn once as nodes ↔ control plane.
  if (src.kind === 'pods') return POD_PEERS.has(dst.kind);
  return src.kind !== 'eks-nodes' && src.kind !== 'eks-control-plane';
}

/**
 * The verified flows behind the edges, asked of verify's reachability engine: which pairs are asked
 * about, and the raw answers. A pair is asked only when its source can open connections (a database
 * answers, it does not call out; a load balancer calls only its targets) and its destination
 * answers something. Answers are per class; the views decide which node stands for a class and
 * merge what lands on one edge.
 *
 * A path through a network load balancer that keeps the client's address is left out of a source's
 * answer: the picture already has the source → balancer and balancer → target edges.
 *
 * Most questions about pods have an empty answer that their NetworkPolicies decide alone (at 500
 * apps, 3,500 of the 3,560 questions besides pod to pod: the cluster's Lambda functions, the
 * management host and every subnet's hosts to each app, each app to the database, the host and the
 * internet). Those are not asked (ClosedByPolicies); the answers are the engine's all the same.
 */
import { Engine, type Destination, type Reach, type Source } from '../../model/engine/reach.js';
import { PEER, type Axis } from '../../model/engine/evaluate.js';
import { policyComponent } from '../../model/engine/network-policy.js';
import type { EniClass, Gateway, Model, Placement, Vpc } from '../../model/types.js';
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
  /** Ask the engine even what the pods' NetworkPolicies already close (tests compare both ways). @default false */
  readonly askEvery?: boolean;
}

/**
 * Which pods' NetworkPolicies let nothing through from or to a party that is not pods (an address:
 * a host, a Lambda function, a load balancer, the internet), so that the engine need not be asked.
 *
 * Every direct path the engine builds to pods carries their ingress policies' component asked about
 * `{ pods: undefined, axis: PEER }` when the source is not pods (Engine.inbound, Engine.internal with
 * no source workload); every path from pods carries their egress policies' component toward the
 * destination's subnet (Engine.internal, `axis` fixed to it, no destination workload) or toward the
 * outside (Engine.outbound, PEER). A path lets through at most what each of its components does, so
 * when that component is empty the engine's answer is empty too. The same function builds the same
 * component here; only its set is read. test/diagram/flows-pruned.test.ts compares the facts both ways.
 */
class ClosedByPolicies {
  private readonly ingress = new Map<string, boolean>();
  private readonly egress = new Map<string, boolean>();

  public constructor(private readonly model: Model, private readonly off: boolean) {}

  /** Nothing that is not pods reaches `d` (pods) over a direct path. */
  public toPods(d: EniClass): boolean {
    const k8s = this.model.k8s;
    // A public API endpoint is a path without the pods' policies (Engine.publicEndpoint); pods have none, but if they did it would count.
    if (this.off || !k8s || !d.workload || d.publicEndpoint) return false;
    let hit = this.ingress.get(d.key);
    if (hit === undefined) this.ingress.set(d.key, (hit = policyComponent(k8s, d, 'ingress', { pods: undefined, axis: PEER, name: '' }, undefined).set.isEmpty()));
    return hit;
  }

  /** `s` (pods) reaches nothing in any of `d`'s subnets (`d` not pods), or outside the VPC when `d` is undefined. */
  public fromPods(s: EniClass, d: EniClass | undefined): boolean {
    const k8s = this.model.k8s;
    if (this.off || !k8s || !s.workload || d?.workload) return false;
    const closed = (axis: Axis, where: string) => {
      const key = `${s.key}|${where}`;
      let hit = this.egress.get(key);
      if (hit === undefined) this.egress.set(key, (hit = policyComponent(k8s, s, 'egress', { pods: undefined, axis, name: '' }, undefined).set.isEmpty()));
      return hit;
    };
    if (!d) return closed(PEER, '');
    return d.placements.length > 0 && d.placements.every((pd: Placement) => closed({ kind: 'fixed', range: pd.subnet.range, text: pd.subnet.cidr }, pd.subnet.key));
  }

  /** Whether a direct path from `src` (a class, or an address when undefined) to `dst` can be skipped. */
  public between(src: EniClass | undefined, dst: EniClass): boolean {
    if (!src?.workload && this.toPods(dst)) return true;
    return src !== undefined && this.fromPods(src, dst);
  }
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
  const closed = new ClosedByPolicies(model, options.askEvery === true);

  for (const dst of destinations) {
    const to: FlowEnd = { type: 'class', cls: dst };
    // Internet, VPC-wide and site sources are addresses, not pods.
    if (closed.toPods(dst)) continue;
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
      for (const dst of destinations.filter((d) => targets.has(d.key) && !closed.between(src, d))) add(from, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
      continue;
    }
    if (src.kind === 'client-vpn') {
      for (const dst of destinations.filter((d) => !closed.between(src, d))) add({ type: 'vpn-clients', endpoint: src }, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
      continue;
    }
    if (!INITIATORS.has(src.kind)) continue;
    for (const dst of destinations) {
      if (dst === src || !wanted(src, dst, options)) continue;
      // Pod to pod from the NetworkPolicy index (one engine question per pair would be N² of them).
      const set = pairs.direct(src, dst) ?? (closed.between(src, dst) ? Bracket.NONE : direct(engine.reach({ kind: 'class', cls: src }, { kind: 'class', cls: dst })));
      add(from, { type: 'class', cls: dst }, set);
    }
    if (src.kind !== 'eks-control-plane' && !closed.fromPods(src, undefined)) {
      for (const [via, set] of egressByGateway(model, engine.reach({ kind: 'class', cls: src }, INTERNET_DESTINATION))) add(from, { type: 'egress', via }, set);
    }
  }

  const gateways = [...model.vpcs.values()].map((v) => v.vgw).filter((g): g is Gateway => g !== undefined && !g.remote.isEmpty());
  for (const gateway of gateways) {
    const name = `networks behind ${gateway.name}`;
    for (const dst of destinations.filter((d) => !closed.toPods(d))) {
      add({ type: 'site', gateway }, { type: 'class', cls: dst }, direct(engine.reach({ kind: 'external', name, peers: gateway.remote, via: ['vgw'] }, { kind: 'class', cls: dst })));
    }
    for (const src of classes.filter((c) => INITIATORS.has(c.kind) && c.kind !== 'eks-control-plane' && !closed.fromPods(c, undefined))) {
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

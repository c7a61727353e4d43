/**
 * Reachability: which packets from a source reach a destination, over every path the model
 * knows, as a bracket (certainly / possibly). A path is one pair of placements (the source's
 * subnet, the destination's subnet) or one gateway, with the components a packet passes in order;
 * what passes a path is the intersection of its components, what reaches is the union of paths.
 *
 * Connections, not packets: a path includes the reply direction wherever it is filtered statelessly
 * (network ACLs) or routed (the destination's route back to the source).
 */
import type { ResourceRef } from '../assumptions.js';
import { Bracket, formatIp, INTERNET, PacketSet, type Packet } from '../packets.js';
import type { EniClass, Model, Placement, RouteTargetKind, Subnet } from '../types.js';
import type { Component, Hop, Verdict } from './component.js';
import { component } from './component.js';
import {
  admissibleFor, effectiveRoutes, fixedComponent, groupsComponent, localRouteComponent, naclComponent, NO_GROUPS,
  PEER, publicIpComponent, routeComponent, routeText, servicesComponent, type Axis, type Membership, type Mode,
} from './evaluate.js';
import { policyComponent } from './network-policy.js';
import { PodPairs } from './pod-pairs.js';

export type GatewayKind = 'igw' | 'vgw' | 'other';

export type Source =
  | { readonly kind: 'class'; readonly cls: EniClass }
  | { readonly kind: 'external'; readonly name: string; readonly peers: PacketSet; readonly via: readonly GatewayKind[] }
  /** Any host that might be started in a subnet, with no security group the others reference. */
  | { readonly kind: 'hosts'; readonly name: string; readonly subnet: Subnet; readonly peers: PacketSet };

export type Destination =
  | { readonly kind: 'class'; readonly cls: EniClass }
  | { readonly kind: 'external'; readonly name: string; readonly peers: PacketSet };

export interface Path {
  readonly title: string;
  readonly components: readonly Component[];
  readonly allowed: Bracket;
  /** Assumptions of the components that decided the result. */
  readonly assumptions: readonly string[];
  /** A network load balancer the packets pass through, keeping the client's address. */
  readonly via?: EniClass | undefined;
}

/** What a question's paths let through, without the paths: enough to decide, not to explain. */
export interface Answer {
  readonly allowed: Bracket;
  readonly assumptions: readonly string[];
}

export interface Reach {
  readonly source: Source;
  readonly destination: Destination;
  readonly paths: readonly Path[];
  readonly allowed: Bracket;
  readonly assumptions: readonly string[];
}

const OTHER_KINDS: readonly RouteTargetKind[] = ['tgw', 'peering', 'other', 'instance', 'eni', 'unknown'];

export function sourceName(s: Source): string {
  return s.kind === 'class' ? s.cls.name : s.name;
}

export function sourceKey(s: Source): string {
  return s.kind === 'class' ? `class:${s.cls.key}` : s.kind === 'hosts' ? `hosts:${s.subnet.key}:${s.name}` : `external:${s.name}`;
}

export function destinationKey(d: Destination): string {
  return d.kind === 'class' ? `class:${d.cls.key}` : `external:${d.name}`;
}

/** Each class's groups as a set, made once per class (asked on every path). */
const memberships = new WeakMap<EniClass, Membership>();

function membership(cls: EniClass | undefined): Membership {
  if (!cls) return NO_GROUPS;
  let m = memberships.get(cls);
  if (!m) memberships.set(cls, (m = { groups: new Set(cls.groups), unknown: false }));
  return m;
}

function makePath(title: string, components: Component[], via?: EniClass): Path {
  let allowed = Bracket.ALL;
  const assumptions = new Set<string>();
  for (const c of [...components].sort((a, b) => a.priority - b.priority)) {
    allowed = allowed.intersect(c.set);
    if (!c.set.isExact()) for (const a of c.assumptions) assumptions.add(a);
    if (allowed.isEmpty()) break;
  }
  return { title, components, allowed, assumptions: [...assumptions], via };
}

function where(cls: EniClass, p: Placement): string {
  return `${cls.name} in subnet ${p.subnet.name} (${p.subnet.cidr})`;
}

function firstResource(cls: EniClass): ResourceRef | undefined {
  return cls.resources[0];
}

/**
 * Whole answers (with their paths) kept for reuse. Bounded: an intent such as `from "*" to
 * cluster/nodes:22 only [...]` on a platform of hundreds of apps asks about every source × every pod,
 * and an unbounded cache of those answers ran `plinth synth` out of heap at 200 apps (issue 14).
 * Small: checks decide on `answer` (kept apart, without paths) and ask `reach` right after for what
 * they report; paths that outlive a few questions only cost the garbage collector copies.
 */
const CACHE_ENTRIES = 16;

/**
 * Answers without their paths, kept for reuse across checks (the internet's reach of every class is
 * asked by PV2, PV3 and intents from the internet): a bracket and a list each, per question. Bounded
 * by the model's size, twice its classes and at least ANSWER_ENTRIES, least recently used out first.
 */
const ANSWER_ENTRIES = 1024;

export class Engine {
  private readonly cache = new Map<string, Reach>();
  private readonly answers = new Map<string, Answer>();
  private readonly answerLimit: number;
  private readonly outside: PacketSet;
  private readonly classesByKey: Map<string, EniClass>;
  /** Network load balancers, in model order: the only classes throughNetworkBalancers looks at (once per model, not per question). */
  private readonly networkBalancers: readonly EniClass[];

  public constructor(public readonly model: Model) {
    let vpcs = PacketSet.EMPTY;
    for (const v of model.vpcs.values()) vpcs = vpcs.union(v.addresses);
    this.outside = PacketSet.ALL.minus(vpcs);
    this.classesByKey = new Map(model.classes.map((c) => [c.key, c]));
    this.networkBalancers = model.classes.filter((c) => c.loadBalancer?.type === 'network');
    this.answerLimit = Math.max(ANSWER_ENTRIES, 2 * model.classes.length);
  }

  private pairs: PodPairs | undefined;

  /** Pod-to-pod answers from the NetworkPolicies' selectors (for questions about every pod pair). */
  public podPairs(): PodPairs {
    return (this.pairs ??= new PodPairs(this));
  }

  public classByKey(key: string): EniClass | undefined {
    return this.classesByKey.get(key);
  }

  /** Every source "*" stands for: the internet, the networks behind VPN gateways, other networks, every class and any new host in each subnet. */
  public universe(): Source[] {
    const out: Source[] = [{ kind: 'external', name: 'internet', peers: INTERNET, via: ['igw'] }];
    let remote = PacketSet.EMPTY;
    for (const vpc of this.model.vpcs.values()) {
      if (vpc.vgw && !vpc.vgw.remote.isEmpty()) {
        out.push({ kind: 'external', name: `networks behind ${vpc.vgw.name}`, peers: vpc.vgw.remote, via: ['vgw'] });
        remote = remote.union(vpc.vgw.remote);
      }
    }
    const other = this.outside.minus(INTERNET).minus(remote);
    out.push({ kind: 'external', name: 'other networks outside the VPC', peers: other, via: ['vgw', 'other'] });
    for (const cls of this.model.classes) out.push({ kind: 'class', cls });
    for (const subnet of this.model.subnets.values()) {
      out.push({ kind: 'hosts', name: `any other host in subnet ${subnet.name} (${subnet.cidr})`, subnet, peers: subnet.addresses });
    }
    return out;
  }

  public reach(source: Source, destination: Destination, mode: Mode = 'may'): Reach {
    const key = `${sourceKey(source)}|${destinationKey(destination)}|${mode}`;
    let hit = this.cache.get(key);
    if (hit) {
      // Least recently used goes first: re-inserting moves the key to the end of the Map's order.
      this.cache.delete(key);
    } else {
      hit = this.compute(source, destination, mode, true);
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.remember(key, hit);
    }
    this.cache.set(key, hit);
    return hit;
  }

  /**
   * What `reach` would let through and the assumptions it names, kept without the paths: checks
   * decide on this and ask `reach` only for what they report (a witness needs the paths).
   */
  public answer(source: Source, destination: Destination, mode: Mode = 'may'): Answer {
    const key = `${sourceKey(source)}|${destinationKey(destination)}|${mode}`;
    const known = this.answers.get(key);
    if (known) {
      this.answers.delete(key);
      this.answers.set(key, known);
      return known;
    }
    const whole = this.cache.get(key);
    if (whole) return this.remember(key, whole);
    const { reach, complete } = this.search(source, destination, mode, true, true);
    // With all its paths it is the reach itself: kept, since a check that reports what it finds asks `reach` next.
    if (complete) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, reach);
    }
    return this.remember(key, reach);
  }

  private remember(key: string, reach: Answer): Answer {
    const known = this.answers.get(key);
    if (known) return known;
    if (this.answers.size >= this.answerLimit) this.answers.delete(this.answers.keys().next().value!);
    const answer = { allowed: reach.allowed, assumptions: reach.assumptions };
    this.answers.set(key, answer);
    return answer;
  }

  private compute(source: Source, destination: Destination, mode: Mode, throughBalancers: boolean): Reach {
    return this.search(source, destination, mode, throughBalancers, false).reach;
  }

  /**
   * The paths of a question and what they let through. `lean` leaves out paths that certainly let
   * nothing through, before building them: one whose destination's security groups admit nothing
   * from the source (the first component of every path into a class, so such a path names no
   * assumption either), and one from the internet to a placement without a public address (its
   * earlier components may name assumptions: when the answer is not exact, which is when a reach
   * lists its paths' assumptions, the question is asked again in full). The answer is the same;
   * `complete` says whether the paths are all there (what a witness or blocked flow may need).
   */
  private search(source: Source, destination: Destination, mode: Mode, throughBalancers: boolean, lean: boolean): { reach: Reach; complete: boolean } {
    const paths: Path[] = [];
    const extra: string[] = [];
    let unknown = false;
    let omitted = false;
    let omittedWithAssumptions = false;
    if (destination.kind === 'class') {
      const d = destination.cls;
      if (d.placements.length === 0) {
        unknown = true;
        extra.push(...d.assumptions);
      }
      if (source.kind === 'class' && source.cls.placements.length === 0) {
        unknown = true;
        extra.push(...source.cls.assumptions);
      }
      // The destination's groups against this source: the same component on every direct path (it depends on neither placement).
      const groupsIn = this.inboundGroups(d, membership(source.kind === 'class' ? source.cls : undefined));
      const admitsNothing = () => lean && groupsIn.set.maybe.isEmpty();
      for (const pd of d.placements) {
        if (source.kind === 'external') {
          for (const g of this.gatewaysOf(pd.subnet)) {
            if (!source.via.includes(g)) continue;
            if (lean && g === 'igw' && pd.publicIp === 'no') {
              omitted = omittedWithAssumptions = true;
              continue;
            }
            if (admitsNothing()) {
              omitted = true;
              continue;
            }
            paths.push(this.inbound(source, g, d, pd, mode, groupsIn));
          }
        } else if (source.kind === 'hosts') {
          if (admitsNothing()) omitted = true;
          else paths.push(this.internal(undefined, source.subnet, source.peers, source.name, d, pd, mode, true, groupsIn));
        } else {
          const s = source.cls;
          // One instance does not talk to itself over the network.
          if (s === d && s.count <= 1 && s.placements.length <= 1) continue;
          if (s.placements.length > 0 && admitsNothing()) {
            omitted = true;
            continue;
          }
          for (const ps of s.placements) paths.push(this.internal(s, ps.subnet, ps.subnet.addresses, where(s, ps), d, pd, mode, true, groupsIn));
        }
      }
      if (source.kind === 'external' && d.publicEndpoint && source.via.includes('igw')) paths.push(this.publicEndpoint(source, d));
      if (throughBalancers) paths.push(...this.throughNetworkBalancers(source, d, mode));
    } else if (source.kind !== 'external') {
      const placements = source.kind === 'class'
        ? source.cls.placements.map((p) => ({ subnet: p.subnet, placement: p as Placement | undefined, name: where(source.cls, p) }))
        : [{ subnet: source.subnet, placement: undefined, name: source.name }];
      const cls = source.kind === 'class' ? source.cls : undefined;
      for (const ps of placements) paths.push(...this.outbound(cls, ps.subnet, ps.placement, ps.name, destination, mode));
    }
    let allowed = paths.reduce((acc, p) => acc.union(p.allowed), Bracket.NONE);
    if (unknown) allowed = allowed.union(destination.kind === 'class' ? Bracket.UNKNOWN.restrict(destination.cls.accepts) : Bracket.UNKNOWN);
    if (source.kind === 'external' || source.kind === 'hosts') allowed = allowed.restrict(source.peers);
    const exact = allowed.isExact();
    if (omittedWithAssumptions && !exact) return this.search(source, destination, mode, throughBalancers, false);
    const assumptions = new Set(extra);
    if (!exact) for (const p of paths) for (const a of p.assumptions) assumptions.add(a);
    return { reach: { source, destination, paths, allowed, assumptions: [...assumptions] }, complete: !omitted };
  }

  private gatewaysOf(subnet: Subnet): GatewayKind[] {
    const out: GatewayKind[] = [];
    if (subnet.vpc.igw) out.push('igw');
    if (subnet.vpc.vgw) out.push('vgw');
    if (effectiveRoutes(subnet.routeTable).some((e) => OTHER_KINDS.includes(e.route.target.kind))) out.push('other');
    return out;
  }

  /** From outside the VPC, through a gateway, to an interface. */
  private inbound(source: Extract<Source, { kind: 'external' }>, g: GatewayKind, d: EniClass, pd: Placement, mode: Mode, groupsIn: Component): Path {
    const vpc = pd.subnet.vpc;
    const gw = g === 'igw' ? vpc.igw : g === 'vgw' ? vpc.vgw : undefined;
    const admissible = admissibleFor(g, vpc.vgw?.remote ?? PacketSet.EMPTY, vpc.vgw?.dynamic ?? false, this.outside);
    const table = pd.subnet.routeTable;
    const components: Component[] = [
      fixedComponent('source', Bracket.exact(source.peers), (p) => `${formatIp(p.peer)} (${source.name})`),
      fixedComponent('gateway', Bracket.ALL, () => (gw ? `${g === 'igw' ? 'internet gateway' : 'VPN gateway'} ${gw.name}, attached to ${vpc.name}` : 'a transit gateway, peering connection or appliance the templates route to'), gw?.resource),
    ];
    if (g === 'igw') components.push(publicIpComponent(d.name, pd));
    components.push(
      routeComponent('route (return path)', table, g === 'other' ? OTHER_KINDS : [g], admissible, `the reply to ${source.name}`),
      naclComponent(pd.subnet.nacl, 'in', PEER, undefined, pd.subnet.name),
      groupsIn,
      ...this.podPolicies(d, 'ingress', { pods: undefined, axis: PEER, name: source.name }, undefined),
      servicesComponent(d),
      naclComponent(pd.subnet.nacl, 'out', PEER, mode, pd.subnet.name),
      fixedComponent('target', Bracket.ALL, () => `${where(d, pd)}`, firstResource(d)),
    );
    return makePath(`${source.name} → ${gw?.name ?? 'gateway'} → ${where(d, pd)}`, components);
  }

  private publicEndpoint(source: Extract<Source, { kind: 'external' }>, d: EniClass): Path {
    const set = Bracket.exact(d.publicEndpoint!.intersect(INTERNET));
    return makePath(`${source.name} → public API endpoint of ${d.name}`, [
      fixedComponent('source', Bracket.exact(source.peers), (p) => `${formatIp(p.peer)} (${source.name})`),
      fixedComponent('public endpoint', set, (p, ok) => (ok === true
        ? `the public API endpoint of ${d.name} admits ${formatIp(p.peer)} on tcp/443 (EndpointPublicAccess with PublicAccessCidrs)`
        : `the public API endpoint of ${d.name} admits only its PublicAccessCidrs on tcp/443`), firstResource(d)),
    ]);
  }

  /**
   * What a path between two pods lets through before NetworkPolicies and the destination's
   * listeners: `internal` without those components. It depends only on the two placements and the
   * two classes' security groups, so PodPairs asks it once for every pod pair sharing them.
   */
  public networkPart(s: EniClass, ps: Placement, d: EniClass, pd: Placement, mode: Mode): Bracket {
    return this.internal(s, ps.subnet, ps.subnet.addresses, where(s, ps), d, pd, mode, false).allowed;
  }

  /**
   * Between two places in the VPC (or peered VPCs). `s` is undefined for a host with no group.
   * `podLayer` false leaves out the NetworkPolicies and the destination's listeners (networkPart).
   */
  private internal(s: EniClass | undefined, sourceSubnet: Subnet, peers: PacketSet, sourceName: string, d: EniClass, pd: Placement, mode: Mode, podLayer = true, groupsIn?: Component): Path {
    const same = sourceSubnet === pd.subnet;
    const sameVpc = sourceSubnet.vpc === pd.subnet.vpc;
    const toDest: Axis = { kind: 'fixed', range: pd.subnet.range, text: `${d.name} (${pd.subnet.cidr})` };
    const components: Component[] = [fixedComponent('source', Bracket.exact(peers), (p) => `${sourceName}, address ${formatIp(p.peer)}`, s ? firstResource(s) : undefined)];
    if (s?.loadBalancer) components.push(this.balancerTargets(s, d));
    if (s?.clientVpn) components.push(this.clientVpnAuthorization(s, pd));
    if (s?.workload && podLayer) components.push(...this.podPolicies(s, 'egress', { pods: d.workload, axis: toDest, name: d.name, assumptions: d.assumptions }, d.workload));
    if (s && !(s.loadBalancer && s.groups.length === 0)) components.push(groupsComponent(s.groups, this.model.groups, 'out', toDest, membership(d), s.name));
    components.push(localRouteComponent(sourceSubnet.routeTable, pd.subnet.range, `${pd.subnet.cidr}`, sameVpc));
    if (!same) {
      components.push(naclComponent(sourceSubnet.nacl, 'out', toDest, undefined, sourceSubnet.name));
      components.push(naclComponent(pd.subnet.nacl, 'in', PEER, undefined, pd.subnet.name));
    }
    components.push(groupsIn ?? this.inboundGroups(d, membership(s)));
    if (podLayer) {
      components.push(...this.podPolicies(d, 'ingress', { pods: s?.workload, axis: PEER, name: sourceName, assumptions: s?.assumptions }, undefined));
      components.push(servicesComponent(d));
    }
    if (!same) {
      components.push(naclComponent(pd.subnet.nacl, 'out', PEER, mode, pd.subnet.name));
      components.push(naclComponent(sourceSubnet.nacl, 'in', toDest, mode, sourceSubnet.name));
    }
    components.push(routeComponent('route (return path)', pd.subnet.routeTable, sameVpc ? ['local'] : ['peering'], sameVpc ? Bracket.ALL : Bracket.UNKNOWN, `the reply to ${sourceName}`));
    components.push(fixedComponent('target', Bracket.ALL, () => where(d, pd), firstResource(d)));
    return makePath(`${sourceName} → ${where(d, pd)}`, components);
  }

  /**
   * The paths from `subnet` to a network outside the VPC of an interface with a public address and
   * nothing of its own (no security group, NetworkPolicy, load balancer or VPN). Every interface's
   * path from the subnet to that destination is one of these with more components, each letting
   * through at most everything: what these let through, and what their replies lose, bounds every
   * interface's (NaclReturnTraffic asks this once per subnet instead of once per class).
   */
  public subnetOutbound(subnet: Subnet, destination: Extract<Destination, { kind: 'external' }>, mode: Mode): Path[] {
    const any: Placement = { subnet, publicIp: 'yes', publicIpBy: 'any interface' };
    return this.outbound(undefined, subnet, any, `any interface in subnet ${subnet.name}`, destination, mode);
  }

  /** To networks outside the VPC: one path per route the destination addresses take. */
  private outbound(s: EniClass | undefined, subnet: Subnet, placement: Placement | undefined, sourceName: string, destination: Extract<Destination, { kind: 'external' }>, mode: Mode): Path[] {
    const paths: Path[] = [];
    const table = subnet.routeTable;
    let routed = PacketSet.EMPTY;
    for (const e of effectiveRoutes(table)) routed = routed.union(e.peers);
    const unrouted = destination.peers.minus(routed);
    if (!unrouted.isEmpty()) {
      // No route at all: the packet is dropped at the first hop; say so rather than show no path.
      paths.push(makePath(`${sourceName} → (no route) → ${destination.name}`, [
        fixedComponent('source', Bracket.ALL, () => sourceName, s ? firstResource(s) : undefined),
        fixedComponent('destination', Bracket.exact(unrouted), (p) => `${formatIp(p.peer)} (${destination.name})`),
        fixedComponent('route', Bracket.NONE, (p) => `route table ${table.name}${table.explicit ? '' : ' (main, no explicit association)'} has no route to ${formatIp(p.peer)}, so the packet is dropped`, table.resource),
      ]));
    }
    for (const e of effectiveRoutes(table)) {
      const peers = e.peers.intersect(destination.peers);
      if (peers.isEmpty() || e.route.target.kind === 'local') continue;
      const t = e.route.target;
      const components: Component[] = [
        fixedComponent('source', Bracket.ALL, () => sourceName, s ? firstResource(s) : undefined),
        fixedComponent('destination', Bracket.exact(destination.peers), (p) => `${formatIp(p.peer)} (${destination.name})`),
      ];
      if (s?.loadBalancer) {
        components.push(fixedComponent('load balancer target', Bracket.NONE, () => `${s.name} opens connections only to its targets, and ${destination.name} is none of them`, firstResource(s)));
      }
      if (s?.clientVpn) components.push(this.clientVpnAuthorization(s, undefined));
      if (s?.workload) components.push(...this.podPolicies(s, 'egress', { pods: undefined, axis: PEER, name: destination.name }, undefined));
      if (s) components.push(groupsComponent(s.groups, this.model.groups, 'out', PEER, NO_GROUPS, s.name));
      components.push(fixedComponent('route', Bracket.exact(e.peers), () => routeText(table, e.route), e.route.resource ?? table.resource, e.route.assumption ? [e.route.assumption] : []));
      components.push(naclComponent(subnet.nacl, 'out', PEER, undefined, subnet.name));
      const vpc = subnet.vpc;
      if (t.kind === 'igw') {
        if (placement) components.push(publicIpComponent(sourceName, placement));
        else components.push(fixedComponent('public address', Bracket.UNKNOWN, () => `whether a new host in ${subnet.name} gets a public address depends on how it is launched`));
        components.push(fixedComponent('gateway', Bracket.exact(INTERNET), (p, ok) => (ok ? `internet gateway ${t.name} to ${formatIp(p.peer)}` : `the internet gateway does not carry traffic to the private address ${formatIp(p.peer)}`)));
      } else if (t.kind === 'nat') {
        components.push(...this.natHops(t.key, subnet, mode));
      } else if (t.kind === 'vgw') {
        const admissible = admissibleFor('vgw', vpc.vgw?.remote ?? PacketSet.EMPTY, vpc.vgw?.dynamic ?? false, this.outside);
        components.push(fixedComponent('gateway', admissible, (p, ok) => (ok === true ? `VPN gateway ${t.name}: ${formatIp(p.peer)} is behind a VPN connection` : `VPN gateway ${t.name} has no VPN route to ${formatIp(p.peer)}`), vpc.vgw?.resource));
      } else if (t.kind === 'gateway-endpoint') {
        continue;
      } else {
        components.push(fixedComponent('gateway', t.kind === 'unknown' ? Bracket.NONE : Bracket.UNKNOWN, () => (t.kind === 'unknown'
          ? `the route target ${t.name} cannot be resolved; traffic is treated as dropped`
          : `${t.kind} ${t.name}: the networks beyond it are not in the templates`), e.route.resource, e.route.assumption ? [e.route.assumption] : []));
      }
      components.push(naclComponent(subnet.nacl, 'in', PEER, mode, subnet.name));
      paths.push(makePath(`${sourceName} → ${t.kind} ${t.name} → ${destination.name}`, components));
    }
    return paths;
  }

  private natHops(natKey: string | undefined, from: Subnet, mode: Mode): Component[] {
    const nat = natKey ? this.model.natGateways.get(natKey) : undefined;
    if (!nat) return [fixedComponent('NAT gateway', Bracket.NONE, () => `the NAT gateway ${natKey ?? ''} is not in the templates`)];
    const out: Component[] = [fixedComponent('NAT gateway', nat.isPublic ? Bracket.ALL : Bracket.exact(PacketSet.EMPTY), () => (nat.isPublic
      ? `NAT gateway ${nat.name}${nat.subnet ? ` in subnet ${nat.subnet.name}` : ' (regional)'} translates the source address`
      : `NAT gateway ${nat.name} is private (ConnectivityType: private) and cannot reach the internet`), nat.resource)];
    const n = nat.subnet;
    if (!n) {
      const vpc = [...this.model.vpcs.values()].find((v) => v.key === nat.vpcKey);
      out.push(fixedComponent('gateway', vpc?.igw ? Bracket.exact(INTERNET) : Bracket.NONE, () => (vpc?.igw ? `internet gateway ${vpc.igw.name}` : 'the VPC has no internet gateway for the regional NAT gateway'), vpc?.igw?.resource));
      return out;
    }
    const fromAxis: Axis = { kind: 'fixed', range: from.range, text: `${from.name} (${from.cidr})` };
    if (n !== from) {
      out.push(naclComponent(n.nacl, 'in', fromAxis, undefined, n.name));
      out.push(naclComponent(n.nacl, 'out', fromAxis, mode, n.name));
    }
    out.push(routeComponent('route (NAT subnet)', n.routeTable, ['igw'], Bracket.exact(INTERNET), 'the NAT gateway\'s traffic to the internet'));
    out.push(naclComponent(n.nacl, 'out', PEER, undefined, n.name));
    out.push(naclComponent(n.nacl, 'in', PEER, mode, n.name));
    return out;
  }

  /** A network load balancer without security groups filters nothing itself (its listeners still do). */
  private inboundGroups(d: EniClass, other: Membership): Component {
    if (d.loadBalancer && d.loadBalancer.type !== 'application' && d.loadBalancer.type !== 'classic' && d.groups.length === 0) {
      return fixedComponent('security group (inbound)', Bracket.ALL, () => `${d.name} is a ${d.loadBalancer!.type} load balancer without security groups: it admits every client on its listeners`, firstResource(d), [], 0);
    }
    return groupsComponent(d.groups, this.model.groups, 'in', PEER, other, d.name);
  }

  /** A load balancer connects only to its registered targets, on their target ports (some port, when that is unknown). */
  private balancerTargets(lb: EniClass, d: EniClass): Component {
    const entries = (lb.loadBalancer?.targetGroups ?? []).flatMap((tg) => tg.targets.filter((t) => t.classKey === d.key).map((t) => ({ tg, t })));
    let sure = PacketSet.EMPTY;
    let maybe = PacketSet.EMPTY;
    const assumptions: string[] = [];
    for (const { tg, t } of entries) {
      for (const p of tg.protocols) {
        if (t.portUnknown) {
          maybe = maybe.union(PacketSet.box({ protocol: p }));
          assumptions.push(t.portUnknown);
          continue;
        }
        sure = sure.union(PacketSet.box({ protocol: p, port: [t.port, t.port] }));
        if (tg.healthCheckPort !== undefined) sure = sure.union(PacketSet.box({ protocol: p, port: [tg.healthCheckPort, tg.healthCheckPort] }));
      }
    }
    return fixedComponent('load balancer target', new Bracket(sure, maybe.union(sure)), (p, ok) => {
      if (ok === true) {
        const e = entries.find(({ t, tg }) => t.port === p.port || tg.healthCheckPort === p.port)!;
        return `${lb.name} opens a new connection to its target ${d.name} on port ${p.port} (target group ${e.tg.name})`;
      }
      if (ok === 'unknown') return `${lb.name} forwards to ${d.name} on a target port the manifests do not give`;
      return entries.length === 0
        ? `${lb.name} does not forward to ${d.name} (it is in none of its target groups)`
        : `${lb.name} forwards to ${d.name} only on ${[...new Set(entries.map((e) => e.t.port))].join(', ')}`;
    }, entries[0]?.tg.resource ?? firstResource(lb), assumptions);
  }

  private clientVpnAuthorization(vpn: EniClass, pd: Placement | undefined): Component {
    const c = vpn.clientVpn!;
    const rules = c.authorizations;
    return component('Client VPN authorization', () => {
      let sure = PacketSet.EMPTY;
      let maybe = PacketSet.EMPTY;
      for (const r of rules) {
        if (!r.range) {
          maybe = PacketSet.ALL;
          continue;
        }
        const auth = PacketSet.peers(...r.range);
        if (pd) {
          const fixed = PacketSet.peers(...pd.subnet.range);
          if (auth.contains(fixed)) {
            if (r.allGroups) sure = PacketSet.ALL;
            maybe = PacketSet.ALL;
          } else if (auth.overlaps(fixed)) maybe = PacketSet.ALL;
        } else {
          if (r.allGroups) sure = sure.union(auth);
          maybe = maybe.union(auth);
        }
      }
      return { set: new Bracket(sure, maybe.union(sure)) };
    }, (p: Packet): Verdict => {
      const target = pd ? pd.subnet.cidr : formatIp(p.peer);
      const found = rules.find((r) => r.range && (pd ? r.range[0] <= pd.subnet.range[0] && pd.subnet.range[1] <= r.range[1] : r.range[0] <= p.peer && p.peer <= r.range[1]));
      if (found) return { allows: found.allGroups ? true : 'unknown', text: `Client VPN authorization rule for ${found.cidr} admits clients to ${target}${found.allGroups ? '' : ' (one directory group only)'}`, resource: found.resource };
      return { allows: false, text: `no Client VPN authorization rule covers ${target} (authorized: ${rules.map((r) => r.cidr).join(', ') || 'nothing'})`, resource: firstResource(vpn) };
    });
  }

  private podPolicies(pods: EniClass, direction: 'ingress' | 'egress', other: Parameters<typeof policyComponent>[3], dest: { namespace: string; name: string } | undefined): Component[] {
    if (!pods.workload || !this.model.k8s) return [];
    return [policyComponent(this.model.k8s, pods, direction, other, dest)];
  }

  /**
   * Network load balancers that keep the client's address are transparent: the client reaches the
   * target itself, so the target's groups, ACLs and policies see the client.
   */
  private throughNetworkBalancers(source: Source, d: EniClass, mode: Mode): Path[] {
    const paths: Path[] = [];
    for (const n of this.networkBalancers) {
      const lb = n.loadBalancer;
      if (!lb || lb.type !== 'network' || n === d || (source.kind === 'class' && source.cls === n)) continue;
      for (const listener of lb.listeners) {
        for (const tg of lb.targetGroups.filter((t) => listener.targetGroups.includes(t.key) && t.preserveClientIp)) {
          for (const target of tg.targets.filter((t) => t.classKey === d.key)) {
            const inner = this.compute(source, { kind: 'class', cls: n }, mode, false);
            const forwarded = inner.allowed.map((s) => s.forwardPort(listener.port, [target.port, target.port]));
            if (forwarded.isEmpty()) continue;
            for (const pd of d.placements) {
              const via = component('load balancer', () => ({ set: forwarded, assumptions: inner.assumptions }), (p): Verdict => {
                const before = { ...p, port: listener.port };
                const path = inner.paths.find((x) => x.allowed.maybe.has(before));
                const ok = forwarded.sure.has(p) ? true : forwarded.maybe.has(p) ? 'unknown' : false;
                return {
                  allows: ok, resource: listener.resource ?? firstResource(n),
                  text: `${n.name} listener ${listener.protocolName} ${listener.port} forwards to ${d.name} on port ${target.port} (target group ${tg.name}), keeping the client's address`,
                  inner: path ? explainPath(path, before) : undefined,
                };
              });
              const members: Membership = { groups: new Set([...n.groups, ...(source.kind === 'class' ? source.cls.groups : [])]), unknown: false };
              paths.push(makePath(`${sourceName(source)} → ${n.name} → ${where(d, pd)}`, [
                via,
                naclComponent(pd.subnet.nacl, 'in', PEER, undefined, pd.subnet.name),
                this.inboundGroups(d, members),
                ...this.podPolicies(d, 'ingress', { pods: source.kind === 'class' ? source.cls.workload : undefined, axis: PEER, name: sourceName(source), assumptions: source.kind === 'class' ? source.cls.assumptions : undefined }, undefined),
                servicesComponent(d),
                naclComponent(pd.subnet.nacl, 'out', PEER, mode, pd.subnet.name),
                fixedComponent('target', Bracket.ALL, () => where(d, pd), firstResource(d)),
              ], n));
            }
          }
        }
      }
    }
    return paths;
  }
}

/**
 * What gets through beyond what `declared` allows, path by path. A path through a network load
 * balancer is attributed to the load balancer: the client reached the load balancer (checked on its
 * own), and the load balancer the target.
 */
export function excess(reach: Reach, declared: (source: Source) => PacketSet): Bracket {
  let sure = PacketSet.EMPTY;
  let maybe = PacketSet.EMPTY;
  let covered = PacketSet.EMPTY;
  const own = declared(reach.source);
  for (const path of reach.paths) {
    const d = path.via ? declared({ kind: 'class', cls: path.via }) : own;
    sure = sure.union(path.allowed.sure.minus(d));
    maybe = maybe.union(path.allowed.maybe.minus(d));
    covered = covered.union(path.allowed.maybe);
  }
  // What the reach holds beyond its paths (a class the model could not place) is the source's own.
  const rest = reach.allowed.maybe.minus(covered).minus(own);
  return new Bracket(sure.intersect(reach.allowed.sure), maybe.intersect(reach.allowed.maybe).union(rest));
}

/** Every step of a path for one packet: the witness of a reachable packet. */
export function explainPath(path: Path, p: Packet): Hop[] {
  return path.components.map((c) => ({ step: c.step, verdict: c.explain(p) }));
}

/** The path that carries a packet, preferring one that certainly does. */
export function pathFor(reach: Reach, p: Packet): Path | undefined {
  return reach.paths.find((x) => x.allowed.sure.has(p)) ?? reach.paths.find((x) => x.allowed.maybe.has(p));
}

/** For a packet that does not get through: on every path, every component that stops it. */
export function blockersOf(reach: Reach, p: Packet): { path: string; blockers: Verdict[] }[] {
  return reach.paths.map((path) => {
    // Each path starts from its own addresses: ask about the same service from one of them.
    const first = path.components[0];
    const own = first?.step === 'source' && !first.set.maybe.has(p) ? first.set.maybe.sample() : undefined;
    const q = own ? { ...p, peer: own.peer } : p;
    return { path: path.title, blockers: path.components.map((c) => c.explain(q)).filter((v) => v.allows !== true) };
  });
}


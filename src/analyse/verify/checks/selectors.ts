/**
 * From the spec's references to what the model knows: `db/main` → the classes whose security
 * group belongs to db/main; `internet` → the public address space; `vpc` → any host in any subnet;
 * `cidr:…` → addresses inside or outside the VPC. Without a spec, a reference may also name a
 * class by its logical id.
 */
import type { Plan, PortRange } from '../../../plan/types.js';
import type { Destination, Engine, Reach, Source } from '../../model/engine/reach.js';
import type { EniClass, Model } from '../../model/types.js';
import { matches } from '../../model/k8s.js';
import { cidrRange, INTERNET, PacketSet, PROTOCOL } from '../../model/packets.js';

export interface Selectors {
  readonly model: Model;
  readonly engine: Engine;
  readonly plan: Plan | undefined;
}

/** The address ranges a reference stands for, if it is address-like (internet, vpc, cidr:, sites/). */
export function addressesOf(ref: string, s: Selectors, internetIsEverything: boolean): PacketSet | undefined {
  if (ref === 'internet') return internetIsEverything ? PacketSet.ALL : INTERNET;
  if (ref.startsWith('cidr:')) {
    const r = cidrRange(ref.slice(5));
    return r ? PacketSet.peers(...r) : PacketSet.EMPTY;
  }
  const endpoint = s.plan?.endpoints[ref];
  if (ref === 'vpc') {
    if (endpoint) return cidrsSet(endpoint.cidrs);
    let all = PacketSet.EMPTY;
    for (const v of s.model.vpcs.values()) all = all.union(v.addresses);
    return all;
  }
  if (endpoint && !endpoint.hasSecurityGroup && endpoint.cidrs.length > 0) return cidrsSet(endpoint.cidrs);
  return undefined;
}

function cidrsSet(cidrs: readonly string[]): PacketSet {
  return cidrs.reduce((set, c) => {
    const r = cidrRange(c);
    return r ? set.union(PacketSet.peers(...r)) : set;
  }, PacketSet.EMPTY);
}

/** Answers of classesOf per check run (its model and plan): asked for every pair an intent covers, always about the spec's few references. */
const named = new WeakMap<Selectors, Map<string, EniClass[]>>();

/** Classes a reference names: by spec reference, by workload labels (apps, services), or by logical id. */
export function classesOf(ref: string, s: Selectors): EniClass[] {
  let byRef = named.get(s);
  if (!byRef) named.set(s, (byRef = new Map()));
  let hit = byRef.get(ref);
  if (!hit) byRef.set(ref, (hit = findClasses(ref, s)));
  return hit;
}

function findClasses(ref: string, s: Selectors): EniClass[] {
  const byRef = s.model.classes.filter((c) => c.refs.includes(ref));
  if (byRef.length > 0) return byRef;
  const workload = [...(s.plan?.workloads?.apps ?? []), ...(s.plan?.workloads?.services ?? [])].find((w) => w.ref === ref);
  if (workload) {
    return s.model.classes.filter((c) => c.workload?.labels && c.workload.namespace === workload.namespace
      && matches({ matchLabels: workload.labels, matchExpressions: [] }, c.workload.labels));
  }
  // Without a spec (verify --intents), `resource/LOGICAL_ID` names the classes a template resource makes.
  const id = ref.startsWith('resource/') ? ref.slice('resource/'.length) : ref;
  return s.model.classes.filter((c) => c.name === ref || c.resources.some((r) => r.logicalId === id));
}

/** Pods that run on a class: they carry its security groups (VPC CNI), so its references name them too. */
export function podsOn(cls: EniClass, s: Selectors): EniClass[] {
  return s.model.classes.filter((c) => c.runsOn === cls.key);
}

/** The classes a reference names, each with the pods running on it: `cluster/nodes` is the nodes and their pods. */
export function membersOf(ref: string, s: Selectors): EniClass[][] {
  return classesOf(ref, s).map((cls) => [cls, ...podsOn(cls, s)]);
}

/** Sources a reference stands for. */
export function sourcesOf(ref: string, s: Selectors): Source[] {
  if (ref === 'internet') return [{ kind: 'external', name: 'internet', peers: INTERNET, via: ['igw'] }];
  const addresses = addressesOf(ref, s, false);
  if (addresses) {
    const out: Source[] = [];
    let inside = PacketSet.EMPTY;
    for (const subnet of s.model.subnets.values()) {
      const peers = subnet.addresses.intersect(addresses);
      if (peers.isEmpty()) continue;
      inside = inside.union(peers);
      out.push({ kind: 'hosts', name: `${ref} (any host in subnet ${subnet.name})`, subnet, peers });
    }
    let vpcs = PacketSet.EMPTY;
    for (const v of s.model.vpcs.values()) vpcs = vpcs.union(v.addresses);
    const outside = addresses.minus(vpcs);
    if (!outside.isEmpty()) {
      const site = ref.startsWith('sites/');
      out.push({ kind: 'external', name: ref, peers: outside, via: site ? ['vgw'] : ['igw', 'vgw', 'other'] });
    }
    return out;
  }
  return classesOf(ref, s).map((cls) => ({ kind: 'class', cls }));
}

export interface DestinationWithPorts {
  readonly destination: Destination;
  /** The packets the statement is about (every packet when no port is given). */
  readonly ports: PacketSet;
}

export function portsSet(ports: PortRange | undefined): PacketSet {
  if (!ports) return PacketSet.ALL;
  const protocol = ports.protocol === 'udp' ? PROTOCOL.udp : ports.protocol === 'icmp' ? PROTOCOL.icmp : PROTOCOL.tcp;
  if (ports.protocol === 'all') return PacketSet.ALL;
  return PacketSet.box({ protocol: [protocol, protocol], port: [ports.from, ports.to] });
}

/** Destinations a reference stands for. */
export function destinationsOf(ref: string, ports: PortRange | undefined, s: Selectors): DestinationWithPorts[] {
  const p = portsSet(ports);
  if (ref === 'vpc') return s.model.classes.map((cls) => ({ destination: { kind: 'class', cls }, ports: p }));
  const addresses = addressesOf(ref, s, false);
  if (addresses) {
    let vpcs = PacketSet.EMPTY;
    for (const v of s.model.vpcs.values()) vpcs = vpcs.union(v.addresses);
    const out: DestinationWithPorts[] = [];
    const outside = addresses.minus(vpcs);
    if (!outside.isEmpty()) out.push({ destination: { kind: 'external', name: ref, peers: outside }, ports: p });
    for (const cls of s.model.classes) {
      if (cls.placements.some((pl) => pl.subnet.addresses.overlaps(addresses))) out.push({ destination: { kind: 'class', cls }, ports: p });
    }
    return out;
  }
  return membersOf(ref, s).flat().map((cls) => ({ destination: { kind: 'class', cls }, ports: p }));
}

/**
 * What a statement "SOURCE must reach REF on PORTS" asks of the model: one requirement per thing
 * the reference names, met when any of its members answers (a node group, or the pods on it: the
 * rule that admits one admits all, and a load balancer reaches its target pods, not the nodes).
 */
export interface Requirement {
  readonly name: string;
  readonly members: readonly Destination[];
  readonly ports: PacketSet;
}

export function requirementsOf(ref: string, ports: PortRange | undefined, s: Selectors): Requirement[] {
  const p = portsSet(ports);
  const addresses = addressesOf(ref, s, false);
  if (ref === 'vpc' || addresses) {
    return destinationsOf(ref, ports, s).map((d) => ({ name: d.destination.kind === 'class' ? d.destination.cls.name : d.destination.name, members: [d.destination], ports: p }));
  }
  return membersOf(ref, s).map((members) => ({ name: members[0]!.name, members: members.map((cls) => ({ kind: 'class' as const, cls })), ports: p }));
}

/**
 * Of a requirement's members, the one whose path best explains why `source` does not reach it: the
 * source's own target, else a member that answers the ports, else the named class itself.
 */
export function evidenceMember(source: Source, requirement: Requirement, missing: PacketSet): Destination {
  const classes = requirement.members.flatMap((d) => (d.kind === 'class' ? [d.cls] : []));
  const targets = source.kind === 'class' ? new Set(source.cls.loadBalancer?.targetGroups.flatMap((tg) => tg.targets.map((t) => t.classKey)) ?? []) : new Set<string>();
  const services = missing.withPeers(PacketSet.ALL);
  const chosen = classes.find((c) => targets.has(c.key) && c.accepts.overlaps(services))
    ?? classes.find((c) => targets.has(c.key))
    ?? classes.find((c) => c.accepts.overlaps(services));
  return chosen ? { kind: 'class', cls: chosen } : requirement.members[0]!;
}

/** Every destination "*" stands for, seen from a source: every class, and beyond the VPC when the source is inside. */
export function allDestinations(source: Source, s: Selectors): DestinationWithPorts[] {
  const out: DestinationWithPorts[] = s.model.classes.map((cls) => ({ destination: { kind: 'class', cls }, ports: PacketSet.ALL }));
  if (source.kind !== 'external') {
    out.push({ destination: { kind: 'external', name: 'internet', peers: INTERNET }, ports: PacketSet.ALL });
  }
  return out;
}

/**
 * Whether a reference covers a class as a source: the class itself, or pods running on the nodes it
 * names (pods use the nodes' security groups, so `cluster/nodes` speaks for them too).
 */
export function coversClass(ref: string, cls: EniClass, s: Selectors): boolean {
  const named = classesOf(ref, s);
  if (named.includes(cls)) return true;
  return cls.runsOn !== undefined && named.some((n) => n.key === cls.runsOn);
}

/** The packets of `source` an allowed-source entry (a reference) covers: by address, or by class. */
export function sourceCoverage(ref: string, source: Source, s: Selectors): PacketSet {
  const addresses = addressesOf(ref, s, true);
  if (addresses) return addresses;
  if (source.kind !== 'class') return PacketSet.EMPTY;
  return coversClass(ref, source.cls, s) ? PacketSet.ALL : PacketSet.EMPTY;
}

/** The packets to `destination` an allowed-destination entry covers. */
export function destinationCoverage(ref: string, destination: Destination, s: Selectors): PacketSet {
  if (destination.kind === 'external') {
    const addresses = addressesOf(ref, s, false);
    return addresses ? addresses.intersect(destination.peers) : PacketSet.EMPTY;
  }
  return destinationClasses(ref, s).has(destination.cls) ? PacketSet.ALL : PacketSet.EMPTY;
}

/** The classes a reference names as a destination, per check run: asked for every finding of an `only` intent. */
const destinationsNamed = new WeakMap<Selectors, Map<string, ReadonlySet<EniClass>>>();

function destinationClasses(ref: string, s: Selectors): ReadonlySet<EniClass> {
  let byRef = destinationsNamed.get(s);
  if (!byRef) destinationsNamed.set(s, (byRef = new Map()));
  let hit = byRef.get(ref);
  if (!hit) byRef.set(ref, (hit = new Set(destinationsOf(ref, undefined, s).flatMap((d) => (d.destination.kind === 'class' ? [d.destination.cls] : [])))));
  return hit;
}

/** The peer addresses a source stands for (its subnets, for a class). */
export function peersOf(source: Source): PacketSet {
  if (source.kind !== 'class') return source.peers;
  return source.cls.placements.reduce((acc, p) => acc.union(p.subnet.addresses), PacketSet.EMPTY);
}

/**
 * What of a requirement `source` does not certainly reach: the packets it needs (the destination's
 * addresses when outside the VPC, the source's own otherwise, on the requirement's ports) that no
 * member lets through. Undefined when every packet certainly gets through.
 */
export function unmet(source: Source, requirement: Requirement, s: Selectors): { definite: boolean; set: PacketSet; reach: Reach; named: string; assumptions: string[] } | undefined {
  let sure = PacketSet.EMPTY;
  let maybe = PacketSet.EMPTY;
  const assumptions = new Set<string>();
  let required = PacketSet.EMPTY;
  const reaches: Reach[] = [];
  // The members most likely to answer first (a load balancer's own targets), so one often settles it.
  const targets = source.kind === 'class' ? new Set(source.cls.loadBalancer?.targetGroups.flatMap((tg) => tg.targets.map((t) => t.classKey)) ?? []) : new Set<string>();
  const members = [...requirement.members].sort((a, b) => Number(b.kind === 'class' && targets.has(b.cls.key)) - Number(a.kind === 'class' && targets.has(a.cls.key)));
  for (const member of members) {
    if (source.kind === 'external' && member.kind === 'external') continue;
    const reach = s.engine.reach(source, member, 'must');
    reaches.push(reach);
    required = required.union((member.kind === 'external' ? member.peers : peersOf(source)).intersect(requirement.ports));
    sure = sure.union(reach.allowed.sure);
    maybe = maybe.union(reach.allowed.maybe);
    for (const a of reach.assumptions) assumptions.add(a);
    if (required.minus(sure).isEmpty()) return undefined;
  }
  if (reaches.length === 0) return undefined;
  const missing = required.minus(maybe);
  const uncertain = required.minus(sure);
  const definite = !missing.isEmpty();
  const set = definite ? missing : uncertain;
  const evidence = evidenceMember(source, requirement, set);
  const reach = reaches.find((r) => (evidence.kind === 'class' ? r.destination.kind === 'class' && r.destination.cls === evidence.cls : r.destination === evidence)) ?? reaches[0]!;
  const pods = requirement.members.length > 1 ? ' (nor the pods on it)' : '';
  return { definite, set, reach, named: `${requirement.name}${pods}`, assumptions: definite ? [] : [...assumptions] };
}

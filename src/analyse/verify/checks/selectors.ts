/**
 * From the spec's references to what the model knows: `db/main` → the classes whose security
 * group belongs to db/main; `internet` → the public address space; `vpc` → any host in any subnet;
 * `cidr:…` → addresses inside or outside the VPC. Without a spec, a reference may also name a
 * class by its logical id.
 */
import type { Plan, PortRange } from '../../../plan/types.js';
import type { Destination, Engine, Source } from '../engine/reach.js';
import type { EniClass, Model } from '../model/types.js';
import { matches } from '../model/k8s.js';
import { cidrRange, INTERNET, PacketSet, PROTOCOL } from '../packets.js';

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

/** Classes a reference names: by spec reference, by workload labels (apps, services), or by logical id. */
export function classesOf(ref: string, s: Selectors): EniClass[] {
  const byRef = s.model.classes.filter((c) => c.refs.includes(ref));
  if (byRef.length > 0) return byRef;
  if (ref.startsWith('ingress/')) {
    const groups = (s.plan?.workloads?.ingressGroups ?? []).filter((g) => `ingress/${g.scheme}` === ref).map((g) => `ingress-group/${g.name}`);
    return s.model.classes.filter((c) => c.refs.some((r) => groups.includes(r)));
  }
  const workload = [...(s.plan?.workloads?.apps ?? []), ...(s.plan?.workloads?.services ?? [])].find((w) => w.ref === ref);
  if (workload) {
    return s.model.classes.filter((c) => c.workload && c.workload.namespace === workload.namespace
      && matches({ matchLabels: workload.labels, matchExpressions: [] }, c.workload.labels));
  }
  return s.model.classes.filter((c) => c.name === ref || c.resources.some((r) => r.logicalId === ref));
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
  return classesOf(ref, s).map((cls) => ({ destination: { kind: 'class', cls }, ports: p }));
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
  return destinationsOf(ref, undefined, s).some((d) => d.destination.kind === 'class' && d.destination.cls === destination.cls) ? PacketSet.ALL : PacketSet.EMPTY;
}

/** The peer addresses a source stands for (its subnets, for a class). */
export function peersOf(source: Source): PacketSet {
  if (source.kind !== 'class') return source.peers;
  return source.cls.placements.reduce((acc, p) => acc.union(p.subnet.addresses), PacketSet.EMPTY);
}

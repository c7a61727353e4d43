/**
 * Every flow one version allows, keyed by names that survive a rebuild (spec references such as
 * `apps/kibana`, `db/main`, `lb/public`, or `internet`), so two versions can be compared flow by flow.
 * The answers are the diagram's (collectFlows asks verify's engine the same questions), plus one
 * derived kind a reviewer cares most about: what an outside source reaches *through* a load
 * balancer, e.g. internet → lb/public → apps/kibana:5601.
 */
import { collectFlows, INTERNET_SOURCE, type FlowEnd } from '../diagram/model/flows.js';
import type { Destination, Engine, Source } from '../model/engine/reach.js';
import type { EniClass, Model } from '../model/types.js';
import { Bracket, INTERNET, PacketSet } from '../model/packets.js';

export interface FlowEntry {
  /** `from → to`, or `from → to via lb` for a flow through a load balancer. */
  readonly key: string;
  readonly from: string;
  readonly to: string;
  /** The load balancer an outside source goes through to reach `to`. */
  readonly via: string | undefined;
  /** The source is outside the VPC (the internet, a site network, VPN clients). */
  readonly outside: boolean;
  /** What the destination is (`database`, `pods`, `internet`, ...): data stores raise the stakes. */
  readonly toKind: string;
  /**
   * What gets through: protocol × port, with the peer axis kept only where it means something stable
   * (the outside addresses of an outside source or destination); for two ends in the VPC it is every peer.
   */
  readonly set: Bracket;
  /** The engine question behind the entry (one per hop for a flow through a load balancer), to explain it. */
  readonly hops: readonly FlowHop[];
}

export interface FlowHop {
  readonly source: Source;
  readonly destination: Destination;
  /** The packets of this hop as the engine sees them (peers are the source's addresses). */
  readonly set: Bracket;
}

export type FlowTable = ReadonlyMap<string, FlowEntry>;

const INTERNET_DESTINATION: Destination = { kind: 'external', name: 'internet', peers: INTERNET };

/** The name a report gives a class: a load balancer by its `lb/` reference when the spec names it. */
export function endName(cls: EniClass): string {
  if (cls.kind === 'load-balancer') return cls.refs.find((r) => r.startsWith('lb/')) ?? cls.name;
  return cls.name;
}

interface End {
  readonly name: string;
  readonly kind: string;
  readonly outside: boolean;
  readonly source: Source | undefined;
  readonly destination: Destination | undefined;
}

function endOf(end: FlowEnd): End {
  switch (end.type) {
    case 'class': return { name: endName(end.cls), kind: end.cls.kind, outside: false, source: { kind: 'class', cls: end.cls }, destination: { kind: 'class', cls: end.cls } };
    case 'internet': return { name: 'internet', kind: 'internet', outside: true, source: INTERNET_SOURCE, destination: INTERNET_DESTINATION };
    case 'egress': return { name: 'internet', kind: 'internet', outside: false, source: undefined, destination: INTERNET_DESTINATION };
    case 'vpc': return { name: `any host in VPC ${end.vpc.name}`, kind: 'vpc', outside: false, source: undefined, destination: undefined };
    case 'site': {
      const name = `networks behind ${end.gateway.name}`;
      return { name, kind: 'site', outside: true, source: { kind: 'external', name, peers: end.gateway.remote, via: ['vgw'] }, destination: { kind: 'external', name, peers: end.gateway.remote } };
    }
    case 'vpn-clients': return { name: `VPN clients of ${endName(end.endpoint)}`, kind: 'vpn-clients', outside: true, source: { kind: 'class', cls: end.endpoint }, destination: undefined };
  }
}

function peersOnly(set: PacketSet): PacketSet {
  return set.peerRanges().reduce((acc, [lo, hi]) => acc.union(PacketSet.peers(lo, hi)), PacketSet.EMPTY);
}

/** Keeps the peer axis for outside ends (addresses on the internet are stable); drops it inside the VPC. */
function normalise(set: Bracket, keepPeers: boolean): Bracket {
  return keepPeers ? set : set.map((s) => s.withPeers(PacketSet.ALL));
}

export function flowTable(model: Model, engine: Engine): FlowTable {
  const table = new Map<string, FlowEntry>();
  const put = (entry: FlowEntry) => {
    const old = table.get(entry.key);
    table.set(entry.key, old ? { ...old, set: old.set.union(entry.set), hops: [...old.hops, ...entry.hops] } : entry);
  };
  const facts = collectFlows(model, { podToPod: true }, engine);
  for (const fact of facts) {
    const from = endOf(fact.from);
    const to = endOf(fact.to);
    const keepPeers = from.outside || fact.to.type === 'egress' || to.kind === 'site';
    const hops = from.source && to.destination ? [{ source: from.source, destination: to.destination, set: fact.set }] : [];
    put({ key: `${from.name} → ${to.name}`, from: from.name, to: to.name, via: undefined, outside: from.outside, toKind: to.kind, set: normalise(fact.set, keepPeers), hops });
  }
  // Through a load balancer: an outside source that reaches the balancer reaches what it forwards to.
  for (const entry of fact2entries(facts)) {
    const { outsideFact, lbFact } = entry;
    const from = endOf(outsideFact.from);
    const lb = endOf(outsideFact.to);
    const to = endOf(lbFact.to);
    const peers = { sure: peersOnly(outsideFact.set.sure), maybe: peersOnly(outsideFact.set.maybe) };
    const set = new Bracket(lbFact.set.sure.withPeers(peers.sure), lbFact.set.maybe.withPeers(peers.maybe));
    if (set.isEmpty()) continue;
    put({
      key: `${from.name} → ${to.name} via ${lb.name}`, from: from.name, to: to.name, via: lb.name, outside: true, toKind: to.kind, set,
      hops: [{ source: from.source!, destination: lb.destination!, set: outsideFact.set }, { source: lb.source!, destination: to.destination!, set: lbFact.set }],
    });
  }
  return table;
}

type Fact = ReturnType<typeof collectFlows>[number];

function fact2entries(facts: readonly Fact[]): { outsideFact: Fact; lbFact: Fact }[] {
  const out: { outsideFact: Fact; lbFact: Fact }[] = [];
  for (const outsideFact of facts) {
    if (outsideFact.to.type !== 'class' || outsideFact.to.cls.kind !== 'load-balancer' || !endOf(outsideFact.from).outside || !endOf(outsideFact.from).source) continue;
    const lb = outsideFact.to.cls;
    for (const lbFact of facts) {
      if (lbFact.from.type === 'class' && lbFact.from.cls === lb && lbFact.to.type === 'class') out.push({ outsideFact, lbFact });
    }
  }
  return out;
}

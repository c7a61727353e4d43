/**
 * What verify reports: findings (a violation, or an "unknown" when the answer depends on an
 * assumption), each with the evidence a reader needs to act — a witness path for something that
 * gets through, or every blocking component for something that must get through and does not.
 */
import type { Assumption, ResourceRef } from '../model/assumptions.js';
import type { Hop, Verdict } from '../model/engine/component.js';
import { blockersOf, explainPath, pathFor, sourceName, type Destination, type GatewayKind, type Reach, type Source } from '../model/engine/reach.js';
import { describePacket } from '../model/engine/evaluate.js';
import { formatIp, formatPeers, type Packet, type PacketSet } from '../model/packets.js';
import type { SourceLocation, SpecPath } from '../../spec/diagnostics.js';

export type Level = 'error' | 'warning';
export type Status = 'violation' | 'unknown';

/**
 * One end of a witness or a blocked flow, as data for programs (the diagram, scripts reading the
 * JSON report): a class of the model by its key, addresses outside the VPC (with the gateways they
 * come in by, as a source), or any new host of a subnet.
 */
export type End =
  | { readonly kind: 'class'; readonly classKey: string }
  | { readonly kind: 'external'; readonly name: string; readonly peers: PacketSet; readonly via?: readonly GatewayKind[] }
  | { readonly kind: 'hosts'; readonly subnetKey: string; readonly peers: PacketSet };

export interface Witness {
  readonly from: string;
  readonly to: string;
  /** The packets that get through, summarised. */
  readonly packets: string;
  /** The one packet the hops follow. */
  readonly packet: string;
  readonly path: string;
  readonly hops: readonly Hop[];
  /**
   * The reachability behind the text, when the witness is a packet that gets through (a witness of
   * a configuration, such as a route to the internet gateway, has none): its two ends, the packets
   * that get through (peer × protocol × port; the peer is the far side, as in `packets`), and the
   * packet the hops follow.
   */
  readonly source?: End;
  readonly destination?: End;
  readonly set?: PacketSet;
  readonly sample?: Packet;
}

export interface Blocked {
  readonly from: string;
  readonly to: string;
  readonly packet: string;
  /** Every path tried, with every component that stops the packet on it. */
  readonly paths: readonly { readonly path: string; readonly blockers: readonly Verdict[] }[];
  readonly source: End;
  readonly destination: End;
  /** The packets that should get through and do not (or may not). */
  readonly set: PacketSet;
  /** The packet the blockers are found for. */
  readonly sample: Packet;
}

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly level: Level;
  readonly status: Status;
  readonly message: string;
  /** The resource to point at (SARIF location). */
  readonly resource: ResourceRef | undefined;
  readonly witness?: Witness;
  readonly blocked?: Blocked;
  /** Assumption ids the answer depends on. */
  readonly assumptions: readonly string[];
  /** Where the statement comes from in the spec (flows and intents). */
  readonly origin?: { readonly path: SpecPath; readonly text: string; readonly location?: SourceLocation };
}

export interface CheckSummary {
  readonly id: string;
  readonly name: string;
  readonly level: Level;
  readonly status: 'holds' | Status;
  readonly findings: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly inputs: readonly string[];
  /** The checks that apply to the input, each with its status. */
  readonly checks: readonly CheckSummary[];
  /** The checks that do not apply, and why: the spec's checks without a spec, an intent check no intent asks for. */
  readonly notApplicable: readonly { readonly id: string; readonly name: string; readonly why: string }[];
  readonly findings: readonly Finding[];
  readonly assumptions: readonly Assumption[];
  readonly model: { readonly vpcs: number; readonly subnets: number; readonly securityGroups: number; readonly classes: number; readonly interfaces: number };
  readonly durationMs: number;
}

/** Addresses verify prefers for witnesses, when the set holds them: documentation ranges read as examples. */
const HINT_PEERS = ['198.51.100.7', '203.0.113.50', '192.0.2.10', '10.0.0.10'];

const HINT_ADDRESSES = HINT_PEERS.map(ipNumber);

export function samplePacket(set: PacketSet, preferPorts: readonly number[] = []): Packet | undefined {
  for (const peer of HINT_ADDRESSES) {
    for (const port of [...preferPorts, 443, 80, 22]) {
      for (const protocol of [6, 17]) {
        const p = { peer, protocol, port };
        if (set.has(p)) return p;
      }
    }
  }
  const sampled = set.sample();
  if (!sampled) return undefined;
  // A host address reads better than a network address (10.0.3.10 rather than 10.0.3.0).
  const host = { ...sampled, peer: sampled.peer + 10 };
  const first = set.has(host) ? host : sampled;
  for (const port of preferPorts) {
    const p = { ...first, port };
    if (set.has(p)) return p;
  }
  return first;
}

function ipNumber(text: string): number {
  return text.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function packetText(p: Packet, peerIsSource = true): string {
  return `${describePacket(p)} ${peerIsSource ? 'from' : 'to'} ${formatIp(p.peer)}`;
}

export function summarise(set: PacketSet): string {
  const services = set.servicesString();
  const peers = formatPeers(set.peerRanges());
  return `${services} from ${peers}`;
}

/** The two ends of a reachability question, as data. */
export function endsOf(reach: Reach): { source: End; destination: End } {
  return { source: sourceEnd(reach.source), destination: destinationEnd(reach.destination) };
}

function sourceEnd(source: Source): End {
  switch (source.kind) {
    case 'class': return { kind: 'class', classKey: source.cls.key };
    case 'external': return { kind: 'external', name: source.name, peers: source.peers, via: source.via };
    case 'hosts': return { kind: 'hosts', subnetKey: source.subnet.key, peers: source.peers };
  }
}

function destinationEnd(destination: Destination): End {
  return destination.kind === 'class' ? { kind: 'class', classKey: destination.cls.key } : { kind: 'external', name: destination.name, peers: destination.peers };
}

/** A witness for packets of `set` (a subset of what `reach` lets through). */
export function witnessOf(reach: Reach, set: PacketSet, preferPorts: readonly number[] = []): Witness | undefined {
  const p = samplePacket(set, preferPorts);
  if (!p) return undefined;
  const path = pathFor(reach, p);
  if (!path) return undefined;
  const outbound = reach.destination.kind === 'external';
  return {
    from: sourceName(reach.source),
    to: reach.destination.kind === 'class' ? reach.destination.cls.name : reach.destination.name,
    packets: outbound ? `${set.servicesString()} to ${formatPeers(set.peerRanges())}` : summarise(set),
    packet: packetText(p, !outbound),
    path: path.title,
    hops: explainPath(path, p),
    ...endsOf(reach),
    set,
    sample: p,
  };
}

/** Why the packets of `missing` do not get through: every blocking component on every path. */
export function blockedOf(reach: Reach, missing: PacketSet, preferPorts: readonly number[] = []): Blocked | undefined {
  const p = samplePacket(missing, preferPorts);
  if (!p) return undefined;
  const outbound = reach.destination.kind === 'external';
  const paths = blockersOf(reach, p);
  return {
    from: sourceName(reach.source),
    to: reach.destination.kind === 'class' ? reach.destination.cls.name : reach.destination.name,
    packet: packetText(p, !outbound),
    paths: paths.length > 0 ? paths : [{ path: 'no path', blockers: [{ allows: false, text: `the model has no path from ${sourceName(reach.source)} to this destination (no shared VPC, gateway or route)`, resource: undefined }] }],
    ...endsOf(reach),
    set: missing,
    sample: p,
  };
}

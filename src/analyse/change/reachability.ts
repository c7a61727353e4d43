/**
 * Reachability diff: flows one version allows and the other does not, each with its evidence — the
 * path a newly allowed packet takes (on the new version), and what stops a lost one (on the new
 * version, or the fact that an end is gone). "internet can now reach apps/kibana:5601 through
 * lb/public" is the line this section exists for.
 */
import { blockedOf, witnessOf } from '../verify/findings.js';
import type { Destination, Source } from '../model/engine/reach.js';
import { Bracket, formatPeers, INTERNET, PacketSet } from '../model/packets.js';
import { endName, type FlowEntry } from './flows.js';
import type { AnalysedSide } from './side.js';

export interface FlowChange {
  readonly change: 'opened' | 'closed';
  readonly from: string;
  readonly to: string;
  readonly via: string | undefined;
  /** The source is outside the VPC: an opened flow is new exposure. */
  readonly outside: boolean;
  readonly toKind: string;
  /** `tcp/5601`, `tcp/30000-32767, udp/53`. */
  readonly services: string;
  /** The outside addresses concerned, when the source or destination is outside the VPC. */
  readonly peers: string | undefined;
  /** `maybe`: it depends on something the model could not resolve (an assumption). */
  readonly certainty: 'sure' | 'maybe';
  readonly sentence: string;
  /** Opened: the path a packet takes, hop by hop, on the new version. */
  readonly witness: readonly { readonly path: string; readonly packet: string; readonly steps: readonly string[] }[];
  /** Closed: every component that stops it on the new version (or the end that is gone). */
  readonly blockers: readonly string[];
}

export interface ReachabilityDiff {
  readonly opened: readonly FlowChange[];
  readonly closed: readonly FlowChange[];
  /** Flows compared on each side. */
  readonly flowsBefore: number;
  readonly flowsAfter: number;
}

const MAX_BLOCKERS = 4;

export function diffReachability(before: AnalysedSide, after: AnalysedSide): ReachabilityDiff {
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  for (const [key, a] of after.flows) {
    const b = before.flows.get(key);
    const gained = minus(a.set, b?.set ?? Bracket.NONE);
    if (!gained.isEmpty()) opened.push(describe('opened', a, gained, explainOpened(a, gained, after)));
  }
  for (const [key, b] of before.flows) {
    const a = after.flows.get(key);
    const lost = minus(b.set, a?.set ?? Bracket.NONE);
    if (!lost.isEmpty()) closed.push(describe('closed', b, lost, explainClosed(b, lost, after)));
  }
  const order = (x: FlowChange, y: FlowChange) => Number(y.outside) - Number(x.outside) || x.from.localeCompare(y.from) || x.to.localeCompare(y.to) || (x.via ?? '').localeCompare(y.via ?? '');
  return { opened: opened.sort(order), closed: closed.sort(order), flowsBefore: before.flows.size, flowsAfter: after.flows.size };
}

/**
 * What `a` lets through that `b` could not: surely new where `a` surely allows it, possibly new where
 * `a` may. A flow that was possible and becomes certain is not new.
 */
function minus(a: Bracket, b: Bracket): Bracket {
  return new Bracket(a.sure.minus(b.maybe), a.maybe.minus(b.maybe));
}

function describe(change: FlowChange['change'], e: FlowEntry, set: Bracket, evidence: Pick<FlowChange, 'witness' | 'blockers'>): FlowChange {
  const sure = !set.sure.isEmpty();
  const shown = sure ? set.sure : set.maybe;
  const services = shown.servicesString();
  const peers = e.outside || e.to === 'internet' ? peerText(shown) : undefined;
  const target = /^tcp\/\d+$/.test(services) ? `${e.to}:${services.slice(4)}` : `${e.to} on ${services}`;
  const verb = change === 'opened' ? (sure ? 'can now reach' : 'may now reach') : (sure ? 'can no longer reach' : 'may no longer reach');
  const through = e.via ? ` through ${e.via}` : '';
  const from = e.outside && peers && peers !== 'the internet' && e.from === 'internet' ? ` (from ${peers})` : '';
  return {
    change, from: e.from, to: e.to, via: e.via, outside: e.outside, toKind: e.toKind, services, peers,
    certainty: sure ? 'sure' : 'maybe', sentence: `${e.from} ${verb} ${target}${through}${from}`, ...evidence,
  };
}

/** `the internet` for every public address, else the ranges. */
function peerText(set: PacketSet): string {
  const peers = set.peerRanges().reduce((acc, [lo, hi]) => acc.union(PacketSet.peers(lo, hi)), PacketSet.EMPTY);
  if (peers.contains(INTERNET)) return 'the internet';
  return formatPeers(set.peerRanges());
}

function explainOpened(e: FlowEntry, gained: Bracket, after: AnalysedSide): Pick<FlowChange, 'witness' | 'blockers'> {
  const services = gained.maybe.withPeers(PacketSet.ALL);
  const witness = e.hops.flatMap((hop, i) => {
    const reach = after.engine.reach(hop.source, hop.destination);
    // The last hop carries the new packets; the hops before it are how the source gets there.
    const narrowed = i === e.hops.length - 1 ? hop.set.maybe.intersect(services) : hop.set.maybe;
    const w = witnessOf(reach, narrowed.isEmpty() ? hop.set.maybe : narrowed);
    return w ? [{ path: w.path, packet: w.packet, steps: w.hops.map((h) => `${h.step}: ${h.verdict.text}`) }] : [];
  });
  return { witness, blockers: [] };
}

function explainClosed(e: FlowEntry, lost: Bracket, after: AnalysedSide): Pick<FlowChange, 'witness' | 'blockers'> {
  const blockers: string[] = [];
  const services = lost.maybe.withPeers(PacketSet.ALL);
  for (const [i, hop] of e.hops.entries()) {
    const source = onSide(hop.source, after);
    const destination = onSide(hop.destination, after);
    if (typeof source === 'string' || typeof destination === 'string') {
      blockers.push(`${typeof source === 'string' ? source : destination as string} is no longer in the templates`);
      continue;
    }
    const reach = after.engine.reach(source, destination);
    const last = i === e.hops.length - 1;
    const wanted = last ? hop.set.maybe.intersect(services) : hop.set.maybe;
    // The sample the blockers are found for must be a packet the new version no longer lets through.
    const missing = wanted.minus(reach.allowed.sure);
    if (missing.isEmpty()) continue;
    const blocked = blockedOf(reach, missing);
    for (const p of blocked?.paths ?? []) for (const v of p.blockers) blockers.push(`${v.text}${v.allows === 'unknown' ? ' (may)' : ''}`);
  }
  // The same rule met on each path differs only by the sample address: say it once.
  const seen = new Set<string>();
  const distinct = blockers.filter((b) => {
    const key = b.replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, 'ADDR');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { witness: [], blockers: distinct.length > MAX_BLOCKERS ? [...distinct.slice(0, MAX_BLOCKERS), `and ${distinct.length - MAX_BLOCKERS} more`] : distinct };
}

/** The same end on the other version (by its name), or the name when it is gone. */
function onSide<T extends Source | Destination>(end: T, side: AnalysedSide): T | string {
  if (end.kind !== 'class') return end;
  const name = endName(end.cls);
  const cls = side.model.classes.find((c) => c.key === end.cls.key) ?? side.model.classes.find((c) => endName(c) === name);
  return cls ? ({ kind: 'class', cls } as T) : name;
}

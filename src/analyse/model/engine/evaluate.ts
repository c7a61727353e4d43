/**
 * The semantics of each AWS filter, as component factories:
 *
 * - route tables: longest prefix wins; the main table applies to subnets with no association;
 * - network ACLs: stateless, one direction at a time, entries in rule-number order, first match
 *   decides, an implicit deny at the end; replies go to the client's ephemeral ports;
 * - security groups: stateful (replies always pass), allow-only, the union of every group on the
 *   interface; a group reference matches interfaces that carry the group.
 *
 * "Fixed" addresses are the other side of a rule when it is not on the peer axis (the destination
 * subnet, for an outbound rule of the source). An interface's exact address inside its subnet is
 * not known before launch, so a rule covering only part of the subnet gives a bracket.
 */
import type { ResourceRef } from '../assumptions.js';
import { Bracket, formatIp, INTERNET, PacketSet, PROTOCOL_NAMES, type Packet, type Range } from '../packets.js';
import type { EniClass, Nacl, NaclEntry, Placement, Route, RouteTable, RouteTargetKind, SecurityGroup, SgRule } from '../types.js';
import { component, type Component, type Verdict } from './component.js';

/** Client ports replies go to: AWS's recommendation, covering NAT gateways, load balancers and every OS. */
export const EPHEMERAL: Range = [1024, 65535];

/** `may`: is there any way through (an attacker picks its source port)? `must`: does it always work? */
export type Mode = 'may' | 'must';

/** The address axis of a rule: the peer axis itself, or a fixed range on the other side. */
export type Axis = { readonly kind: 'peer' } | { readonly kind: 'fixed'; readonly range: Range; readonly text: string };
export const PEER: Axis = { kind: 'peer' };

type Coverage = 'all' | 'none' | 'part';

function coverage(rule: Range | undefined, fixed: Range): Coverage {
  if (!rule) return 'part';
  if (rule[0] <= fixed[0] && fixed[1] <= rule[1]) return 'all';
  if (rule[1] < fixed[0] || fixed[1] < rule[0]) return 'none';
  return 'part';
}

function inRange(v: number, r: Range): boolean {
  return r[0] <= v && v <= r[1];
}

export function describePacket(p: Packet): string {
  const proto = PROTOCOL_NAMES[p.protocol] ?? `protocol ${p.protocol}`;
  return p.protocol === 6 || p.protocol === 17 ? `${proto}/${p.port}` : proto;
}

function portsText(protocol: Range, ports: Range): string {
  if (protocol[0] === 0 && protocol[1] === 255) return 'all traffic';
  const proto = protocol[0] === protocol[1] ? PROTOCOL_NAMES[protocol[0]] ?? `protocol ${protocol[0]}` : `protocols ${protocol[0]}-${protocol[1]}`;
  if (ports[0] === 0 && ports[1] === 65535) return proto;
  return `${proto}/${ports[0] === ports[1] ? ports[0] : `${ports[0]}-${ports[1]}`}`;
}

// ---------------------------------------------------------------------------------------------
// Network ACLs

const naclCache = new WeakMap<Nacl, Map<string, { set: Bracket; assumptions: string[] }>>();

function naclSet(nacl: Nacl, egress: boolean, axis: Axis): { set: Bracket; assumptions: string[] } {
  let byKey = naclCache.get(nacl);
  if (!byKey) naclCache.set(nacl, (byKey = new Map()));
  const key = `${egress}|${axis.kind === 'peer' ? 'peer' : axis.range.join('-')}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const entries = nacl.entries.filter((e) => e.egress === egress);
  const assumptions: string[] = [];
  // Two passes: `sure` treats uncertain allows as no match and uncertain denies as matches; `maybe` the reverse.
  const run = (optimistic: boolean): PacketSet => {
    let remaining = PacketSet.ALL;
    let allowed = PacketSet.EMPTY;
    for (const e of entries) {
      let match: PacketSet;
      if (axis.kind === 'peer' && e.range) {
        match = PacketSet.box({ peer: e.range, protocol: e.protocol, port: e.ports });
      } else {
        const cov = axis.kind === 'peer' ? 'part' : coverage(e.range, axis.range);
        if (cov === 'part') {
          if (e.assumption) assumptions.push(e.assumption);
          const counts = e.allow === optimistic;
          match = counts ? PacketSet.box({ protocol: e.protocol, port: e.ports }) : PacketSet.EMPTY;
        } else {
          match = cov === 'all' ? PacketSet.box({ protocol: e.protocol, port: e.ports }) : PacketSet.EMPTY;
        }
      }
      if (e.allow) allowed = allowed.union(remaining.intersect(match));
      remaining = remaining.minus(match);
      if (remaining.isEmpty()) break;
    }
    return allowed;
  };
  const sure = run(false);
  const maybe = run(true);
  const result = { set: new Bracket(sure, maybe.union(sure)), assumptions: [...new Set(assumptions)] };
  byKey.set(key, result);
  return result;
}

const naclReplyCache = new WeakMap<Nacl, Map<string, { set: Bracket; assumptions: string[] }>>();

/** What naclSet lets back as replies: the same for every path through the ACL, so kept per ACL like naclSet. */
function naclReplySet(nacl: Nacl, egress: boolean, axis: Axis, reply: Mode): { set: Bracket; assumptions: string[] } {
  let byKey = naclReplyCache.get(nacl);
  if (!byKey) naclReplyCache.set(nacl, (byKey = new Map()));
  const key = `${egress}|${axis.kind === 'peer' ? 'peer' : axis.range.join('-')}|${reply}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const { set, assumptions } = naclSet(nacl, egress, axis);
  const mode = reply === 'must' ? 'all' : 'any';
  const result = { set: new Bracket(set.sure.projectPorts(EPHEMERAL, mode), set.maybe.projectPorts(EPHEMERAL, 'any')), assumptions };
  byKey.set(key, result);
  return result;
}

/** The first entry deciding a packet whose fixed-side address is anywhere in the range. */
function firstMatch(entries: readonly NaclEntry[], address: number | Range, protocol: number, port: number): { entry: NaclEntry | undefined; uncertain: boolean } {
  for (const e of entries) {
    if (!inRange(protocol, e.protocol) || !inRange(port, e.ports)) continue;
    if (typeof address === 'number') {
      if (e.range && inRange(address, e.range)) return { entry: e, uncertain: false };
      if (!e.range) return { entry: e, uncertain: true };
    } else {
      const cov = coverage(e.range, address);
      if (cov === 'all') return { entry: e, uncertain: false };
      if (cov === 'part') return { entry: e, uncertain: true };
    }
  }
  return { entry: undefined, uncertain: false };
}

function naclName(nacl: Nacl): string {
  return nacl.isDefault ? nacl.name : `network ACL ${nacl.name}`;
}

function entryText(e: NaclEntry): string {
  return `rule ${e.ruleNumber} ${e.allow ? 'allows' : 'denies'} ${e.cidr} ${portsText(e.protocol, e.ports)}`;
}

/**
 * One direction of a subnet's ACL. `reply` evaluates the packets answering a connection: they go
 * to the client's ephemeral ports, so the result keeps a request when some (`may`) or every
 * (`must`) ephemeral port is allowed back.
 */
export function naclComponent(nacl: Nacl, direction: 'in' | 'out', axis: Axis, reply: Mode | undefined, subnetName: string): Component {
  const egress = direction === 'out';
  const where = `${naclName(nacl)} (subnet ${subnetName}) ${egress ? 'outbound' : 'inbound'}`;
  const step = reply ? 'network ACL (reply)' : 'network ACL';
  return component(step, () => (reply ? naclReplySet(nacl, egress, axis, reply) : naclSet(nacl, egress, axis)), (p) => {
    if (nacl.isDefault) return { allows: true, text: `${nacl.name} allows all traffic`, resource: undefined };
    const entries = nacl.entries.filter((e) => e.egress === egress);
    const address = axis.kind === 'peer' ? p.peer : axis.range;
    if (!reply) {
      const { entry, uncertain } = firstMatch(entries, address, p.protocol, p.port);
      if (!entry) return { allows: false, text: `${where}: no rule matches ${describePacket(p)}, so the final * rule denies it`, resource: nacl.resource };
      return { allows: uncertain ? 'unknown' : entry.allow, text: `${where} ${entryText(entry)}${uncertain ? ' (matches only part of the addresses)' : ''}`, resource: entry.resource ?? nacl.resource, assumption: entry.assumption };
    }
    // Replies: which ephemeral ports come back?
    const allowedPorts: Range[] = [];
    const deciding = new Set<NaclEntry>();
    let start = EPHEMERAL[0];
    while (start <= EPHEMERAL[1]) {
      const { entry } = firstMatch(entries, address, p.protocol, start);
      // Jump to the end of the deciding entry's port range (or to the next entry start).
      let end = EPHEMERAL[1];
      for (const e of entries) {
        if (e.ports[0] > start && e.ports[0] - 1 < end) end = e.ports[0] - 1;
        if (inRange(start, e.ports) && e.ports[1] < end) end = e.ports[1];
      }
      if (entry) deciding.add(entry);
      if (entry?.allow) allowedPorts.push([start, end]);
      start = end + 1;
    }
    const covered = allowedPorts.reduce((n, [a, b]) => n + b - a + 1, 0);
    const total = EPHEMERAL[1] - EPHEMERAL[0] + 1;
    const rules = [...deciding].map(entryText).join('; ') || 'no rule matches, so the final * rule denies them';
    const who = axis.kind === 'peer' ? formatIp(p.peer) : axis.text;
    if (covered === total) return { allows: true, text: `${where} lets replies to ${who} back on the ephemeral ports ${EPHEMERAL.join('-')} (${rules})`, resource: nacl.resource };
    const what = covered === 0 ? 'no' : `only ${allowedPorts.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')} of the`;
    return {
      allows: covered === 0 ? false : 'unknown',
      text: `${where} lets ${what} replies to ${who} on the ephemeral ports ${EPHEMERAL.join('-')} through (${rules}); a stateless ACL must allow the reply traffic`,
      resource: nacl.resource,
    };
  }, reply ? 7 : 6);
}

// ---------------------------------------------------------------------------------------------
// Security groups

export interface Membership {
  /** Groups the other side certainly carries. */
  readonly groups: ReadonlySet<string>;
  /** Whether the other side's groups are unknown (an opaque interface). */
  readonly unknown: boolean;
}

export const NO_GROUPS: Membership = { groups: new Set(), unknown: false };

function ruleSet(rule: SgRule, axis: Axis, other: Membership, groups: ReadonlyMap<string, SecurityGroup>): Bracket {
  const services = PacketSet.box({ protocol: rule.protocol, port: rule.ports });
  switch (rule.peer.kind) {
    case 'cidr': {
      if (axis.kind === 'peer') return Bracket.exact(PacketSet.box({ peer: rule.peer.range, protocol: rule.protocol, port: rule.ports }));
      const cov = coverage(rule.peer.range, axis.range);
      return cov === 'all' ? Bracket.exact(services) : cov === 'none' ? Bracket.NONE : new Bracket(PacketSet.EMPTY, services);
    }
    case 'group': {
      if (other.groups.has(rule.peer.key)) return Bracket.exact(services);
      const g = groups.get(rule.peer.key);
      return other.unknown || g?.opaque ? new Bracket(PacketSet.EMPTY, services) : Bracket.NONE;
    }
    default:
      return new Bracket(PacketSet.EMPTY, services);
  }
}

/**
 * Whether a rule admits a packet whose protocol and port it covers: ruleSet's answer for one packet
 * (`address` is the peer on the peer axis), without building the set; asked for every witness.
 */
function ruleAdmits(rule: SgRule, axis: Axis, address: number | undefined, other: Membership, groups: ReadonlyMap<string, SecurityGroup>): boolean | 'unknown' {
  switch (rule.peer.kind) {
    case 'cidr': {
      if (axis.kind === 'peer') return inRange(address!, rule.peer.range);
      const cov = coverage(rule.peer.range, axis.range);
      return cov === 'all' ? true : cov === 'none' ? false : 'unknown';
    }
    case 'group':
      if (other.groups.has(rule.peer.key)) return true;
      return other.unknown || groups.get(rule.peer.key)?.opaque ? 'unknown' : false;
    default:
      return 'unknown';
  }
}

function groupLabel(g: SecurityGroup): string {
  const ref = g.refs.length > 0 ? ` (${g.refs.join(', ')})` : '';
  return `security group ${g.name}${ref}`;
}

function peerText(rule: SgRule, groups: ReadonlyMap<string, SecurityGroup>): string {
  switch (rule.peer.kind) {
    case 'cidr': return rule.peer.text;
    case 'group': {
      const g = groups.get(rule.peer.key);
      return g ? `members of ${g.name}${g.refs.length ? ` (${g.refs.join(', ')})` : ''}` : rule.peer.key;
    }
    case 'prefix-list': return `prefix list ${rule.peer.id}`;
    default: return `(${rule.peer.reason})`;
  }
}

export function ruleText(rule: SgRule, groups: ReadonlyMap<string, SecurityGroup>): string {
  const desc = rule.description ? ` "${rule.description}"` : '';
  return `${rule.direction === 'in' ? 'inbound' : 'outbound'} rule #${rule.index + 1}: ${rule.direction === 'in' ? 'from' : 'to'} ${peerText(rule, groups)} ${portsText(rule.protocol, rule.ports)}${desc}`;
}

/**
 * The union of the groups on an interface, in one direction. `other` is who is on the far side
 * (for group references); `axis` says where the far side's address is.
 */
const groupSetCache = new WeakMap<ReadonlyMap<string, SecurityGroup>, Map<string, { set: Bracket; assumptions: string[] }>>();

/** The groups each group's rules reference, by direction: found once per group rather than on every path. */
const referencedGroups = new WeakMap<SecurityGroup, { readonly in: readonly string[]; readonly out: readonly string[] }>();

function referencesOf(g: SecurityGroup): { readonly in: readonly string[]; readonly out: readonly string[] } {
  let refs = referencedGroups.get(g);
  if (!refs) {
    const of = (direction: 'in' | 'out') => g.rules.flatMap((r) => (r.direction === direction && r.peer.kind === 'group' ? [r.peer.key] : []));
    referencedGroups.set(g, (refs = { in: of('in'), out: of('out') }));
  }
  return refs;
}

/** The cache key of a group set's answer: only the far side's groups its rules reference matter. */
function groupSetKey(members: readonly SecurityGroup[], direction: 'in' | 'out', axis: Axis, other: Membership): string {
  const referenced: string[] = [];
  for (const g of members) {
    for (const key of referencesOf(g)[direction]) if (other.groups.has(key)) referenced.push(key);
  }
  const axisKey = axis.kind === 'peer' ? 'peer' : `${axis.range[0]}-${axis.range[1]}`;
  return `${direction}|${members.map((g) => g.key).join(',')}|${axisKey}|${[...new Set(referenced)].sort().join(',')}|${other.unknown}`;
}

export function groupsComponent(groupKeys: readonly string[], groups: ReadonlyMap<string, SecurityGroup>, direction: 'in' | 'out', axis: Axis, other: Membership, owner: string): Component {
  const members = groupKeys.map((k) => groups.get(k)).filter((g): g is SecurityGroup => g !== undefined);
  const step = direction === 'in' ? 'security group (inbound)' : 'security group (outbound)';
  return component(step, () => {
    let cache = groupSetCache.get(groups);
    if (!cache) groupSetCache.set(groups, (cache = new Map()));
    const key = groupSetKey(members, direction, axis, other);
    const hit = cache.get(key);
    if (hit) return hit;
    // The rules' sets are unioned all at once (pairwise), not one by one into a growing set.
    const sure: PacketSet[] = [];
    const maybe: PacketSet[] = [];
    const assumptions: string[] = [];
    for (const g of members) {
      if (g.opaque) {
        maybe.push(PacketSet.ALL);
        assumptions.push(g.opaque);
        continue;
      }
      for (const rule of g.rules) {
        if (rule.direction !== direction) continue;
        const s = ruleSet(rule, axis, other, groups);
        if (!s.isExact() && rule.assumption) assumptions.push(rule.assumption);
        sure.push(s.sure);
        if (s.maybe !== s.sure) maybe.push(s.maybe);
      }
    }
    const sureSet = PacketSet.unionAll(sure);
    const maybeSet = maybe.length === 0 ? sureSet : PacketSet.unionAll([sureSet, ...maybe]);
    const result = { set: new Bracket(sureSet, maybeSet), assumptions };
    cache.set(key, result);
    return result;
  }, (p) => {
    const address = axis.kind === 'peer' ? p.peer : undefined;
    let uncertain: Verdict | undefined;
    for (const g of members) {
      if (g.opaque) {
        uncertain ??= { allows: 'unknown', text: `${groupLabel(g)} is not in the templates; it may allow this`, resource: g.resource, assumption: g.opaque };
        continue;
      }
      for (const rule of g.rules) {
        if (rule.direction !== direction || !inRange(p.protocol, rule.protocol) || !inRange(p.port, rule.ports)) continue;
        const admits = ruleAdmits(rule, axis, address, other, groups);
        if (admits === true) return { allows: true, text: `${groupLabel(g)} ${ruleText(rule, groups)}`, resource: rule.resource ?? g.resource };
        if (admits === 'unknown') uncertain ??= { allows: 'unknown', text: `${groupLabel(g)} ${ruleText(rule, groups)} may match`, resource: rule.resource ?? g.resource, assumption: rule.assumption };
      }
    }
    if (uncertain) return uncertain;
    const names = members.map(groupLabel).join(', ') || 'no security group';
    const far = axis.kind === 'peer' ? formatIp(p.peer) : axis.text;
    return {
      allows: false,
      text: members.length === 0
        ? `${owner} has no security group`
        : `${names} of ${owner}: no ${direction === 'in' ? 'inbound' : 'outbound'} rule ${direction === 'in' ? 'admits' : 'lets out'} ${describePacket(p)} ${direction === 'in' ? 'from' : 'to'} ${far}`,
      resource: members[0]?.resource,
    };
  }, direction === 'in' ? 0 : 3);
}

// ---------------------------------------------------------------------------------------------
// Routes

interface Effective {
  readonly route: Route;
  readonly peers: PacketSet;
}

const lpmCache = new WeakMap<RouteTable, Effective[]>();

/** Each route with the addresses it actually wins for (longest prefix first). */
export function effectiveRoutes(table: RouteTable): Effective[] {
  const hit = lpmCache.get(table);
  if (hit) return hit;
  const routes = table.routes.filter((r) => r.destination).sort((a, b) => (a.destination![1] - a.destination![0]) - (b.destination![1] - b.destination![0]));
  let taken = PacketSet.EMPTY;
  const out: Effective[] = [];
  for (const route of routes) {
    const dest = PacketSet.peers(...route.destination!);
    const peers = dest.minus(taken);
    taken = taken.union(dest);
    if (!peers.isEmpty()) out.push({ route, peers });
  }
  lpmCache.set(table, out);
  return out;
}

export function lookup(table: RouteTable, address: number): Route | undefined {
  return effectiveRoutes(table).find((e) => e.peers.has({ peer: address, protocol: 0, port: 0 }))?.route;
}

export function routeText(table: RouteTable, route: Route): string {
  const t = route.target;
  const target = t.kind === 'local' ? 'local' : `${t.kind} ${t.name}`;
  return `route table ${table.name}${table.explicit ? '' : ' (main, no explicit association)'}: ${route.destinationText} → ${target}`;
}

/** Peers whose longest-prefix route in `table` goes to a target of the given kinds. */
export function routeComponent(step: string, table: RouteTable, kinds: readonly RouteTargetKind[], admissible: Bracket, what: string): Component {
  return component(step, () => routeSet(table, kinds, admissible), (p) => {
    const route = lookup(table, p.peer);
    if (!route) return { allows: false, text: `route table ${table.name} has no route to ${formatIp(p.peer)} (${what})`, resource: table.resource };
    const ok = kinds.includes(route.target.kind);
    const admitted = admissible.sure.has(p) ? true : admissible.maybe.has(p) ? 'unknown' : false;
    return {
      allows: ok ? admitted : false,
      text: `${routeText(table, route)}${ok ? '' : ` (${what} needs ${kinds.join(' or ')})`}`,
      resource: route.resource ?? table.resource,
      assumption: route.assumption,
    };
  });
}

/** Route sets kept per table, for the admissible brackets every VPC-internal path uses (ALL, UNKNOWN). */
const routeSets = new WeakMap<RouteTable, Map<string, { set: Bracket; assumptions: string[] }>>();

function routeSet(table: RouteTable, kinds: readonly RouteTargetKind[], admissible: Bracket): { set: Bracket; assumptions: string[] } {
  const shared = admissible === Bracket.ALL ? 'all' : admissible === Bracket.UNKNOWN ? 'unknown' : undefined;
  const key = `${kinds.join(',')}|${shared}`;
  let byKey = routeSets.get(table);
  const hit = shared ? byKey?.get(key) : undefined;
  if (hit) return hit;
  const result = computeRouteSet(table, kinds, admissible);
  if (shared) {
    if (!byKey) routeSets.set(table, (byKey = new Map()));
    byKey.set(key, result);
  }
  return result;
}

function computeRouteSet(table: RouteTable, kinds: readonly RouteTargetKind[], admissible: Bracket): { set: Bracket; assumptions: string[] } {
  let peers = PacketSet.EMPTY;
  const assumptions: string[] = [];
  for (const e of effectiveRoutes(table)) {
    if (!kinds.includes(e.route.target.kind)) continue;
    peers = peers.union(e.peers);
    if (e.route.assumption) assumptions.push(e.route.assumption);
  }
  return { set: admissible.restrict(peers), assumptions };
}

/** Whether traffic to a fixed range (the other interface's subnet) stays local in the VPC. */
const localRouteSets = new WeakMap<RouteTable, Map<string, { set: Bracket; assumptions: string[] }>>();

export function localRouteComponent(table: RouteTable, fixed: Range, fixedText: string, sameVpc: boolean): Component {
  return component('route', () => {
    // The same for every path between the two subnets: kept per table.
    let byKey = localRouteSets.get(table);
    if (!byKey) localRouteSets.set(table, (byKey = new Map()));
    const key = `${fixed[0]}-${fixed[1]}|${sameVpc}`;
    const hit = byKey.get(key);
    if (hit) return hit;
    const result = localRouteSet(table, fixed, sameVpc);
    byKey.set(key, result);
    return result;
  }, () => {
    const route = lookup(table, fixed[0]);
    if (!route) return { allows: false, text: `route table ${table.name} has no route to ${fixedText}`, resource: table.resource };
    const ok = sameVpc ? route.target.kind === 'local' : route.target.kind === 'peering';
    return { allows: ok ? (sameVpc ? true : 'unknown') : false, text: routeText(table, route), resource: route.resource ?? table.resource, assumption: route.assumption };
  });
}

function localRouteSet(table: RouteTable, fixed: Range, sameVpc: boolean): { set: Bracket; assumptions: string[] } {
  const target = PacketSet.peers(...fixed);
  let sure = true;
  let maybe = false;
  const assumptions: string[] = [];
  for (const e of effectiveRoutes(table)) {
    if (!e.peers.overlaps(target)) continue;
    const ok = sameVpc ? e.route.target.kind === 'local' : e.route.target.kind === 'peering';
    if (ok && !sameVpc) {
      sure = false;
      maybe = true;
      if (e.route.assumption) assumptions.push(e.route.assumption);
    } else if (ok) maybe = true;
    else sure = false;
  }
  const set = new Bracket(sure && maybe ? PacketSet.ALL : PacketSet.EMPTY, maybe ? PacketSet.ALL : PacketSet.EMPTY);
  return { set, assumptions };
}

// ---------------------------------------------------------------------------------------------
// Simple components

export function fixedComponent(step: string, set: Bracket, text: (p: Packet, allows: boolean | 'unknown') => string, resource?: ResourceRef, assumptions: readonly string[] = [], priority = 2): Component {
  return component(step, () => ({ set, assumptions }), (p) => {
    const allows = set.sure.has(p) ? true : set.maybe.has(p) ? 'unknown' : false;
    return { allows, text: text(p, allows), resource, assumption: assumptions[0] };
  }, priority);
}

export function publicIpComponent(owner: string, placement: Placement): Component {
  const set = placement.publicIp === 'yes' ? Bracket.ALL : placement.publicIp === 'no' ? Bracket.NONE : Bracket.UNKNOWN;
  return fixedComponent('public address', set, () => (placement.publicIp === 'yes'
    ? `${owner} has a public address (${placement.publicIpBy ?? 'public'})`
    : placement.publicIp === 'no'
      ? `${owner} has no public address in subnet ${placement.subnet.name}, so the internet gateway cannot deliver to it`
      : `whether ${owner} has a public address cannot be resolved`));
}

export function servicesComponent(cls: EniClass): Component {
  return fixedComponent('listener', Bracket.exact(cls.accepts), (p, allows) => (allows === true
    ? `${cls.name} answers ${describePacket(p)} (${cls.acceptsText})`
    : `nothing on ${cls.name} answers ${describePacket(p)}: it answers ${cls.acceptsText}`), cls.loadBalancer?.listeners.find((l) => l.port)?.resource ?? cls.resources[0]);
}

/** Internet gateway, VPN gateway, or something beyond the templates. */
export function admissibleFor(kind: 'igw' | 'vgw' | 'other', vgwRemote: PacketSet, vgwDynamic: boolean, outside: PacketSet): Bracket {
  if (kind === 'igw') return Bracket.exact(INTERNET);
  if (kind === 'vgw') return new Bracket(vgwRemote, vgwDynamic ? outside : vgwRemote);
  return new Bracket(PacketSet.EMPTY, outside);
}

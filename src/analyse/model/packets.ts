/**
 * The packet-set algebra verify computes with: a set of packets is a union of boxes
 * (peer address range × IP protocol range × destination port range), kept in one canonical form so
 * that two sets are equal exactly when their forms are equal.
 *
 * The canonical form is a three-level interval tree. Level 0 splits the address axis into maximal
 * intervals on which the rest of the set is constant; inside each, level 1 does the same for
 * protocols, and level 2 holds the merged port intervals. Adjacent intervals with equal contents are
 * always merged and empty ones dropped, so the form is unique for a given set.
 *
 * "Peer" is the address of the other party: the source of an inbound connection, or the destination
 * of a connection to a network outside the VPC.
 */

/** Upper bound of each axis: address, protocol, port. */
const MAX = [0xffffffff, 255, 65535] as const;
const LEAF_LEVEL = 2;

interface Segment {
  readonly lo: number;
  readonly hi: number;
  /** Contents of the next axis; null on the last (port) axis. */
  readonly sub: Node | null;
}
type Node = readonly Segment[];

export const PROTOCOL = { icmp: 1, tcp: 6, udp: 17 } as const;
export const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };

/** A closed range on one axis. */
export type Range = readonly [number, number];

export interface Box {
  readonly peer: Range;
  readonly protocol: Range;
  readonly port: Range;
}

/** One concrete packet (used for witnesses). */
export interface Packet {
  readonly peer: number;
  readonly protocol: number;
  readonly port: number;
}

type Op = 'union' | 'intersect' | 'minus';

export class PacketSet {
  public static readonly EMPTY = new PacketSet([]);
  public static readonly ALL = PacketSet.box({ peer: [0, MAX[0]], protocol: [0, MAX[1]], port: [0, MAX[2]] });

  /** A single box; ranges are clamped to their axis and an inverted range gives the empty set. */
  public static box(box: Partial<Box>): PacketSet {
    const ranges = [box.peer ?? [0, MAX[0]], box.protocol ?? [0, MAX[1]], box.port ?? [0, MAX[2]]];
    let node: Node | null = null;
    for (let level = LEAF_LEVEL; level >= 0; level--) {
      const [lo, hi] = ranges[level]!;
      const a = Math.max(0, lo);
      const b = Math.min(MAX[level]!, hi);
      if (a > b) return PacketSet.EMPTY;
      node = [{ lo: a, hi: b, sub: node }];
    }
    return new PacketSet(node!);
  }

  public static of(boxes: Iterable<Partial<Box>>): PacketSet {
    let out = PacketSet.EMPTY;
    for (const b of boxes) out = out.union(PacketSet.box(b));
    return out;
  }

  /** The union of many sets, merged pairwise: each packet is copied O(log n) times rather than O(n). */
  public static unionAll(sets: readonly PacketSet[]): PacketSet {
    if (sets.length === 0) return PacketSet.EMPTY;
    let level = [...sets];
    while (level.length > 1) {
      const next: PacketSet[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i]!.union(level[i + 1]!) : level[i]!);
      level = next;
    }
    return level[0]!;
  }

  /** Every packet whose peer address lies in the range. */
  public static peers(lo: number, hi: number): PacketSet {
    return PacketSet.box({ peer: [lo, hi] });
  }

  private constructor(private readonly root: Node) {}

  public union(other: PacketSet): PacketSet {
    if (this.isEmpty()) return other;
    if (other.isEmpty() || this === other) return this;
    return new PacketSet(combine(this.root, other.root, 0, 'union'));
  }

  public intersect(other: PacketSet): PacketSet {
    if (this.isEmpty() || other.isEmpty()) return PacketSet.EMPTY;
    if (this === other) return this;
    return new PacketSet(combine(this.root, other.root, 0, 'intersect'));
  }

  public minus(other: PacketSet): PacketSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    if (this === other) return PacketSet.EMPTY;
    return new PacketSet(combine(this.root, other.root, 0, 'minus'));
  }

  public isEmpty(): boolean {
    return this.root.length === 0;
  }

  public equals(other: PacketSet): boolean {
    return nodeEquals(this.root, other.root);
  }

  /** Whether every packet of `other` is in this set. */
  public contains(other: PacketSet): boolean {
    return other.minus(this).isEmpty();
  }

  public overlaps(other: PacketSet): boolean {
    return !this.intersect(other).isEmpty();
  }

  public has(p: Packet): boolean {
    // Asked for every witness candidate: no arrays or closures per call.
    const a = findSegment(this.root, p.peer);
    const b = a && findSegment(a.sub!, p.protocol);
    return b !== undefined && findSegment(b.sub!, p.port) !== undefined;
  }

  /** The canonical boxes, in order. Their union is this set; they are pairwise disjoint. */
  public boxes(): Box[] {
    const out: Box[] = [];
    for (const a of this.root) {
      for (const p of a.sub!) {
        for (const q of p.sub!) out.push({ peer: [a.lo, a.hi], protocol: [p.lo, p.hi], port: [q.lo, q.hi] });
      }
    }
    return out;
  }

  /** The lowest packet of the first box, preferring `hint` when the set holds it. */
  public sample(hint?: Packet): Packet | undefined {
    if (hint && this.has(hint)) return hint;
    const a = this.root[0];
    if (!a) return undefined;
    const p = a.sub![0]!;
    const q = p.sub![0]!;
    return { peer: a.lo, protocol: p.lo, port: q.lo };
  }

  /** The peer-address axis alone, as ranges. */
  public peerRanges(): Range[] {
    return mergeRanges(this.root.map((s) => [s.lo, s.hi] as const));
  }

  /**
   * Replaces the port axis with "all ports" wherever the current ports meet the condition on
   * `range`: `any` port of it (some reply port works) or `all` of it (every reply port works).
   */
  public projectPorts(range: Range, mode: 'any' | 'all'): PacketSet {
    const full: Node = [{ lo: 0, hi: MAX[2], sub: null }];
    const test = (ports: Node): boolean => {
      const wanted = [{ lo: range[0], hi: range[1], sub: null }];
      return mode === 'any'
        ? combine(ports, wanted, LEAF_LEVEL, 'intersect').length > 0
        : combine(wanted, ports, LEAF_LEVEL, 'minus').length === 0;
    };
    return new PacketSet(mapAt(this.root, 0, 1, (ports) => (test(ports) ? full : [])));
  }

  /**
   * Keeps the packets to port `from` and moves them to the ports `to` (a load balancer listener
   * forwarding to its target port).
   */
  public forwardPort(from: number, to: Range): PacketSet {
    const moved: Node = [{ lo: to[0], hi: to[1], sub: null }];
    return new PacketSet(mapAt(this.root, 0, 1, (ports) => (ports.some((s) => s.lo <= from && from <= s.hi) ? moved : [])));
  }

  /** The same packets with the peer axis replaced by `peers` (address translation). */
  public withPeers(peers: PacketSet): PacketSet {
    let services: Node = [];
    for (const a of this.root) services = combine(services, a.sub!, 1, 'union');
    if (services.length === 0) return PacketSet.EMPTY;
    const everyPeer = new PacketSet([{ lo: 0, hi: MAX[0], sub: services }]);
    return everyPeer.intersect(peers);
  }

  /** A short human form: `10.0.0.0/16 tcp/443; 0.0.0.0/0 udp/53`. */
  public toString(limit = 6): string {
    if (this.isEmpty()) return 'nothing';
    const parts: string[] = [];
    let total = 0;
    for (const a of this.root) {
      for (const p of a.sub!) {
        total++;
        if (parts.length >= limit) continue;
        parts.push(`${formatPeers([[a.lo, a.hi]])} ${formatServices(p)}`);
      }
    }
    return parts.join('; ') + (total > limit ? `; and ${total - limit} more` : '');
  }

  /** The protocol × port part, ignoring peers: `tcp/22, tcp/3389`. */
  public servicesString(): string {
    let services: Node = [];
    for (const a of this.root) services = combine(services, a.sub!, 1, 'union');
    return services.map(formatServices).join(', ') || 'nothing';
  }

  /** JSON form: the canonical boxes. */
  public toJSON(): Box[] {
    return this.boxes();
  }
}

function combine(a: Node, b: Node, level: number, op: Op): Node {
  const out: Segment[] = [];
  const leaf = level === LEAF_LEVEL;
  let i = 0;
  let j = 0;
  // `pos` is the first address not yet emitted; segments before it are finished.
  let pos = 0;
  while (i < a.length || j < b.length) {
    const sa = a[i];
    const sb = b[j];
    const startA = sa ? Math.max(sa.lo, pos) : Infinity;
    const startB = sb ? Math.max(sb.lo, pos) : Infinity;
    const start = Math.min(startA, startB);
    const inA = sa !== undefined && startA === start;
    const inB = sb !== undefined && startB === start;
    // The elementary piece ends where either side next changes.
    let end: number;
    if (inA && inB) end = Math.min(sa!.hi, sb!.hi);
    else if (inA) end = Math.min(sa!.hi, sb ? sb.lo - 1 : Infinity);
    else end = Math.min(sb!.hi, sa ? sa.lo - 1 : Infinity);

    let sub: Node | null | undefined;
    if (op === 'union') {
      sub = inA && inB ? (leaf ? null : both(sa!.sub!, sb!.sub!, level + 1, op)) : inA ? sa!.sub : sb!.sub;
    } else if (op === 'intersect') {
      sub = inA && inB ? (leaf ? null : both(sa!.sub!, sb!.sub!, level + 1, op)) : undefined;
    } else {
      sub = inA ? (inB ? (leaf ? undefined : both(sa!.sub!, sb!.sub!, level + 1, op)) : sa!.sub) : undefined;
    }
    if (sub !== undefined && (sub === null || sub.length > 0)) {
      // Merge with the previous piece when they touch and hold the same contents (canonical form).
      const prev = out[out.length - 1];
      if (prev !== undefined && prev.hi + 1 === start && subEquals(prev.sub, sub)) out[out.length - 1] = { lo: prev.lo, hi: end, sub: prev.sub };
      else out.push({ lo: start, hi: end, sub });
    }

    pos = end + 1;
    if (sa && sa.hi < pos) i++;
    if (sb && sb.hi < pos) j++;
    if (op === 'intersect' && (i >= a.length || j >= b.length)) break;
    if (op === 'minus' && i >= a.length) break;
  }
  return out;
}

function findSegment(node: Node, value: number): Segment | undefined {
  for (const s of node) {
    if (value < s.lo) return undefined;
    if (value <= s.hi) return s;
  }
  return undefined;
}

/** Whether a node holds every value of its axis and of the axes below it. */
function isFull(node: Node, level: number): boolean {
  if (node.length !== 1) return false;
  const s = node[0]!;
  return s.lo === 0 && s.hi === MAX[level as 0 | 1 | 2] && (s.sub === null || isFull(s.sub, level + 1));
}

/**
 * The contents under a piece both sides hold. Shortcuts where one side is the whole of the axes
 * below or both are the same node: the answer is one of the (canonical) inputs, so nothing is
 * rebuilt and equal contents stay one shared node (hot in every path's intersections, issue 14).
 */
function both(a: Node, b: Node, level: number, op: Op): Node {
  if (a === b) return op === 'minus' ? EMPTY_NODE : a;
  if (op === 'intersect') {
    if (isFull(a, level)) return b;
    if (isFull(b, level)) return a;
  } else if (op === 'union') {
    if (isFull(a, level)) return a;
    if (isFull(b, level)) return b;
  } else if (isFull(b, level)) return EMPTY_NODE;
  return combine(a, b, level, op);
}

const EMPTY_NODE: Node = [];

/** Rebuilds `node` with the node at `target` level replaced by `fn(node)`, keeping the form canonical. */
function mapAt(node: Node, level: number, target: number, fn: (n: Node) => Node): Node {
  const out: Segment[] = [];
  for (const s of node) {
    const sub = level + 1 === target ? mapLeafParents(s.sub!, fn) : mapAt(s.sub!, level + 1, target, fn);
    if (sub.length === 0) continue;
    const prev = out[out.length - 1];
    if (prev && prev.hi + 1 === s.lo && subEquals(prev.sub, sub)) out[out.length - 1] = { lo: prev.lo, hi: s.hi, sub };
    else out.push({ lo: s.lo, hi: s.hi, sub });
  }
  return out;
}

function mapLeafParents(node: Node, fn: (ports: Node) => Node): Node {
  const out: Segment[] = [];
  for (const s of node) {
    const sub = fn(s.sub!);
    if (sub.length === 0) continue;
    const prev = out[out.length - 1];
    if (prev && prev.hi + 1 === s.lo && subEquals(prev.sub, sub)) out[out.length - 1] = { lo: prev.lo, hi: s.hi, sub };
    else out.push({ lo: s.lo, hi: s.hi, sub });
  }
  return out;
}

function subEquals(a: Node | null, b: Node | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return nodeEquals(a, b);
}

function nodeEquals(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.lo !== y.lo || x.hi !== y.hi || !subEquals(x.sub, y.sub)) return false;
  }
  return true;
}

function mergeRanges(ranges: readonly Range[]): Range[] {
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const prev = out[out.length - 1];
    if (prev && prev[1] + 1 >= lo) prev[1] = Math.max(prev[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function formatServices(p: Segment): string {
  const proto = p.lo === 0 && p.hi === MAX[1] ? 'all' : p.lo === p.hi ? PROTOCOL_NAMES[p.lo] ?? `proto ${p.lo}` : `proto ${p.lo}-${p.hi}`;
  if (proto === 'all' || proto === 'icmp') return proto === 'all' ? 'all traffic' : 'icmp';
  const ports = p.sub!.map((q) => (q.lo === 0 && q.hi === MAX[2] ? 'all ports' : q.lo === q.hi ? `${q.lo}` : `${q.lo}-${q.hi}`)).join(',');
  return `${proto}/${ports}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses

export function ipToNumber(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** `10.0.0.0/16` → [lo, hi]; host bits are ignored, as AWS does for most inputs. */
export function cidrRange(text: string): Range | undefined {
  const [ip, bits] = text.trim().split('/');
  const base = ip === undefined ? undefined : ipToNumber(ip);
  const prefix = bits === undefined ? 32 : Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const lo = base - (base % size);
  return [lo, lo + size - 1];
}

/** The smallest list of CIDRs covering [lo, hi] exactly. */
export function rangeToCidrs(lo: number, hi: number): string[] {
  const out: string[] = [];
  let cur = lo;
  while (cur <= hi) {
    let size = 1;
    while (cur % (size * 2) === 0 && cur + size * 2 - 1 <= hi && size < 2 ** 32) size *= 2;
    out.push(`${formatIp(cur)}/${32 - Math.log2(size)}`);
    cur += size;
  }
  return out;
}

/** Address ranges as CIDRs, shortened: `10.0.1.0/24, 10.0.2.0/24`. */
export function formatPeers(ranges: readonly Range[], limit = 4): string {
  const cidrs = ranges.flatMap(([lo, hi]) => rangeToCidrs(lo, hi));
  return cidrs.length <= limit ? cidrs.join(', ') : `${cidrs.slice(0, limit).join(', ')} and ${cidrs.length - limit} more ranges`;
}

/** Addresses that never come from the internet: private, shared, loopback, link-local, multicast, reserved. */
const NOT_INTERNET = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'];

/** The public IPv4 space: what "the internet" means as a source or destination. */
export const INTERNET: PacketSet = NOT_INTERNET.reduce(
  (set, cidr) => set.minus(PacketSet.peers(...cidrRange(cidr)!)),
  PacketSet.ALL,
);

// ---------------------------------------------------------------------------------------------
// Brackets: what is certainly allowed, and what may be allowed under the model's assumptions.

/**
 * A pair of sets, `sure ⊆ maybe`: `sure` holds the packets the template certainly allows,
 * `maybe` those it allows if every unresolved value turns out permissive. They differ only where
 * the analysis met something it could not resolve.
 */
export class Bracket {
  public static readonly NONE = new Bracket(PacketSet.EMPTY, PacketSet.EMPTY);
  public static readonly ALL = new Bracket(PacketSet.ALL, PacketSet.ALL);
  /** Nothing certain, everything possible: a component the model cannot see into. */
  public static readonly UNKNOWN = new Bracket(PacketSet.EMPTY, PacketSet.ALL);

  public static exact(set: PacketSet): Bracket {
    return new Bracket(set, set);
  }

  public constructor(public readonly sure: PacketSet, public readonly maybe: PacketSet) {}

  // Exact brackets hold one set twice (sure === maybe): computed once and kept exact, which halves
  // the set algebra of a path whose components are mostly exact. The sets are the same either way.
  public union(o: Bracket): Bracket {
    if (o === Bracket.NONE) return this;
    if (this === Bracket.NONE) return o;
    if (this.sure === this.maybe && o.sure === o.maybe) return Bracket.exact(this.sure.union(o.sure));
    return new Bracket(this.sure.union(o.sure), this.maybe.union(o.maybe));
  }

  public intersect(o: Bracket): Bracket {
    if (o === Bracket.ALL) return this;
    if (this === Bracket.ALL) return o;
    if (this.sure === this.maybe && o.sure === o.maybe) return Bracket.exact(this.sure.intersect(o.sure));
    return new Bracket(this.sure.intersect(o.sure), this.maybe.intersect(o.maybe));
  }

  public restrict(set: PacketSet): Bracket {
    if (this.sure === this.maybe) return Bracket.exact(this.sure.intersect(set));
    return new Bracket(this.sure.intersect(set), this.maybe.intersect(set));
  }

  public map(fn: (s: PacketSet) => PacketSet): Bracket {
    return new Bracket(fn(this.sure), fn(this.maybe));
  }

  public isExact(): boolean {
    return this.sure === this.maybe || this.sure.equals(this.maybe);
  }

  public isEmpty(): boolean {
    return this.maybe.isEmpty();
  }
}

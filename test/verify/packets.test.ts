/**
 * The packet-set algebra's laws, as properties over random unions of boxes. Boxes are drawn from
 * a small corner of each axis (so they overlap often), plus whole axes now and then.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bracket, cidrRange, INTERNET, PacketSet, rangeToCidrs, type Box, type Packet } from '../../src/analyse/model/packets.js';

const range = (max: number, full: number) => fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const) },
  { weight: 1, arbitrary: fc.constant([0, full] as const) },
);
const box: fc.Arbitrary<Box> = fc.record({ peer: range(40, 0xffffffff), protocol: range(8, 255), port: range(30, 65535) });
const set = fc.array(box, { maxLength: 5 }).map((bs) => PacketSet.of(bs));
const packet: fc.Arbitrary<Packet> = fc.record({ peer: fc.integer({ min: 0, max: 45 }), protocol: fc.integer({ min: 0, max: 10 }), port: fc.integer({ min: 0, max: 35 }) });

const same = (a: PacketSet, b: PacketSet) => expect(JSON.stringify(a.boxes())).toBe(JSON.stringify(b.boxes()));

describe('packet-set algebra', () => {
  it('union and intersection are commutative', () => {
    fc.assert(fc.property(set, set, (a, b) => {
      same(a.union(b), b.union(a));
      same(a.intersect(b), b.intersect(a));
    }));
  });

  it('union and intersection are associative', () => {
    fc.assert(fc.property(set, set, set, (a, b, c) => {
      same(a.union(b).union(c), a.union(b.union(c)));
      same(a.intersect(b).intersect(c), a.intersect(b.intersect(c)));
    }));
  });

  it('union and intersection are idempotent', () => {
    fc.assert(fc.property(set, (a) => {
      same(a.union(a), a);
      same(a.intersect(a), a);
    }));
  });

  it('each distributes over the other', () => {
    fc.assert(fc.property(set, set, set, (a, b, c) => {
      same(a.intersect(b.union(c)), a.intersect(b).union(a.intersect(c)));
      same(a.union(b.intersect(c)), a.union(b).intersect(a.union(c)));
    }));
  });

  it('a − a = ∅, (a − b) ∩ b = ∅, and (a − b) ∪ (a ∩ b) = a', () => {
    fc.assert(fc.property(set, set, (a, b) => {
      expect(a.minus(a).isEmpty()).toBe(true);
      expect(a.minus(b).intersect(b).isEmpty()).toBe(true);
      same(a.minus(b).union(a.intersect(b)), a);
    }));
  });

  it('agrees with membership, packet by packet', () => {
    fc.assert(fc.property(set, set, packet, (a, b, p) => {
      expect(a.union(b).has(p)).toBe(a.has(p) || b.has(p));
      expect(a.intersect(b).has(p)).toBe(a.has(p) && b.has(p));
      expect(a.minus(b).has(p)).toBe(a.has(p) && !b.has(p));
    }));
  });

  it('normalises to one form: the same set built differently has identical boxes', () => {
    fc.assert(fc.property(fc.array(box, { maxLength: 6 }), (boxes) => {
      const forward = PacketSet.of(boxes);
      const backward = PacketSet.of([...boxes].reverse());
      same(forward, backward);
      // Rebuilding from its own canonical boxes gives the same form.
      same(PacketSet.of(forward.boxes()), forward);
      expect(forward.equals(backward)).toBe(true);
    }));
  });

  it('normalises a box split in pieces back into the box', () => {
    fc.assert(fc.property(box, fc.integer({ min: 0, max: 40 }), (b, cut) => {
      const [lo, hi] = b.peer;
      if (cut <= lo || cut > hi) return;
      const pieces = PacketSet.of([{ ...b, peer: [lo, cut - 1] }, { ...b, peer: [cut, hi] }]);
      same(pieces, PacketSet.box(b));
      expect(pieces.boxes()).toHaveLength(1);
    }));
  });

  it('contains is the subset relation', () => {
    fc.assert(fc.property(set, set, (a, b) => {
      expect(a.union(b).contains(a)).toBe(true);
      expect(a.contains(a.intersect(b))).toBe(true);
      expect(a.contains(b)).toBe(b.minus(a).isEmpty());
    }));
  });

  it('projects reply ports: any keeps what some port allows, all what every port allows', () => {
    const replies = PacketSet.box({ peer: [0, 10], protocol: [6, 6], port: [32768, 65535] });
    expect(replies.projectPorts([1024, 65535], 'any').has({ peer: 5, protocol: 6, port: 1 })).toBe(true);
    expect(replies.projectPorts([1024, 65535], 'all').isEmpty()).toBe(true);
    expect(PacketSet.box({ peer: [0, 10], protocol: [6, 6], port: [0, 65535] }).projectPorts([1024, 65535], 'all').has({ peer: 3, protocol: 6, port: 80 })).toBe(true);
  });

  it('moves a listener port to the target port', () => {
    const s = PacketSet.of([{ peer: [1, 2], protocol: [6, 6], port: [443, 443] }, { peer: [1, 2], protocol: [6, 6], port: [80, 80] }]);
    const moved = s.forwardPort(443, [8080, 8080]);
    expect(moved.has({ peer: 1, protocol: 6, port: 8080 })).toBe(true);
    expect(moved.has({ peer: 1, protocol: 6, port: 443 })).toBe(false);
    expect(moved.has({ peer: 1, protocol: 6, port: 80 })).toBe(false);
  });
});

describe('addresses', () => {
  it('turns ranges back into the fewest CIDRs', () => {
    expect(rangeToCidrs(...cidrRange('10.0.0.0/16')!)).toEqual(['10.0.0.0/16']);
    expect(rangeToCidrs(0, 0xffffffff)).toEqual(['0.0.0.0/0']);
    expect(rangeToCidrs(...[cidrRange('10.0.1.0/24')![0], cidrRange('10.0.2.0/24')![1]] as [number, number])).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
  });

  it('keeps private, shared and reserved ranges out of "the internet"', () => {
    const has = (ip: string) => INTERNET.has({ peer: cidrRange(`${ip}/32`)![0], protocol: 6, port: 443 });
    expect(has('198.51.100.7')).toBe(true);
    for (const ip of ['10.1.2.3', '172.20.0.1', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.169.254', '224.0.0.1']) expect(has(ip)).toBe(false);
  });
});

describe('brackets', () => {
  it('keep what is certain inside what is possible through every operation', () => {
    fc.assert(fc.property(set, set, set, set, (a, b, c, d) => {
      const x = new Bracket(a.intersect(b), a);
      const y = new Bracket(c.intersect(d), c);
      for (const z of [x.union(y), x.intersect(y)]) expect(z.maybe.contains(z.sure)).toBe(true);
    }));
  });
});

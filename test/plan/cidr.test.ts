/** CIDR arithmetic: examples for each function, then the laws the plan relies on, as properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  carve, contains, formatCidr, formatIp, isNetworkAligned, lastAddress, maskOf, overlaps, parseCidr, parseIp, size, type Cidr,
} from '../../src/plan/cidr.js';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`test fixture ${text} is not a CIDR`);
  return parsed;
};

// --- generators ---------------------------------------------------------------------------

const address = fc.integer({ min: 0, max: 0xffffffff });

/** Any prefix with any address bits, host bits included. */
const anyCidr = fc.record({ base: address, prefix: fc.integer({ min: 0, max: 32 }) });

/** A network (no host bits), the only kind the plan works with after validation. */
const network = (minPrefix = 0, maxPrefix = 32) =>
  fc.record({ base: address, prefix: fc.integer({ min: minPrefix, max: maxPrefix }) })
    .map(({ base, prefix }): Cidr => ({ base: (base & maskOf(prefix)) >>> 0, prefix }));

/** A network inside `outer`, `extra` bits longer at most. */
const inside = (outer: Cidr, extra: number) =>
  fc.record({ offset: address, grow: fc.integer({ min: 0, max: extra }) }).map(({ offset, grow }): Cidr => {
    const prefix = Math.min(32, outer.prefix + grow);
    const hostBits = (offset & ~maskOf(outer.prefix)) >>> 0;
    return { base: ((outer.base | hostBits) & maskOf(prefix)) >>> 0, prefix };
  });

/** Two networks, half the time one nested in the other (random pairs are almost always disjoint). */
const pair = fc.oneof(
  fc.tuple(network(), network()),
  network(0, 24).chain((outer) => inside(outer, 8).map((inner) => [outer, inner] as [Cidr, Cidr])),
  network(0, 24).chain((outer) => inside(outer, 8).map((inner) => [inner, outer] as [Cidr, Cidr])),
);

/** A carving problem: a VPC-sized space, a block size, a count and some already-taken ranges nearby. */
const carving = network(16, 24).chain((within) =>
  fc.record({
    within: fc.constant(within),
    prefix: fc.integer({ min: within.prefix, max: within.prefix + 6 }),
    count: fc.integer({ min: 0, max: 10 }),
    taken: fc.array(fc.oneof(inside(within, 8), network(8, 28)), { maxLength: 6 }),
  }));

/** Every aligned /prefix block of `within`, lowest first (at most 64 for the generator above). */
function blocksOf(within: Cidr, prefix: number): Cidr[] {
  const step = 2 ** (32 - prefix);
  return Array.from({ length: size(within) / step }, (_, i) => ({ base: within.base + i * step, prefix }));
}

// --- examples -----------------------------------------------------------------------------

describe('parseCidr', () => {
  it('reads the network address as an unsigned 32-bit number and the prefix', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr('255.255.255.255/32')).toEqual({ base: 0xffffffff, prefix: 32 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ base: 0, prefix: 0 });
  });

  it('keeps host bits, so callers can report them', () => {
    expect(parseCidr('10.0.1.5/24')).toEqual({ base: 0x0a000105, prefix: 24 });
  });

  it('ignores surrounding spaces', () => {
    expect(parseCidr('  192.168.0.0/16 ')).toEqual({ base: 0xc0a80000, prefix: 16 });
  });

  it.each(['10.0.0.256/24', '10.0.300.0/24', '10.0.0.0/33', '10.0.0/24', '10.0.0.0', '10.0.0.0/', 'a.b.c.d/8', '', '10.0.0.0/8/8', '-1.0.0.0/8'])(
    'rejects %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});

describe('parseIp and formatIp', () => {
  it('convert between dotted quads and numbers', () => {
    expect(parseIp('203.0.113.7')).toBe(0xcb007107);
    expect(formatIp(0xcb007107)).toBe('203.0.113.7');
    expect(formatIp(0)).toBe('0.0.0.0');
    expect(formatIp(0xffffffff)).toBe('255.255.255.255');
  });

  it('rejects an address with a prefix or an octet out of range', () => {
    expect(parseIp('203.0.113.7/32')).toBeUndefined();
    expect(parseIp('203.0.113.256')).toBeUndefined();
  });
});

describe('maskOf, isNetworkAligned, size, lastAddress', () => {
  it('computes netmasks at the edges', () => {
    expect(maskOf(0)).toBe(0);
    expect(maskOf(1)).toBe(0x80000000);
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(32)).toBe(0xffffffff);
  });

  it('tells networks from addresses with host bits', () => {
    expect(isNetworkAligned(cidr('10.0.1.0/24'))).toBe(true);
    expect(isNetworkAligned(cidr('10.0.1.5/24'))).toBe(false);
    expect(isNetworkAligned(cidr('10.0.1.5/32'))).toBe(true);
    expect(isNetworkAligned(cidr('0.0.0.0/0'))).toBe(true);
    expect(isNetworkAligned(cidr('128.0.0.0/0'))).toBe(false);
  });

  it('counts addresses and finds the last one', () => {
    expect(size(cidr('10.0.0.0/16'))).toBe(65536);
    expect(size(cidr('10.0.0.0/32'))).toBe(1);
    expect(size(cidr('0.0.0.0/0'))).toBe(2 ** 32);
    expect(formatIp(lastAddress(cidr('10.0.0.0/16')))).toBe('10.0.255.255');
    expect(formatIp(lastAddress(cidr('0.0.0.0/0')))).toBe('255.255.255.255');
  });
});

describe('contains and overlaps', () => {
  it('contains a subnet of the VPC, not its neighbour', () => {
    expect(contains(cidr('10.0.0.0/16'), cidr('10.0.5.0/24'))).toBe(true);
    expect(contains(cidr('10.0.0.0/16'), cidr('10.1.0.0/24'))).toBe(false);
    expect(contains(cidr('10.0.5.0/24'), cidr('10.0.0.0/16'))).toBe(false);
    expect(contains(cidr('0.0.0.0/0'), cidr('203.0.113.7/32'))).toBe(true);
  });

  it('sees overlap in either direction and none between adjacent blocks', () => {
    expect(overlaps(cidr('10.0.0.0/20'), cidr('10.0.1.0/24'))).toBe(true);
    expect(overlaps(cidr('10.0.1.0/24'), cidr('10.0.0.0/20'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.1.0/24'))).toBe(false);
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.1.0.0/16'))).toBe(false);
  });
});

describe('carve', () => {
  const vpc = cidr('10.0.0.0/16');

  it('allocates lowest first', () => {
    expect(carve(vpc, 24, 3, [])?.map(formatCidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  it('skips every block that overlaps a taken range', () => {
    const taken = [cidr('10.0.0.0/24'), cidr('10.0.2.0/23')];
    expect(carve(vpc, 24, 3, taken)?.map(formatCidr)).toEqual(['10.0.1.0/24', '10.0.4.0/24', '10.0.5.0/24']);
  });

  it('steps over a larger taken range in whole blocks', () => {
    expect(carve(vpc, 24, 1, [cidr('10.0.0.0/20')])?.map(formatCidr)).toEqual(['10.0.16.0/24']);
  });

  it('returns undefined when the space runs out', () => {
    expect(carve(cidr('10.0.0.0/24'), 25, 3, [])).toBeUndefined();
    expect(carve(cidr('10.0.0.0/24'), 25, 2, [cidr('10.0.0.0/26')])).toBeUndefined();
  });

  it('returns undefined for blocks larger than the space', () => {
    expect(carve(cidr('10.0.0.0/24'), 16, 1, [])).toBeUndefined();
  });

  it('returns nothing for a count of zero', () => {
    expect(carve(vpc, 24, 0, [])).toEqual([]);
  });
});

// --- laws ---------------------------------------------------------------------------------

describe('laws', () => {
  it('format then parse gives the same CIDR back, host bits included', () => {
    fc.assert(fc.property(anyCidr, (c) => {
      expect(parseCidr(formatCidr(c))).toEqual(c);
    }));
  });

  it('parse then format gives the same text back for canonical dotted quads', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
      const text = `${ip}/${prefix}`;
      expect(formatCidr(cidr(text))).toBe(text);
      expect(formatIp(parseIp(ip)!)).toBe(ip);
    }));
  });

  it('contains and overlaps are reflexive', () => {
    fc.assert(fc.property(network(), (a) => {
      expect(contains(a, a)).toBe(true);
      expect(overlaps(a, a)).toBe(true);
    }));
  });

  it('overlaps is symmetric', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(overlaps(a, b)).toBe(overlaps(b, a));
    }));
  });

  it('contains implies overlaps', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      if (contains(a, b)) {
        expect(overlaps(a, b)).toBe(true);
        expect(overlaps(b, a)).toBe(true);
      }
    }));
  });

  it('two networks overlap only when one contains the other', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(overlaps(a, b)).toBe(contains(a, b) || contains(b, a));
    }));
  });

  it('contains is antisymmetric and transitive', () => {
    fc.assert(fc.property(network(8, 16).chain((a) => inside(a, 8).chain((b) => inside(b, 8).map((c) => [a, b, c] as const))), ([a, b, c]) => {
      expect(contains(a, c)).toBe(true);
      if (contains(b, a)) expect(b).toEqual(a);
    }));
  });

  it('carved blocks are inside `within`, aligned, of the asked size, disjoint from each other and from `taken`', () => {
    fc.assert(fc.property(carving, ({ within, prefix, count, taken }) => {
      const blocks = carve(within, prefix, count, taken);
      if (!blocks) return;
      expect(blocks).toHaveLength(count);
      for (const [i, b] of blocks.entries()) {
        expect(b.prefix).toBe(prefix);
        expect(isNetworkAligned(b)).toBe(true);
        expect(contains(within, b)).toBe(true);
        for (const t of taken) expect(overlaps(b, t)).toBe(false);
        for (const other of blocks.slice(i + 1)) expect(overlaps(b, other)).toBe(false);
      }
    }));
  });

  it('carves lowest first: every free block below the last one carved was carved', () => {
    fc.assert(fc.property(carving, ({ within, prefix, count, taken }) => {
      const blocks = carve(within, prefix, count, taken);
      if (!blocks || blocks.length === 0) return;
      const bases = blocks.map((b) => b.base);
      expect(bases).toEqual([...bases].sort((x, y) => x - y));
      const last = bases[bases.length - 1]!;
      const free = blocksOf(within, prefix).filter((b) => b.base <= last && !taken.some((t) => overlaps(t, b)));
      expect(free).toEqual(blocks);
    }));
  });

  it('gives up exactly when fewer free blocks remain than were asked for', () => {
    fc.assert(fc.property(carving, ({ within, prefix, count, taken }) => {
      const free = blocksOf(within, prefix).filter((b) => !taken.some((t) => overlaps(t, b)));
      expect(carve(within, prefix, count, taken) === undefined).toBe(free.length < count);
    }));
  });
});

/**
 * IPv4 CIDR arithmetic on plain numbers. Pure; used by the plan (carving, overlap checks) and by verify.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for anything malformed (octet > 255, prefix > 32). */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { base, prefix };
}

export function parseIp(text: string): number | undefined {
  return parseCidr(`${text}/32`)?.base;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether the address bits below the prefix are zero (10.0.1.0/24 yes, 10.0.1.5/24 no). */
export function isNetworkAligned(c: Cidr): boolean {
  return ((c.base & ~maskOf(c.prefix)) >>> 0) === 0;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function lastAddress(c: Cidr): number {
  return c.base + size(c) - 1;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && lastAddress(inner) <= lastAddress(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

/**
 * Allocates `count` blocks of `/prefix` inside `within`, lowest address first, skipping every block
 * that overlaps `taken`. Returns undefined when the space runs out.
 */
export function carve(within: Cidr, prefix: number, count: number, taken: readonly Cidr[]): Cidr[] | undefined {
  if (prefix < within.prefix) return undefined;
  const step = 2 ** (32 - prefix);
  const out: Cidr[] = [];
  const used = [...taken];
  for (let base = within.base; base + step - 1 <= lastAddress(within) && out.length < count; base += step) {
    const candidate = { base, prefix };
    if (used.some((t) => overlaps(t, candidate))) continue;
    out.push(candidate);
    used.push(candidate);
  }
  return out.length === count ? out : undefined;
}

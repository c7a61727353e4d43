/** Small readers for resolved template values. */
import { ResourceToken, Unknown, type Value } from './resolve.js';
import { PROTOCOL, type Range } from './packets.js';

export function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function bool(v: Value | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function list(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function obj(v: Value | undefined): Record<string, Value> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof ResourceToken) && !(v instanceof Unknown)
    ? (v as Record<string, Value>)
    : undefined;
}

/** The key of the resource a value names (`!Ref X`, `!GetAtt X.GroupId`), if it names one. */
export function tokenKey(v: Value | undefined): string | undefined {
  return v instanceof ResourceToken && v.attr === undefined ? v.key : undefined;
}

export function reasonOf(v: Value | undefined): string {
  if (v instanceof Unknown) return v.reason;
  if (v instanceof ResourceToken) return `a reference to ${v.key}${v.attr ? `.${v.attr}` : ''}`;
  return `the value ${JSON.stringify(v)}`;
}

export function tags(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list(v)) {
    const o = obj(t);
    const key = str(o?.Key);
    const value = str(o?.Value);
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  // Some resources (EKS, Client VPN) take tags as a plain map.
  const map = obj(v);
  if (map && !Array.isArray(v)) for (const [k, val] of Object.entries(map)) if (typeof val === 'string') out[k] = val;
  return out;
}

const ALL_PROTOCOLS: Range = [0, 255];
const ALL_PORTS: Range = [0, 65535];

/** CloudFormation's IpProtocol / Protocol: `-1`, `tcp`, `6`, `udp`, `icmp`, a number. */
export function protocolRange(v: Value | undefined): Range | undefined {
  const s = str(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (s === '-1' || s === 'all') return ALL_PROTOCOLS;
  const named = (PROTOCOL as Record<string, number>)[s];
  if (named !== undefined) return [named, named];
  if (s === 'icmpv6') return [58, 58];
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? [n, n] : undefined;
}

/** The port range of a rule: every port for all-protocol and ICMP rules, and for -1. */
export function portRange(protocol: Range, from: Value | undefined, to: Value | undefined): Range {
  if (protocol[0] !== protocol[1] || (protocol[0] !== PROTOCOL.tcp && protocol[0] !== PROTOCOL.udp)) return ALL_PORTS;
  const a = num(from);
  const b = num(to);
  if (a === undefined || a === -1 || b === -1) return ALL_PORTS;
  return [a, b ?? a];
}

/** A listener or target group protocol name → IP protocols. */
export function transportOf(protocol: string | undefined): Range[] {
  switch ((protocol ?? '').toUpperCase()) {
    case 'UDP': return [[PROTOCOL.udp, PROTOCOL.udp]];
    case 'TCP_UDP': return [[PROTOCOL.tcp, PROTOCOL.tcp], [PROTOCOL.udp, PROTOCOL.udp]];
    default: return [[PROTOCOL.tcp, PROTOCOL.tcp]];
  }
}

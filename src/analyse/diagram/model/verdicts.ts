/**
 * verify's findings, placed on the picture: a violation with a witness (something reaches that must
 * not) marks the part of an edge it covers red with the rule id; a blocked flow (something the spec
 * or an intent needs that does not get through) becomes a dotted red edge; a finding with no two
 * ends to draw between (a private subnet routing to the internet gateway) becomes a note.
 */
import type { Finding } from '../../verify/findings.js';
import { PacketSet, PROTOCOL, type Packet } from '../../verify/packets.js';

export interface Verdict {
  readonly ruleId: string;
  readonly kind: 'violation' | 'blocked';
  /** Whether verify is sure (a violation) or the answer depends on an assumption (unknown). */
  readonly certainty: 'sure' | 'maybe';
  readonly fromName: string;
  readonly toName: string;
  /** The packets it is about: protocol × port (peers unrestricted). */
  readonly services: PacketSet;
  /** The witness packet, whose peer says which outside node it comes from. */
  readonly packet: Packet | undefined;
  readonly message: string;
}

export interface RuleInfo {
  readonly id: string;
  readonly name: string;
  readonly cause: string;
}

/** Findings with two ends to draw between; the rest are returned as notes. */
export function verdictsOf(findings: readonly Finding[]): { verdicts: Verdict[]; unplaced: Finding[] } {
  const verdicts: Verdict[] = [];
  const unplaced: Finding[] = [];
  for (const f of findings) {
    const certainty = f.status === 'violation' ? 'sure' : 'maybe';
    if (f.witness) {
      const packet = parsePacket(f.witness.packet);
      const services = parseServices(f.witness.packets.split(/ (?:from|to) /)[0] ?? '') ?? (packet ? serviceOf(packet) : PacketSet.ALL);
      verdicts.push({ ruleId: f.ruleId, kind: 'violation', certainty, fromName: f.witness.from, toName: f.witness.to, services, packet, message: f.message });
    } else if (f.blocked) {
      const packet = parsePacket(f.blocked.packet);
      verdicts.push({ ruleId: f.ruleId, kind: 'blocked', certainty, fromName: f.blocked.from, toName: f.blocked.to, services: packet ? serviceOf(packet) : PacketSet.ALL, packet, message: f.message });
    } else {
      unplaced.push(f);
    }
  }
  return { verdicts, unplaced };
}

const NUMBERS: Readonly<Record<string, number>> = { tcp: PROTOCOL.tcp, udp: PROTOCOL.udp, icmp: PROTOCOL.icmp };

/** `tcp/22 from 198.51.100.7`, `icmp to 10.0.0.10`, `protocol 50 from …` → the packet. */
export function parsePacket(text: string): Packet | undefined {
  const m = /^(?:(tcp|udp)\/(\d+)|(icmp)|protocol (\d+)) (?:from|to) (\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const protocol = m[1] ? NUMBERS[m[1]]! : m[3] ? PROTOCOL.icmp : Number(m[4]);
  const peer = ((Number(m[5]) << 24) | (Number(m[6]) << 16) | (Number(m[7]) << 8) | Number(m[8])) >>> 0;
  return { protocol, port: m[2] ? Number(m[2]) : 0, peer };
}

/**
 * verify's service summaries (`tcp/22,5601, udp/53`, `tcp/all ports`, `all traffic`, `icmp`) as a
 * set; undefined when the text is not one.
 */
export function parseServices(text: string): PacketSet | undefined {
  const trimmed = text.trim();
  if (trimmed === 'all traffic') return PacketSet.ALL;
  let set = PacketSet.EMPTY;
  for (const part of trimmed.split(', ')) {
    const [name, ports] = part.split('/');
    const protocol = name === undefined ? undefined : NUMBERS[name] ?? (/^proto (\d+)$/.exec(name) ? Number(name.slice(6)) : undefined);
    if (protocol === undefined) return undefined;
    if (ports === undefined || ports === 'all ports') {
      set = set.union(PacketSet.box({ protocol: [protocol, protocol] }));
      continue;
    }
    for (const range of ports.split(',')) {
      const [lo, hi] = range.split('-').map(Number);
      if (lo === undefined || Number.isNaN(lo)) return undefined;
      set = set.union(PacketSet.box({ protocol: [protocol, protocol], port: [lo, hi ?? lo] }));
    }
  }
  return set.isEmpty() ? undefined : set;
}

function serviceOf(p: Packet): PacketSet {
  return PacketSet.box({ protocol: [p.protocol, p.protocol], port: p.protocol === PROTOCOL.tcp || p.protocol === PROTOCOL.udp ? [p.port, p.port] : [0, 65535] });
}

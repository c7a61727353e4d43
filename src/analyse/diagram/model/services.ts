/**
 * Edge labels: the protocol × port part of a packet set, written the way operators say it
 * (`443/tcp`, `8000-8002/tcp`, `53/udp`, `all traffic`), one protocol per part, ports ascending.
 */
import { PacketSet, PROTOCOL_NAMES, type Range } from '../../model/packets.js';

const ALL_PORTS: Range = [0, 65535];

/** The services of a set, whatever the peers: `['22/tcp', '5601/tcp']`. */
export function serviceParts(set: PacketSet): string[] {
  const services = set.withPeers(PacketSet.ALL);
  if (services.isEmpty()) return [];
  if (services.contains(PacketSet.ALL)) return ['all traffic'];
  const byProtocol = new Map<string, Range[]>();
  for (const box of services.boxes()) {
    const [plo, phi] = box.protocol;
    for (let p = plo; p <= phi; p++) {
      const name = PROTOCOL_NAMES[p] ?? `protocol ${p}`;
      const ranges = byProtocol.get(name) ?? [];
      ranges.push(box.port);
      byProtocol.set(name, ranges);
      if (phi - plo > 16) {
        byProtocol.set(`protocols ${plo}-${phi}`, [ALL_PORTS]);
        break;
      }
    }
  }
  const parts: string[] = [];
  for (const name of ['tcp', 'udp', ...[...byProtocol.keys()].filter((k) => k !== 'tcp' && k !== 'udp').sort()]) {
    const ranges = byProtocol.get(name);
    if (!ranges) continue;
    const merged = mergeRanges(ranges);
    if (name !== 'tcp' && name !== 'udp') {
      parts.push(name);
      continue;
    }
    if (merged.length === 1 && merged[0]![0] === 0 && merged[0]![1] === 65535) {
      parts.push(`all ${name}`);
      continue;
    }
    for (const [lo, hi] of merged) parts.push(`${lo === hi ? lo : `${lo}-${hi}`}/${name}`);
  }
  return parts;
}

/**
 * A label of lines at most `width` characters long (one part when a part is longer): narrow labels
 * keep the long vertical edges of a layout close together.
 */
export function serviceLabel(parts: readonly string[], width = 18): string {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + part.length + 2 <= width) lines[lines.length - 1] = `${last}, ${part}`;
    else lines.push(part);
  }
  return lines.join('\n');
}

function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev[1] + 1 >= lo) prev[1] = Math.max(prev[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Services written in a plan's terms (tcp 8000-8002) as a packet set, for comparing with flows. */
export function portsSet(protocol: 'tcp' | 'udp' | 'icmp' | 'all', from: number, to: number): PacketSet {
  if (protocol === 'all') return PacketSet.ALL;
  const number = protocol === 'tcp' ? 6 : protocol === 'udp' ? 17 : 1;
  const ports: Range = protocol === 'icmp' || from < 0 ? ALL_PORTS : [from, to];
  return PacketSet.box({ protocol: [number, number], port: ports });
}

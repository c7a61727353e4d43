/**
 * verify's findings, placed on the picture: a violation with a witness (something reaches that must
 * not) marks the part of an edge it covers red with the rule id; a blocked flow (something the spec
 * or an intent needs that does not get through) becomes a dotted red edge; a finding with no two
 * ends to draw between (a private subnet routing to the internet gateway) becomes a note. The ends
 * and packets are the structured data verify attaches to its witnesses, never their text.
 */
import type { End, Finding } from '../../verify/findings.js';
import { PacketSet, type Packet } from '../../model/packets.js';

export interface Verdict {
  readonly ruleId: string;
  readonly kind: 'violation' | 'blocked';
  /** Whether verify is sure (a violation) or the answer depends on an assumption (unknown). */
  readonly certainty: 'sure' | 'maybe';
  readonly source: End;
  readonly destination: End;
  /** The packets it is about: protocol × port (peers unrestricted). */
  readonly services: PacketSet;
  /** The witness packet, whose peer says which outside node it comes from. */
  readonly packet: Packet;
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
    const evidence = f.witness ?? f.blocked;
    if (evidence?.source && evidence.destination && evidence.set && evidence.sample) {
      verdicts.push({
        ruleId: f.ruleId, kind: f.witness ? 'violation' : 'blocked', certainty, source: evidence.source, destination: evidence.destination,
        services: evidence.set.withPeers(PacketSet.ALL), packet: evidence.sample, message: f.message,
      });
    } else {
      unplaced.push(f);
    }
  }
  return { verdicts, unplaced };
}

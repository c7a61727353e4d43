/**
 * A component is one thing on a path that can let a packet through or stop it: a route, a network
 * ACL direction, a security group set, a listener, a public address. It knows the set of packets it
 * lets through (exactly, as a bracket) and can say, for one packet, why.
 */
import type { ResourceRef } from '../assumptions.js';
import type { Bracket, Packet } from '../packets.js';

export interface Verdict {
  /** true: lets the packet through; false: stops it; 'unknown': depends on an assumption. */
  readonly allows: boolean | 'unknown';
  /** One sentence naming the rule that decides, e.g. `route 0.0.0.0/0 → igw-… (PublicRoute)`. */
  readonly text: string;
  readonly resource: ResourceRef | undefined;
  readonly assumption?: string | undefined;
  /** Steps of an inner path (a load balancer that forwards the client's packet). */
  readonly inner?: readonly Hop[];
}

export interface Hop {
  /** What kind of step: `source`, `route`, `network ACL`, `security group`, ... */
  readonly step: string;
  readonly verdict: Verdict;
}

export interface Component {
  readonly step: string;
  /** The packets it lets through. */
  readonly set: Bracket;
  explain(p: Packet): Verdict;
  /** Assumptions that make `set` a bracket rather than an exact set. */
  readonly assumptions: readonly string[];
  /** Lower is evaluated first: the most selective components cut a path short. */
  readonly priority: number;
}

/** A component whose set is computed only when first needed. */
export function component(step: string, compute: () => { set: Bracket; assumptions?: readonly string[] }, explain: (p: Packet) => Verdict, priority = 5): Component {
  let cached: { set: Bracket; assumptions?: readonly string[] } | undefined;
  const get = () => (cached ??= compute());
  return {
    step,
    priority,
    get set() {
      return get().set;
    },
    get assumptions() {
      return get().assumptions ?? [];
    },
    explain,
  };
}

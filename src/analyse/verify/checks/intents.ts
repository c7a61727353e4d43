/**
 * The spec's `intents:` (plan/intents.ts), proved on the model. Like Network Access Analyzer, an
 * intent selects paths (`from` × `to`, the match scope) and states what must hold for them:
 *
 *   PI1 only   the selected paths are among the listed ones (the exclude scope)
 *   PI2 deny   no selected path exists
 *   PI3 via    from outside the VPC, the destination is reached only through the named endpoint,
 *              and it is reached through it
 *   PI4 reach  every selected source reaches every selected destination on the given ports
 */
import type { IntentPlan, IntentRef } from '../../../plan/intents.js';
import { formatIntentRef } from '../../../plan/intents.js';
import type { Destination, Source } from '../../model/engine/reach.js';
import { excess, sourceName } from '../../model/engine/reach.js';
import { blockedOf, witnessOf, type Finding } from '../findings.js';
import { PacketSet } from '../../model/packets.js';
import {
  allDestinations, destinationCoverage, destinationsOf, peersOf, portsSet, requirementsOf, sourceCoverage, sourcesOf, unmet, evidenceMember, type DestinationWithPorts, type Requirement, type Selectors,
} from './selectors.js';

export const INTENT_CHECKS = [
  { id: 'PI1', name: 'IntentOnly', verb: 'only', level: 'error' as const, cause: 'A path selected by an `only` intent is not one of the listed paths.', why: 'The intent lists everything that may reach (or be reached); anything else is access nobody asked for.' },
  { id: 'PI2', name: 'IntentDeny', verb: 'deny', level: 'error' as const, cause: 'A path selected by a `deny` intent exists.', why: 'The intent says these endpoints must not talk at all, on any port.' },
  { id: 'PI3', name: 'IntentVia', verb: 'via', level: 'error' as const, cause: 'A source outside the VPC reaches the destination without going through the `via` endpoint, or the destination cannot be reached through it at all.', why: 'Tools meant for the team are reached through the VPN or the bastion only; a second way in bypasses its authentication and logs.' },
  { id: 'PI4', name: 'IntentReach', verb: 'reach', level: 'error' as const, cause: 'A `reach` intent\'s source cannot reach its destination on the given ports; every blocking component is listed.', why: 'The intent states a connection the platform needs (for example egress through NAT); the templates would deploy it broken.' },
] as const;

function checkOf(intent: IntentPlan) {
  return INTENT_CHECKS.find((c) => c.verb === intent.verb)!;
}

function sourcesFor(intent: IntentPlan, s: Selectors): Source[] {
  return intent.from === '*' ? s.engine.universe() : intent.from.flatMap((r) => sourcesOf(r.endpoint, s));
}

function destinationsFor(intent: IntentPlan, source: Source, s: Selectors): DestinationWithPorts[] {
  return intent.to === '*' ? allDestinations(source, s) : intent.to.flatMap((r) => destinationsOf(r.endpoint, r.ports, s));
}

function destinationName(d: Destination): string {
  return d.kind === 'class' ? d.cls.name : d.name;
}

function sameThing(source: Source, destination: Destination): boolean {
  return source.kind === 'class' && destination.kind === 'class' && source.cls === destination.cls && source.cls.count <= 1;
}

export function checkIntents(intents: readonly IntentPlan[], s: Selectors): Finding[] {
  const out: Finding[] = [];
  for (const intent of intents) {
    const check = checkOf(intent);
    const base = { ruleId: check.id, ruleName: check.name, level: check.level, origin: { path: intent.origin, text: intent.text } };
    const label = `Intent ${intent.name} ${intent.text}`;
    const missing = missingRefs(intent, s);
    if (missing.length > 0) {
      out.push({ ...base, status: 'unknown', resource: undefined, assumptions: [], message: `${label} cannot be checked: the templates hold nothing for ${missing.join(', ')}.` });
      continue;
    }
    if (intent.verb === 'deny' || intent.verb === 'only') {
      // Named destinations are the same for every source; only "*" depends on the source.
      const named = intent.to === '*' ? undefined : intent.to.flatMap((r) => destinationsOf(r.endpoint, r.ports, s));
      for (const source of sourcesFor(intent, s)) {
        for (const { destination, ports } of named ?? destinationsFor(intent, source, s)) {
          if (sameThing(source, destination)) continue;
          // Pod pairs first from the NetworkPolicy index: most pairs of "*" × pods are empty on the ports.
          const quick = source.kind === 'class' && destination.kind === 'class' ? s.engine.podPairs().allowed(source.cls, destination.cls) : undefined;
          if (quick && quick.maybe.intersect(ports).isEmpty()) continue;
          // Decided on the answer when nothing gets through; the paths only for what does.
          if (s.engine.answer(source, destination).allowed.maybe.intersect(ports).isEmpty()) continue;
          const reach = s.engine.reach(source, destination);
          const beyond = intent.verb === 'only' ? excess(reach, (from) => coverage(intent, from, destination, s)) : reach.allowed;
          const sure = beyond.sure.intersect(ports);
          const maybe = beyond.maybe.intersect(ports);
          if (maybe.isEmpty()) continue;
          const definite = !sure.isEmpty();
          const set = definite ? sure : maybe;
          const what = intent.verb === 'deny' ? 'which the intent denies' : `which is not in its only list [${intent.only.map(formatIntentRef).join(', ')}]`;
          out.push({
            ...base, status: definite ? 'violation' : 'unknown', resource: destination.kind === 'class' ? destination.cls.resources[0] : undefined,
            message: `${label}: ${sourceName(source)} ${definite ? 'reaches' : 'may reach'} ${destinationName(destination)} on ${set.servicesString()}, ${what}.`,
            witness: witnessOf(reach, set), assumptions: definite ? [] : reach.assumptions,
          });
        }
      }
    } else if (intent.verb === 'reach') {
      const requirements = (intent.to as readonly IntentRef[]).flatMap((r) => requirementsOf(r.endpoint, r.ports, s));
      for (const source of sourcesFor(intent, s)) {
        for (const requirement of requirements) {
          const gap = unmet(source, requirement, s);
          if (!gap) continue;
          const { definite, set, reach, named } = gap;
          out.push({
            ...base, status: definite ? 'violation' : 'unknown', resource: reach.destination.kind === 'class' ? reach.destination.cls.resources[0] : source.kind === 'class' ? source.cls.resources[0] : undefined,
            message: `${label}: ${sourceName(source)} ${definite ? 'cannot' : 'may not'} reach ${named} on ${set.servicesString()}.`,
            blocked: blockedOf(reach, set), assumptions: gap.assumptions,
          });
        }
      }
    } else {
      out.push(...checkVia(intent, s, base, label));
    }
  }
  return out;
}

/** References of the intent that match nothing in the templates. */
function missingRefs(intent: IntentPlan, s: Selectors): string[] {
  const refs: IntentRef[] = [...(intent.from === '*' ? [] : intent.from), ...(intent.to === '*' ? [] : intent.to)];
  const names = [...refs.map((r) => r.endpoint), ...(intent.via ? [intent.via] : [])];
  return names.filter((n) => sourcesOf(n, s).length === 0 && destinationsOf(n, undefined, s).length === 0);
}

/** What the only list excuses for this pair: entries naming the side written as "*". */
function coverage(intent: IntentPlan, source: Source, destination: Destination, s: Selectors): PacketSet {
  let out = PacketSet.EMPTY;
  for (const entry of intent.only) {
    const ports = portsSet(entry.ports);
    const covered = intent.from === '*' ? sourceCoverage(entry.endpoint, source, s) : destinationCoverage(entry.endpoint, destination, s);
    out = out.union(covered.intersect(ports));
  }
  return out;
}

/** Sources outside the VPC: the internet, other networks, and VPN clients. */
function isOutside(source: Source): boolean {
  return source.kind === 'external' || (source.kind === 'class' && source.cls.kind === 'client-vpn');
}

function checkVia(intent: IntentPlan, s: Selectors, base: Pick<Finding, 'ruleId' | 'ruleName' | 'level' | 'origin'>, label: string): Finding[] {
  const out: Finding[] = [];
  const via = sourcesOf(intent.via!, s);
  const viaKeys = new Set(via.map((v) => (v.kind === 'class' ? v.cls.key : v.name)));
  const outside = sourcesFor(intent, s).filter((src) => isOutside(src) && !viaKeys.has(src.kind === 'class' ? src.cls.key : src.name));
  const destinations = intent.to === '*' ? s.model.classes.map((cls) => ({ destination: { kind: 'class' as const, cls }, ports: PacketSet.ALL })) : intent.to.flatMap((r) => destinationsOf(r.endpoint, r.ports, s));
  // From outside the VPC, nothing reaches the destination but through `via` ...
  for (const { destination, ports } of destinations) {
    if (destination.kind !== 'class') continue;
    for (const source of outside) {
      const reach = s.engine.reach(source, destination);
      // Paths through a load balancer named by `via` go through it.
      const beyond = excess(reach, (from) => (from.kind === 'class' && viaKeys.has(from.cls.key) ? PacketSet.ALL : PacketSet.EMPTY));
      const maybe = beyond.maybe.intersect(ports);
      if (maybe.isEmpty()) continue;
      const sure = beyond.sure.intersect(ports);
      const definite = !sure.isEmpty();
      const set = definite ? sure : maybe;
      out.push({
        ...base, status: definite ? 'violation' : 'unknown', resource: destination.cls.resources[0],
        message: `${label}: ${sourceName(source)} ${definite ? 'reaches' : 'may reach'} ${destination.cls.name} on ${set.servicesString()} without going through ${intent.via}.`,
        witness: witnessOf(reach, set), assumptions: definite ? [] : reach.assumptions,
      });
    }
  }
  // ... and it is reached through it: some member of each destination, on the intent's ports.
  const requirements = intent.to === '*'
    ? s.model.classes.map((cls): Requirement => ({ name: cls.name, members: [{ kind: 'class', cls }], ports: PacketSet.ALL }))
    : intent.to.flatMap((r) => requirementsOf(r.endpoint, r.ports, s));
  for (const requirement of requirements) {
    const members = requirement.members.flatMap((d) => (d.kind === 'class' ? [d.cls] : []));
    if (members.length === 0) continue;
    const { ports } = requirement;
    const through = via.flatMap((v) => members.map((cls) => s.engine.reach(v, { kind: 'class', cls })));
    const sure = through.some((r) => !r.allowed.sure.intersect(ports).isEmpty());
    const maybe = through.some((r) => !r.allowed.maybe.intersect(ports).isEmpty());
    if (sure) continue;
    const viaSource = via[0];
    const reach = viaSource ? s.engine.reach(viaSource, evidenceMember(viaSource, requirement, ports)) : undefined;
    const cls = members[0]!;
    out.push({
      ...base, status: maybe ? 'unknown' : 'violation', resource: cls.resources[0],
      message: `${label}: ${requirement.name} ${maybe ? 'may not be' : 'is not'} reachable through ${intent.via} at all${ports.equals(PacketSet.ALL) ? '' : ` on ${ports.servicesString()}`}.`,
      blocked: reach && reach.destination.kind === 'class' ? blockedOf(reach, peersOf(reach.source).intersect(ports).intersect(reach.destination.cls.accepts)) : undefined,
      assumptions: maybe ? [...new Set(through.flatMap((r) => r.assumptions))] : [],
    });
  }
  return out;
}

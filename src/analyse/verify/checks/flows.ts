/**
 * The spec's own flows, checked both ways. Every `allow`, `allowFrom`, `sshFrom` (and the flows
 * plinth implies, such as a load balancer to its targets) must work: the destination is reachable
 * from every declared source on the declared ports (PF1). And each is also an "only": nothing else
 * reaches the destination (PF2).
 */
import { formatPorts } from '../../../plan/refs.js';
import type { Flow } from '../../../plan/types.js';
import { blockedOf, witnessOf, type Finding } from '../findings.js';
import { PacketSet } from '../../model/packets.js';
import { excess, sourceName, type Source } from '../../model/engine/reach.js';
import type { EniClass } from '../../model/types.js';
import { portsSet, requirementsOf, sourceCoverage, sourcesOf, unmet, type Selectors } from './selectors.js';

export const FLOW_CHECKS = [
  {
    id: 'PF1', name: 'DeclaredFlowWorks', level: 'error' as const,
    cause: 'A flow the spec declares (allow, allowFrom, sshFrom, a load balancer to its targets) is blocked somewhere on the way: a route, a network ACL (either direction), a security group, a listener or a missing public address.',
    why: 'The spec says this connection must work; the templates would deploy a platform where it does not. Every blocking component is listed, so one fix is enough.',
  },
  {
    id: 'PF2', name: 'OnlyDeclaredFlows', level: 'error' as const,
    cause: 'Something reaches a destination the spec describes on packets no flow of the spec declares: an extra rule, a wider range, a shared group, or a path the spec did not mean.',
    why: 'Every allow in the spec is also an "only". A rule added by hand, or a template edited after synthesis, silently widens access; this is what reviewers miss.',
  },
] as const;

const [PF1, PF2] = FLOW_CHECKS;

/**
 * What the platform allows without the spec saying so: EKS creates the cluster security group, whose
 * members (the control plane, and whatever CDK runs with it, such as the kubectl handler) reach each other.
 */
function implied(source: Source, cls: EniClass): PacketSet {
  if (source.kind !== 'class' || cls.kind !== 'eks-control-plane') return PacketSet.EMPTY;
  const clusterGroup = cls.groups.find((g) => g.endsWith('#cluster-sg'));
  return clusterGroup && source.cls.groups.includes(clusterGroup) ? PacketSet.ALL : PacketSet.EMPTY;
}

function flowText(f: Flow): string {
  return `${f.from} → ${f.to}:${formatPorts(f.ports)} (${f.origin.join('.')})`;
}

export function checkFlows(s: Selectors): Finding[] {
  const plan = s.plan;
  if (!plan) return [];
  const out: Finding[] = [];
  const byDestination = new Map<string, Flow[]>();
  for (const f of plan.flows) byDestination.set(f.to, [...(byDestination.get(f.to) ?? []), f]);

  // PF1: every declared flow works.
  for (const f of plan.flows) {
    const requirements = requirementsOf(f.to, f.ports, s);
    if (requirements.length === 0) {
      out.push({
        ruleId: PF1.id, ruleName: PF1.name, level: PF1.level, status: 'unknown', resource: undefined, assumptions: [],
        message: `The flow ${flowText(f)} cannot be checked: the templates hold nothing that belongs to ${f.to}.`,
        origin: { path: f.origin, text: flowText(f) },
      });
      continue;
    }
    for (const source of sourcesOf(f.from, s)) {
      for (const requirement of requirements) {
        const gap = unmet(source, requirement, s);
        if (!gap) continue;
        const { definite, set, reach, named } = gap;
        out.push({
          ruleId: PF1.id, ruleName: PF1.name, level: PF1.level, status: definite ? 'violation' : 'unknown',
          message: `The spec declares ${flowText(f)}, but ${sourceName(source)} ${definite ? 'cannot' : 'may not'} reach ${named} on ${set.servicesString()}.`,
          resource: reach.destination.kind === 'class' ? reach.destination.cls.resources[0] : source.kind === 'class' ? source.cls.resources[0] : undefined,
          blocked: blockedOf(reach, set, [f.ports.from]), assumptions: definite ? [] : gap.assumptions, origin: { path: f.origin, text: flowText(f) },
        });
      }
    }
  }

  // PF2: nothing else reaches what the spec describes.
  const universe = s.engine.universe();
  for (const cls of s.model.classes) {
    // Pods are members of the endpoint they run on (`cluster/nodes`): its flows declare who reaches them.
    // Only a load balancer reaches pods beyond what reaches their node (it connects to its targets, not
    // to the node); anyone else meets the same groups and ACLs, and policies and ports that only narrow.
    const host = cls.runsOn === undefined ? undefined : s.engine.classByKey(cls.runsOn);
    const refs = [...cls.refs, ...(host?.refs ?? [])].filter((r) => plan.endpoints[r]?.hasSecurityGroup);
    if (refs.length === 0) continue;
    const flows = refs.flatMap((r) => byDestination.get(r) ?? []);
    for (const source of host ? universe.filter((u) => u.kind === 'class' && u.cls.loadBalancer) : universe) {
      if (source.kind === 'class' && source.cls === cls && cls.count <= 1) continue;
      const reach = s.engine.reach(source, { kind: 'class', cls });
      if (reach.allowed.maybe.isEmpty()) continue;
      const declaredFor = (from: Source) => {
        let declared = implied(from, cls);
        for (const f of flows) declared = declared.union(sourceCoverage(f.from, from, s).intersect(portsSet(f.ports)));
        return declared;
      };
      const beyond = excess(reach, declaredFor);
      const extra = beyond.sure;
      const possible = beyond.maybe;
      if (possible.isEmpty()) continue;
      const definite = !extra.isEmpty();
      const set = definite ? extra : possible;
      out.push({
        ruleId: PF2.id, ruleName: PF2.name, level: PF2.level, status: definite ? 'violation' : 'unknown',
        message: `${sourceName(source)} ${definite ? 'reaches' : 'may reach'} ${cls.name} on ${set.servicesString()}, which no flow of the spec declares${flows.length ? ` (declared: ${[...new Set(flows.map((f) => `${f.from}:${formatPorts(f.ports)}`))].join(', ')})` : ' (the spec declares no flow to it)'}.`,
        resource: cls.resources[0], witness: witnessOf(reach, set), assumptions: definite ? [] : reach.assumptions,
      });
    }
  }
  return out;
}

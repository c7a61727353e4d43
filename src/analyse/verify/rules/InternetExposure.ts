import { parseCidr, contains } from '../../../plan/cidr.js';
import type { Plan } from '../../../plan/types.js';
import { witnessOf } from '../findings.js';
import type { EniClass } from '../../model/types.js';
import { findingOf, INTERNET_SOURCE, type VerifyRule } from './rule.js';

/** Kinds other rules own: load balancers (PV5), data stores (PV4), the EKS API (PV9). */
const OWNED_ELSEWHERE = new Set(['load-balancer', 'database', 'file-system', 'eks-control-plane']);

/** Endpoint references the spec lets the internet (or a public address range) reach. */
export function declaredPublic(plan: Plan): Set<string> {
  const vpc = parseCidr(plan.network.cidr);
  const out = new Set<string>();
  for (const f of plan.flows) {
    const from = plan.endpoints[f.from];
    if (!from) continue;
    const outside = from.kind === 'internet' || (from.kind === 'cidr' && from.cidrs.some((c) => {
      const cidr = parseCidr(c);
      return cidr && vpc && !contains(vpc, cidr);
    }));
    if (outside) out.add(f.to);
  }
  return out;
}

function isDeclared(cls: EniClass, publicRefs: Set<string> | undefined): boolean {
  if (publicRefs && cls.refs.length > 0) return cls.refs.some((r) => publicRefs.has(r));
  return cls.explicitPublicIp;
}

/** PV2: nothing but internet-facing load balancers and declared public hosts is reachable from the internet. */
export const InternetExposure: VerifyRule = {
  id: 'PV2',
  name: 'InternetExposure',
  level: 'error',
  cause: 'A host, pod or other interface that is not an internet-facing load balancer and not declared public can be reached from the internet. Declared public means: the spec allows it from the internet or an address outside the VPC; without a spec, an intents file (--intents) lets the internet or an outside address reach it, or the template gives it a public address explicitly (an Elastic IP or AssociatePublicIpAddress).',
  why: 'Anything reachable from the internet is attacked from the internet. A host that only got a public address because its subnet assigns one, and whose security group is open, is the classic accidental exposure.',
  check({ model, engine, plan, declaredPublic: byIntents }) {
    const publicRefs = plan ? declaredPublic(plan) : undefined;
    const out = [];
    for (const cls of model.classes) {
      if (OWNED_ELSEWHERE.has(cls.kind) || isDeclared(cls, publicRefs) || byIntents?.has(cls.key)) continue;
      // Decided on the answer alone; the paths are built only for a finding's witness.
      const destination = { kind: 'class' as const, cls };
      const answer = engine.answer(INTERNET_SOURCE, destination);
      const set = answer.allowed.sure.isEmpty() ? answer.allowed.maybe : answer.allowed.sure;
      if (set.isEmpty()) continue;
      const sure = !answer.allowed.sure.isEmpty();
      out.push(findingOf(this, {
        status: sure ? 'violation' : 'unknown',
        message: `${cls.name} is ${sure ? '' : 'possibly '}reachable from the internet (${set.servicesString()}), but it is not an internet-facing load balancer and ${plan ? 'the spec does not allow the internet to reach it' : 'the template gives it no explicit public address'}.`,
        resource: cls.resources[0],
        witness: witnessOf(engine.reach(INTERNET_SOURCE, destination), set),
        assumptions: sure ? [] : answer.assumptions,
      }));
    }
    return out;
  },
};

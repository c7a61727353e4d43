import { witnessOf } from '../findings.js';
import { findingOf, INTERNET_SOURCE, type VerifyRule } from './rule.js';

/** PV5: an internal load balancer is never reachable from the internet. */
export const InternalLoadBalancerPrivate: VerifyRule = {
  id: 'PV5',
  name: 'InternalLoadBalancerPrivate',
  level: 'error',
  cause: 'A load balancer the spec declares internal is internet-facing in the template, or an internal load balancer can be reached from the internet (for example through an internet-facing load balancer in front of it).',
  why: 'Internal load balancers front tools meant for the team only (dashboards, admin UIs); making one internet-facing publishes them, usually without the authentication the internet requires.',
  check({ model, engine, plan }) {
    const out = [];
    for (const cls of model.classes) {
      const lb = cls.loadBalancer;
      if (!lb) continue;
      // Declared internal: a load balancer of the spec, or the ALB of the apps exposed with `ingress: internal`.
      const declaredInternal = plan !== undefined && (plan.loadBalancers.some((l) => l.scheme === 'internal' && cls.refs.includes(l.ref))
        || (plan.workloads?.ingressGroups ?? []).some((g) => g.scheme === 'internal' && cls.refs.includes(g.ref)));
      const reach = engine.reach(INTERNET_SOURCE, { kind: 'class', cls });
      if (declaredInternal && lb.scheme === 'internet-facing') {
        const set = reach.allowed.maybe;
        out.push(findingOf(this, {
          status: 'violation',
          message: `${cls.name} is declared internal in the spec but is internet-facing in the template${set.isEmpty() ? '' : `, and the internet reaches it on ${set.servicesString()}`}.`,
          resource: cls.resources[0], witness: set.isEmpty() ? undefined : witnessOf(reach, set), assumptions: [],
        }));
        continue;
      }
      if (lb.scheme !== 'internal' || reach.allowed.maybe.isEmpty()) continue;
      const sure = !reach.allowed.sure.isEmpty();
      const set = sure ? reach.allowed.sure : reach.allowed.maybe;
      out.push(findingOf(this, {
        status: sure ? 'violation' : 'unknown',
        message: `The internal load balancer ${cls.name} is ${sure ? '' : 'possibly '}reachable from the internet on ${set.servicesString()}.`,
        resource: cls.resources[0], witness: witnessOf(reach, set), assumptions: sure ? [] : reach.assumptions,
      }));
    }
    return out;
  },
};

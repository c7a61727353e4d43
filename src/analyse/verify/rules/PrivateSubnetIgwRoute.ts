import { effectiveRoutes, routeText } from '../../model/engine/evaluate.js';
import { INTERNET } from '../../model/packets.js';
import { findingOf, type VerifyRule } from './rule.js';

/** PV1: a subnet meant to be private or isolated must not route to an internet gateway. */
export const PrivateSubnetIgwRoute: VerifyRule = {
  id: 'PV1',
  name: 'PrivateSubnetIgwRoute',
  level: 'error',
  cause: 'A subnet declared private or isolated (by the spec, an aws-cdk:subnet-type or kubernetes.io/role/internal-elb tag, or its name) has a route sending internet addresses to an internet gateway.',
  why: 'A private subnet that routes to the internet gateway is a public subnet in all but name: any interface in it that gets a public address is reachable from the internet, and its egress bypasses the NAT gateway.',
  check({ model }) {
    const out = [];
    for (const subnet of model.subnets.values()) {
      const declared = subnet.declaredTier;
      if (!declared || declared.tier === 'public') continue;
      for (const e of effectiveRoutes(subnet.routeTable)) {
        if (e.route.target.kind !== 'igw' || !e.peers.overlaps(INTERNET)) continue;
        const text = routeText(subnet.routeTable, e.route);
        out.push(findingOf(this, {
          status: 'violation',
          message: `Subnet ${subnet.name} (${subnet.cidr}) is ${declared.tier} according to ${declared.source}, but its ${text} sends internet traffic straight to the internet gateway.`,
          resource: e.route.resource ?? subnet.routeTable.resource,
          assumptions: [],
          witness: {
            from: `subnet ${subnet.name}`, to: 'internet', packets: `all traffic to ${e.route.destinationText}`, packet: `any packet to ${e.route.destinationText}`,
            path: `${subnet.name} → ${e.route.target.name}`,
            hops: [
              { step: 'subnet', verdict: { allows: true, text: `subnet ${subnet.name} (${subnet.cidr}) uses route table ${subnet.routeTable.name}${subnet.routeTable.explicit ? '' : ' (the main table)'}`, resource: subnet.resource } },
              { step: 'route', verdict: { allows: true, text, resource: e.route.resource } },
            ],
          },
        }));
      }
    }
    return out;
  },
};

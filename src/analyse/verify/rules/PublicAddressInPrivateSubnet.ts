import { findingOf, type VerifyRule } from './rule.js';

/** PV10: an explicit public address belongs in a public subnet. */
export const PublicAddressInPrivateSubnet: VerifyRule = {
  id: 'PV10',
  name: 'PublicAddressInPrivateSubnet',
  level: 'error',
  cause: 'An interface in a subnet declared private or isolated is given a public address explicitly: an Elastic IP, AssociatePublicIpAddress: true, or PubliclyAccessible: true.',
  why: 'A public address in a private subnet either does nothing (no route to the internet gateway) or means the subnet is not as private as declared; either way the template says two opposite things, and the next route change decides which one wins.',
  check({ model }) {
    const out = [];
    for (const cls of model.classes) {
      if (!cls.explicitPublicIp || cls.kind === 'load-balancer') continue;
      for (const p of cls.placements) {
        const tier = p.subnet.declaredTier;
        if (p.publicIp !== 'yes' || !tier || tier.tier === 'public') continue;
        out.push(findingOf(this, {
          status: 'violation',
          message: `${cls.name} gets a public address (${p.publicIpBy}) in subnet ${p.subnet.name}, which is ${tier.tier} according to ${tier.source}.`,
          resource: cls.resources[0], assumptions: [],
        }));
        break;
      }
    }
    return out;
  },
};

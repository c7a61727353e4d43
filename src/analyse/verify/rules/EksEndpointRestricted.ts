import { formatPeers, INTERNET } from '../../model/packets.js';
import { addressCount, ADMIN_SOURCE_LIMIT, findingOf, type VerifyRule } from './rule.js';

/** PV9: a public EKS API endpoint is limited to known addresses. */
export const EksEndpointRestricted: VerifyRule = {
  id: 'PV9',
  name: 'EksEndpointRestricted',
  level: 'warning',
  cause: `An EKS cluster's public API endpoint is enabled for more than ${ADMIN_SOURCE_LIMIT} internet addresses (PublicAccessCidrs wider than a /24, or left at its default 0.0.0.0/0).`,
  why: 'The Kubernetes API is the cluster\'s control panel; leaving it open to the internet relies on authentication alone. Restrict PublicAccessCidrs to your offices and CI, or use the private endpoint through a VPN.',
  check({ model }) {
    const out = [];
    for (const cls of model.classes) {
      if (!cls.publicEndpoint) continue;
      const open = cls.publicEndpoint.intersect(INTERNET);
      const count = addressCount(open.peerRanges());
      if (count <= ADMIN_SOURCE_LIMIT) continue;
      out.push(findingOf(this, {
        status: 'violation',
        message: `The public API endpoint of ${cls.name} accepts tcp/443 from ${count.toLocaleString('en-US')} internet addresses (${formatPeers(open.peerRanges(), 2)}).`,
        resource: cls.resources[0], assumptions: [],
      }));
    }
    return out;
  },
};

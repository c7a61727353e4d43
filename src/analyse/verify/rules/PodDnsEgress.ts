import { dnsAllowed } from '../../model/engine/network-policy.js';
import { findingOf, type VerifyRule } from './rule.js';

/** PV8: pods isolated for egress can still resolve names. */
export const PodDnsEgress: VerifyRule = {
  id: 'PV8',
  name: 'PodDnsEgress',
  level: 'warning',
  cause: 'A NetworkPolicy isolates pods for egress and no egress rule allows udp/53 to kube-dns (pods labelled k8s-app: kube-dns in kube-system) or to an address block.',
  why: 'Once a policy selects pods for egress, everything not allowed is dropped, including DNS: the pods can no longer resolve service names, and every connection fails with a name error.',
  check({ model }) {
    if (!model.k8s) return [];
    const out = [];
    const seen = new Set<string>();
    for (const cls of model.classes) {
      if (!cls.workload || seen.has(`${cls.workload.namespace}/${cls.workload.name}`)) continue;
      seen.add(`${cls.workload.namespace}/${cls.workload.name}`);
      if (dnsAllowed(model.k8s, cls) !== false) continue;
      out.push(findingOf(this, {
        status: 'violation',
        message: `Pods of ${cls.workload.namespace}/${cls.workload.name} (${cls.name}) are isolated for egress and no NetworkPolicy lets them reach kube-dns on udp/53.`,
        resource: cls.resources[0], assumptions: [],
      }));
    }
    return out;
  },
};

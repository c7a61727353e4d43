import type { Finding } from '../findings.js';
import { effectiveRoutes, lookup, routeText } from '../../model/engine/evaluate.js';
import { INTERNET, ipToNumber } from '../../model/packets.js';
import { findingOf, type VerifyRule } from './rule.js';

const PROBE = ipToNumber('198.51.100.7')!;

/** PV6: internet-bound traffic of private subnets leaves through a working NAT gateway, which carries only connections started inside. */
export const NatEgressOnly: VerifyRule = {
  id: 'PV6',
  name: 'NatEgressOnly',
  level: 'error',
  cause: 'A route sends internet addresses to a NAT that cannot be shown to carry only connections started inside the VPC: an instance or network interface acting as NAT (it can forward inbound connections), a private NAT gateway, or a NAT gateway whose own subnet does not route to an internet gateway.',
  why: 'A NAT gateway only translates connections its private side opens, which is what makes private subnets private. A NAT instance can be configured to forward inbound ports, and a NAT gateway without a route to the internet silently breaks all egress.',
  check({ model }) {
    const out: Finding[] = [];
    for (const table of model.routeTables.values()) {
      for (const e of effectiveRoutes(table)) {
        if (!e.peers.overlaps(INTERNET)) continue;
        const t = e.route.target;
        const text = routeText(table, e.route);
        if (t.kind === 'instance' || t.kind === 'eni') {
          const router = t.key ? model.routers.get(t.key) : undefined;
          out.push(findingOf(this, {
            status: 'unknown',
            message: `${text}: internet-bound traffic goes through ${router ? `${router.name}, an instance forwarding traffic (SourceDestCheck: false)` : `the instance or interface ${t.name}`}; verify cannot prove it carries only connections started inside the VPC.`,
            resource: e.route.resource ?? table.resource, assumptions: [],
          }));
          continue;
        }
        if (t.kind !== 'nat') continue;
        const nat = t.key ? model.natGateways.get(t.key) : undefined;
        if (!nat) continue;
        if (!nat.isPublic) {
          out.push(findingOf(this, {
            status: 'violation', message: `${text}: ${nat.name} is a private NAT gateway and cannot carry traffic to the internet.`,
            resource: e.route.resource ?? table.resource, assumptions: [],
          }));
          continue;
        }
        if (!nat.subnet) continue;
        const natRoute = lookup(nat.subnet.routeTable, PROBE);
        if (natRoute?.target.kind !== 'igw') {
          out.push(findingOf(this, {
            status: 'violation',
            message: `${text}, but ${nat.name} sits in subnet ${nat.subnet.name}, whose ${natRoute ? routeText(nat.subnet.routeTable, natRoute) : `route table ${nat.subnet.routeTable.name} has no internet route`}: the NAT gateway cannot reach the internet.`,
            resource: nat.resource, assumptions: [],
          }));
        }
      }
    }
    return out;
  },
};

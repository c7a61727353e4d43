/**
 * Existing security groups the spec trusts (network.trustedGroups): a corporate VPN's or a shared
 * bastion's group, referenced as `sg/NAME`. A flow from one becomes an ingress rule naming the group's
 * id, so its members get in wherever they are; plinth creates no group for it and cannot see who is in
 * it. A group can be referenced from its own VPC or a peered VPC of the same Region (Amazon VPC Peering
 * Guide, "Update your security groups to reference peer security groups").
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import type { FlowBuilder } from './flows.js';
import type { NetworkPlan } from './types.js';

export function addTrustedGroups(spec: PlatformSpec, network: NetworkPlan, flows: FlowBuilder, diags: Diagnostics): void {
  const byId = new Map<string, string>();
  for (const [name, group] of Object.entries(spec.network.trustedGroups ?? {})) {
    const path = ['network', 'trustedGroups', name];
    const first = byId.get(group.id);
    if (first) {
      diags.error('E_TRUSTED_GROUP_TWICE', [...path, 'id'], `${group.id} is already trusted as sg/${first}; two names for one group would let one be narrowed while the other still admits it.`, {
        fix: `reference sg/${first} instead, and remove network.trustedGroups.${name}`,
      });
      continue;
    }
    byId.set(group.id, name);
    flows.addTrustedGroup(`sg/${name}`, {
      groupId: group.id,
      memberCidrs: group.cidrs ?? [network.cidr],
      cidrsStated: group.cidrs !== undefined,
      description: group.description ?? group.id,
    });
  }
}

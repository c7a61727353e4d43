/**
 * A network the templates do not hold but the spec states: an existing VPC (network.vpcId) and its
 * subnets, with their ids, CIDRs and AZs. Resources in the templates name those subnets by literal id;
 * the model places them there. What the spec does not state (the route tables' routes, the network
 * ACLs, the NAT) is filled in from each tier's type and recorded as an assumption, so every answer
 * that rests on it says so.
 */
import type { Plan } from '../../plan/types.js';
import type { Tier } from './types.js';

export interface StatedSubnet {
  readonly id: string;
  readonly cidr: string;
  readonly az: string;
  readonly tier: Tier;
  readonly tierName: string;
  readonly routeTableId: string | undefined;
}

export interface StatedNetwork {
  readonly vpcId: string;
  readonly cidr: string;
  readonly subnets: readonly StatedSubnet[];
}

/** The existing network a plan builds into; undefined when plinth creates the VPC. */
export function statedNetworkOf(plan: Plan | undefined): StatedNetwork | undefined {
  const vpcId = plan?.network.existingVpcId;
  if (!plan || !vpcId) return undefined;
  return {
    vpcId,
    cidr: plan.network.cidr,
    subnets: plan.network.tiers.flatMap((t) => t.subnets.flatMap((s) => (s.existing
      ? [{ id: s.existing.subnetId, cidr: s.cidr, az: s.az, tier: t.type, tierName: t.name, routeTableId: s.existing.routeTableId }]
      : []))),
  };
}

/** The model key of a stated VPC or subnet id, which templates name literally. */
export function statedKey(id: string): string {
  return `stated:${id}`;
}

/** What verify assumes about a stated subnet's routing, by tier type. */
export function assumedRouting(s: StatedSubnet, vpcId: string): string {
  const table = s.routeTableId ? `route table ${s.routeTableId}` : 'route table (not stated)';
  switch (s.tier) {
    case 'public': return `Existing subnet ${s.id} (tier ${s.tierName}, public): its ${table} is assumed to send 0.0.0.0/0 to an internet gateway attached to ${vpcId}; verify cannot see it.`;
    case 'private': return `Existing subnet ${s.id} (tier ${s.tierName}, private): its ${table} is assumed to send 0.0.0.0/0 to a NAT gateway of ${vpcId} that reaches the internet; verify cannot see it.`;
    default: return `Existing subnet ${s.id} (tier ${s.tierName}, isolated): its ${table} is assumed to have no route beyond the VPC; verify cannot see it.`;
  }
}

export const ASSUMED_NACL = (vpcId: string) => `The network ACLs of the existing VPC ${vpcId} are assumed to allow all traffic (as a default ACL does); verify cannot see them.`;

/** An existing security group the spec trusts (`sg/NAME`): rules name its id; where its members are is stated. */
export interface TrustedGroup {
  readonly ref: string;
  readonly groupId: string;
  readonly cidrs: readonly string[];
  /** Whether the spec stated where its members are, or they default to anywhere in the VPC. */
  readonly cidrsStated: boolean;
  readonly description: string;
}

/** The existing security groups a plan trusts. */
export function trustedGroupsOf(plan: Plan | undefined): TrustedGroup[] {
  return Object.values(plan?.endpoints ?? {}).flatMap((e) => (e.trustedGroup
    ? [{ ref: e.ref, groupId: e.trustedGroup.groupId, cidrs: e.trustedGroup.memberCidrs, cidrsStated: e.trustedGroup.cidrsStated, description: e.trustedGroup.description }]
    : []));
}

/** What verify assumes about a trusted group it cannot see. */
export function assumedMembers(g: TrustedGroup): string {
  const where = g.cidrsStated ? `at ${g.cidrs.join(', ')} (network.trustedGroups)` : `anywhere in the VPC ${g.cidrs.join(', ')} (network.trustedGroups states no cidrs)`;
  return `The existing security group ${g.groupId} (${g.ref}: ${g.description}) is not in the templates: its members are assumed to be ${where}, `
    + 'and its outbound rules to allow all traffic (a new group\'s default); verify cannot see either.';
}

/** The model key of the class of a trusted group's members; diagram and reports recognise it by this. */
export function trustedMembersKey(groupId: string): string {
  return `trusted:${groupId}`;
}

/** The group id of a trusted group's members' class key; undefined for any other class. */
export function trustedGroupIdOf(classKey: string): string | undefined {
  return classKey.startsWith('trusted:') ? classKey.slice('trusted:'.length) : undefined;
}

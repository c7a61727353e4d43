/**
 * The network model's reader of an existing VPC the spec states (network.vpcId): the VPC and its
 * subnets, keyed by the ids the templates name literally. What the spec does not state (routes,
 * network ACLs, the NAT) is filled in from each tier's type, as an assumption every answer carries.
 */
import { cidrRange, PacketSet } from '../packets.js';
import { ASSUMED_NACL, assumedMembers, assumedRouting, statedKey, trustedMembersKey } from '../stated-network.js';
import type { RouteTable } from '../types.js';
import { ALL_PORTS, ALL_PROTOCOLS, type ModelBuilder } from './builder.js';
import { addVpc } from './network.js';

/**
 * The existing VPC, with an internet gateway and a NAT gateway assumed when its tiers say the
 * subnets have them (public: a route to an internet gateway; private: egress through NAT). Runs
 * before readVpcs, which computes every VPC's addresses.
 */
export function readStatedVpc(b: ModelBuilder): void {
  const stated = b.options.stated;
  if (!stated) return;
  const range = cidrRange(stated.cidr);
  const vpc = addVpc(b, statedKey(stated.vpcId), `${stated.vpcId} (existing)`, range ? [range] : [], undefined);
  const tiers = new Set(stated.subnets.map((s) => s.tier));
  if (tiers.has('public') || tiers.has('private')) {
    vpc.igw = { key: `${vpc.key}#igw`, kind: 'igw', name: `the internet gateway of ${stated.vpcId}`, resource: undefined, remote: PacketSet.EMPTY, dynamic: false };
    b.gateways.set(vpc.igw.key, vpc.igw);
  }
  if (tiers.has('private')) {
    b.natGateways.set(`${vpc.key}#nat`, { key: `${vpc.key}#nat`, name: `the NAT of ${stated.vpcId}`, subnet: undefined, vpcKey: vpc.key, isPublic: true, resource: undefined });
  }
}

/** The stated subnets, each with the default route its tier type implies, recorded as an assumption. */
export function readStatedSubnets(b: ModelBuilder): void {
  const stated = b.options.stated;
  const vpc = stated && b.vpcs.get(statedKey(stated.vpcId));
  if (!stated || !vpc) return;
  const nacl = b.assume(ASSUMED_NACL(stated.vpcId));
  for (const entry of vpc.defaultNacl.entries) (entry as { assumption: string | undefined }).assumption = nacl;
  for (const s of stated.subnets) {
    const range = cidrRange(s.cidr);
    if (!range) continue;
    const key = statedKey(s.id);
    const assumption = b.assume(assumedRouting(s, stated.vpcId));
    const table: RouteTable = {
      key: `${key}#rtb`, name: `${s.routeTableId ?? 'route table'} of ${s.id}`, vpcKey: vpc.key, routes: [], explicit: true, resource: undefined, propagatesFrom: [],
    };
    const target = s.tier === 'public' ? vpc.igw && { kind: 'igw' as const, key: vpc.igw.key, name: vpc.igw.name }
      : s.tier === 'private' ? { kind: 'nat' as const, key: `${vpc.key}#nat`, name: `the NAT of ${stated.vpcId}` } : undefined;
    if (target) table.routes.push({ destination: [0, 0xffffffff], destinationText: '0.0.0.0/0 (assumed)', propagated: false, resource: undefined, assumption, target });
    b.routeTables.set(table.key, table);
    b.subnets.set(key, {
      key, name: `${s.id} (${s.tierName}, existing)`, vpc, range, cidr: s.cidr, addresses: PacketSet.peers(...range), az: s.az,
      mapPublicIp: false, routeTable: table, nacl: vpc.defaultNacl, tags: {}, resource: undefined,
      declaredTier: { tier: s.tier, source: `the spec (existing subnet of tier ${s.tierName})` },
    });
  }
}

/**
 * The existing security groups the spec trusts (`sg/NAME`): each one a group the templates' rules name
 * by id, and a class of its members placed in the subnets that hold the addresses the spec states
 * (the whole VPC by default). Runs before readSecurityGroups, so those rules resolve to this group
 * instead of an opaque one. Both what the members are and what the group lets out are assumptions.
 */
export function readTrustedGroups(b: ModelBuilder): void {
  for (const g of b.options.trusted ?? []) {
    const assumption = b.assume(assumedMembers(g));
    const key = `imported:${g.groupId}`;
    b.groups.set(key, {
      key, name: `${g.groupId} (${g.ref}, existing)`, refs: [g.ref], resource: undefined, opaque: undefined,
      synthetic: `an existing group the spec trusts: ${g.description}`,
      rules: [{
        direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: ALL_PROTOCOLS, ports: ALL_PORTS,
        description: 'assumed: all outbound traffic (the group is not in the templates)', resource: undefined, index: 0, assumption,
      }],
    });
    const ranges = g.cidrs.map(cidrRange).filter((r) => r !== undefined);
    const members = ranges.reduce((set, r) => set.union(PacketSet.peers(...r)), PacketSet.EMPTY);
    const subnets = [...b.subnets.values()].filter((s) => s.addresses.overlaps(members));
    const resource = { stack: 'existing', logicalId: g.groupId, type: 'AWS::EC2::SecurityGroup', file: 'network.trustedGroups' };
    const member = {
      kind: 'network-interface' as const, resource, key: trustedMembersKey(g.groupId), groups: [key], refs: [g.ref],
      accepts: PacketSet.EMPTY, acceptsText: 'nothing plinth manages (members of an existing group)', groupingKey: trustedMembersKey(g.groupId),
    };
    if (subnets.length === 0) {
      b.unplaced(member, b.assume(`The members of ${g.groupId} (${g.ref}) are at ${g.cidrs.join(', ')}, in no subnet verify knows; what they reach is unknown.`));
      continue;
    }
    b.members.push({ ...member, assumptions: [assumption], placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })) });
  }
}

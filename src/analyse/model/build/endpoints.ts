/** The network model's reader of VPC interface endpoints and Client VPN endpoints. */
import type { StackResource } from '../resolve.js';
import { PacketSet } from '../packets.js';
import type { ClientVpnEndpoint, Gateway } from '../types.js';
import { bool, list, str, tokenKey } from '../values.js';
import { ModelBuilder, TCP } from './builder.js';

export function readVpcEndpoints(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::VPCEndpoint')) {
    if ((str(b.prop(r, 'VpcEndpointType')) ?? 'Gateway') !== 'Interface') continue;
    const subnets = list(b.prop(r, 'SubnetIds')).map((s) => b.subnetOf(r, s, 'The interface endpoint')).filter((s) => s !== undefined);
    if (subnets.length === 0) continue;
    const groupsValue = b.prop(r, 'SecurityGroupIds');
    b.members.push({
      kind: 'interface-endpoint', resource: r.ref, key: r.key,
      groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : b.groupsOf(r, groupsValue),
      accepts: PacketSet.box({ protocol: TCP, port: [443, 443] }), acceptsText: 'tcp/443 (AWS service APIs)',
      placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })),
    });
  }
}

export function readClientVpns(b: ModelBuilder): void {
  const associations = b.resources('AWS::EC2::ClientVpnTargetNetworkAssociation');
  const rules = b.resources('AWS::EC2::ClientVpnAuthorizationRule');
  const routes = b.resources('AWS::EC2::ClientVpnRoute');
  for (const r of b.resources('AWS::EC2::ClientVpnEndpoint')) {
    const mine = (x: StackResource) => tokenKey(b.prop(x, 'ClientVpnEndpointId')) === r.key;
    const subnets = associations.filter(mine).map((a) => b.subnetOf(a, b.prop(a, 'SubnetId'), 'The Client VPN association')).filter((s) => s !== undefined);
    const pool = b.cidr(r, b.prop(r, 'ClientCidrBlock'), 'The client address pool');
    if (subnets.length === 0 || !('range' in pool)) {
      b.assume('The Client VPN endpoint has no associated subnet in the templates; VPN clients reach nothing in the model.', r);
      continue;
    }
    const groupsValue = b.prop(r, 'SecurityGroupIds');
    const assumptions: string[] = [];
    const clientVpn: ClientVpnEndpoint = {
      clientRange: pool.range, clientCidr: pool.text,
      authorizations: rules.filter(mine).map((a) => {
        const c = b.cidr(a, b.prop(a, 'TargetNetworkCidr'), 'The authorization rule network');
        const allGroups = bool(b.prop(a, 'AuthorizeAllGroups')) === true;
        if (!allGroups) assumptions.push(b.assume('The authorization rule applies to one directory group; verify treats it as applying to some clients.', a));
        return { range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)', allGroups, resource: a.ref };
      }),
      routes: routes.filter(mine).map((x) => {
        const c = b.cidr(x, b.prop(x, 'DestinationCidrBlock'), 'The Client VPN route');
        return { range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)' };
      }),
    };
    b.members.push({
      kind: 'client-vpn', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : b.groupsOf(r, groupsValue),
      accepts: PacketSet.EMPTY, acceptsText: 'nothing (clients connect out through it)', clientVpn, assumptions,
      placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })), groupingKey: r.key,
    });
  }
}

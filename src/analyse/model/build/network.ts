/** The network model's reader of VPCs, gateways, subnets, route tables, routes, network ACLs, NAT gateways and Elastic IPs. */
import type { ResourceRef } from '../assumptions.js';
import { Unknown, type StackResource } from '../resolve.js';
import { cidrRange, PacketSet, type Range } from '../packets.js';
import type { Gateway, NatGateway, Route, RouteTable, RouteTargetKind, SgPeer, Subnet, Vpc } from '../types.js';
import { bool, list, num, obj, portRange, protocolRange, reasonOf, str, tags, tokenKey } from '../values.js';
import { ModelBuilder, ALL_PORTS, ALL_PROTOCOLS, declaredTierOf, formatRangeCidr } from './builder.js';

export function readVpcs(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::VPC')) {
    const c = b.cidr(r, b.prop(r, 'CidrBlock'), 'Its CIDR block');
    addVpc(b, r.key, b.nameOf(r), 'range' in c ? [c.range] : [], r.ref);
  }
  for (const r of b.resources('AWS::EC2::VPCCidrBlock')) {
    const vpc = b.vpcOf(r, b.prop(r, 'VpcId'), 'The secondary CIDR block');
    const c = b.cidr(r, b.prop(r, 'CidrBlock'), 'The secondary CIDR block');
    if (vpc && 'range' in c) vpc.ranges.push(c.range);
  }
  for (const vpc of b.vpcs.values()) {
    vpc.addresses = vpc.ranges.reduce((s, [lo, hi]) => s.union(PacketSet.peers(lo, hi)), PacketSet.EMPTY);
  }
}

/** A VPC with its main route table, default network ACL and default security group, as AWS creates them. */
export function addVpc(b: ModelBuilder, key: string, name: string, ranges: Range[], resource: ResourceRef | undefined): Vpc {
  const vpc: Vpc = {
    key, name, ranges, addresses: PacketSet.EMPTY, igw: undefined, vgw: undefined, resource,
    mainRouteTable: { key: `${key}#main-rtb`, name: `main route table of ${name}`, vpcKey: key, routes: [], explicit: false, resource: undefined, propagatesFrom: [] },
    defaultNacl: {
      key: `${key}#default-nacl`, name: `default network ACL of ${name}`, isDefault: true, resource: undefined,
      entries: [true, false].map((egress) => ({
        ruleNumber: 100, allow: true, egress, protocol: ALL_PROTOCOLS, ports: ALL_PORTS, range: [0, 0xffffffff] as Range,
        cidr: '0.0.0.0/0', resource: undefined, assumption: undefined,
      })),
    },
    defaultGroup: `${key}#default-sg`,
  };
  b.vpcs.set(key, vpc);
  b.routeTables.set(vpc.mainRouteTable.key, vpc.mainRouteTable);
  b.nacls.set(vpc.defaultNacl.key, vpc.defaultNacl);
  const self: SgPeer = { kind: 'group', key: vpc.defaultGroup };
  b.groups.set(vpc.defaultGroup, {
    key: vpc.defaultGroup, name: `default security group of ${vpc.name}`, refs: [], resource: undefined,
    synthetic: 'the VPC default group: all traffic from itself, all egress', opaque: undefined,
    rules: [
      { direction: 'in', peer: self, protocol: ALL_PROTOCOLS, ports: ALL_PORTS, description: 'default: members of the default group', resource: undefined, index: 0, assumption: undefined },
      { direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: ALL_PROTOCOLS, ports: ALL_PORTS, description: 'default: all egress', resource: undefined, index: 1, assumption: undefined },
    ],
  });
  return vpc;
}

export function readGateways(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::InternetGateway')) {
    b.gateways.set(r.key, { key: r.key, kind: 'igw', name: b.nameOf(r), resource: r.ref, remote: PacketSet.EMPTY, dynamic: false });
  }
  for (const r of b.resources('AWS::EC2::VPNGateway')) {
    b.gateways.set(r.key, { key: r.key, kind: 'vgw', name: b.nameOf(r), resource: r.ref, remote: PacketSet.EMPTY, dynamic: false });
  }
  for (const r of b.resources('AWS::EC2::VPCGatewayAttachment')) {
    const vpc = b.vpcOf(r, b.prop(r, 'VpcId'), 'The gateway attachment');
    if (!vpc) continue;
    for (const [prop, kind] of [['InternetGatewayId', 'igw'], ['VpnGatewayId', 'vgw']] as const) {
      const v = b.prop(r, prop);
      if (v === undefined) continue;
      const key = tokenKey(v) ?? `external:${str(v) ?? reasonOf(v)}`;
      let gw = b.gateways.get(key);
      if (!gw) {
        b.assume(`The ${kind === 'igw' ? 'internet' : 'VPN'} gateway ${str(v) ?? reasonOf(v)} is not in the templates; verify assumes it is attached and working.`, r);
        gw = { key, kind, name: str(v) ?? key, resource: undefined, remote: PacketSet.EMPTY, dynamic: kind === 'vgw' };
        b.gateways.set(key, gw);
      }
      if (kind === 'igw') vpc.igw = gw;
      else vpc.vgw = gw;
    }
  }
  const connections = new Map<string, Gateway>();
  for (const r of b.resources('AWS::EC2::VPNConnection')) {
    const gw = b.gateways.get(tokenKey(b.prop(r, 'VpnGatewayId')) ?? '');
    if (!gw) {
      if (b.prop(r, 'TransitGatewayId') !== undefined) b.assume('This VPN connection ends on a transit gateway, whose route tables verify cannot see.', r);
      continue;
    }
    connections.set(r.key, gw);
    if (bool(b.prop(r, 'StaticRoutesOnly')) !== true) {
      gw.dynamic = true;
      b.assume(`The VPN connection uses BGP, so ${gw.name} may learn networks the template does not list.`, r);
    }
  }
  for (const r of b.resources('AWS::EC2::VPNConnectionRoute')) {
    const gw = connections.get(tokenKey(b.prop(r, 'VpnConnectionId')) ?? '');
    const c = b.cidr(r, b.prop(r, 'DestinationCidrBlock'), 'The VPN route destination');
    if (gw && 'range' in c) gw.remote = gw.remote.union(PacketSet.peers(...c.range));
  }
}

export function readSubnets(b: ModelBuilder): void {
  const declared = (b.options.declaredTiers ?? []).map((d) => ({ ...d, range: cidrRange(d.cidr) }));
  for (const r of b.resources('AWS::EC2::Subnet')) {
    const vpc = b.vpcOf(r, b.prop(r, 'VpcId'), 'The subnet');
    const c = b.cidr(r, b.prop(r, 'CidrBlock'), 'The subnet CIDR block');
    if (!vpc || !('range' in c)) continue;
    const t = tags(b.prop(r, 'Tags'));
    const name = t.Name ?? r.logicalId;
    const az = b.prop(r, 'AvailabilityZone');
    if (az instanceof Unknown) b.assume(`Its availability zone is unknown (${az.reason}); the network model does not depend on it.`, r);
    const spec = declared.find((d) => d.range && d.range[0] === c.range[0] && d.range[1] === c.range[1]);
    b.subnets.set(r.key, {
      key: r.key, name, vpc, range: c.range, cidr: c.text, addresses: PacketSet.peers(...c.range),
      az: str(b.prop(r, 'AvailabilityZone')), mapPublicIp: bool(b.prop(r, 'MapPublicIpOnLaunch')) === true,
      routeTable: vpc.mainRouteTable, nacl: vpc.defaultNacl, tags: t, resource: r.ref,
      declaredTier: spec ? { tier: spec.tier, source: `the spec (tier ${spec.name})` } : declaredTierOf(t, name),
    });
  }
}

export function readRouting(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::RouteTable')) {
    const vpc = b.vpcOf(r, b.prop(r, 'VpcId'), 'The route table');
    if (!vpc) continue;
    b.routeTables.set(r.key, { key: r.key, name: b.nameOf(r), vpcKey: vpc.key, routes: [], explicit: true, resource: r.ref, propagatesFrom: [] });
  }
  for (const r of b.resources('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = b.subnets.get(tokenKey(b.prop(r, 'SubnetId')) ?? '');
    const table = b.routeTables.get(tokenKey(b.prop(r, 'RouteTableId')) ?? '');
    if (subnet && table) subnet.routeTable = table;
    else b.assume('This route table association names a subnet or route table outside the templates; it is ignored.', r);
  }
  for (const r of b.resources('AWS::EC2::Route')) {
    const table = b.routeTables.get(tokenKey(b.prop(r, 'RouteTableId')) ?? '');
    if (!table) {
      b.assume('This route belongs to a route table outside the templates; it is ignored.', r);
      continue;
    }
    const dest = b.prop(r, 'DestinationCidrBlock');
    const prefixList = b.prop(r, 'DestinationPrefixListId');
    if (dest === undefined && prefixList === undefined) {
      if (b.prop(r, 'DestinationIpv6CidrBlock') !== undefined) b.assume('IPv6 routes are not modelled; verify analyses IPv4 only.', r);
      continue;
    }
    let destination: Range | undefined;
    let destinationText: string;
    let assumption: string | undefined;
    if (dest !== undefined) {
      const c = b.cidr(r, dest, 'The route destination');
      if ('unknown' in c) continue;
      destination = c.range;
      destinationText = c.text;
    } else {
      destinationText = `prefix list ${str(prefixList) ?? reasonOf(prefixList)}`;
      assumption = b.assume(`The route to ${destinationText} covers addresses verify cannot list; it is shown but not used for matching.`, r);
    }
    table.routes.push({ destination, destinationText, target: routeTarget(b, r), propagated: false, resource: r.ref, assumption });
  }
  for (const r of b.resources('AWS::EC2::VPNGatewayRoutePropagation')) {
    const gw = tokenKey(b.prop(r, 'VpnGatewayId'));
    for (const t of list(b.prop(r, 'RouteTableIds'))) {
      const table = b.routeTables.get(tokenKey(t) ?? '');
      if (table && gw) table.propagatesFrom.push(gw);
    }
  }
  for (const table of b.routeTables.values()) {
    for (const gwKey of table.propagatesFrom) {
      const gw = b.gateways.get(gwKey);
      if (!gw) continue;
      for (const [lo, hi] of gw.remote.peerRanges()) {
        table.routes.push({
          destination: [lo, hi], destinationText: `${formatRangeCidr(lo, hi)} (propagated)`, propagated: true, resource: gw.resource, assumption: undefined,
          target: { kind: 'vgw', key: gw.key, name: gw.name },
        });
      }
      if (gw.dynamic) b.assume(`${table.name} learns routes from ${gw.name} by BGP; networks it may learn are not known before deployment.`, table.resource);
    }
  }
  for (const r of b.resources('AWS::EC2::VPCEndpoint')) {
    if ((str(b.prop(r, 'VpcEndpointType')) ?? 'Gateway') !== 'Gateway') continue;
    const service = str(b.prop(r, 'ServiceName')) ?? reasonOf(b.prop(r, 'ServiceName'));
    for (const t of list(b.prop(r, 'RouteTableIds'))) {
      const table = b.routeTables.get(tokenKey(t) ?? '');
      table?.routes.push({
        destination: undefined, destinationText: `prefix list of ${service.replace(/^com\.amazonaws\.[^.]*\./, '')}`, propagated: false,
        resource: r.ref, assumption: undefined, target: { kind: 'gateway-endpoint', key: r.key, name: r.logicalId },
      });
    }
  }
}

export function routeTarget(b: ModelBuilder, r: StackResource): Route['target'] {
  const props: [string, RouteTargetKind][] = [
    ['GatewayId', 'igw'], ['NatGatewayId', 'nat'], ['TransitGatewayId', 'tgw'], ['VpcPeeringConnectionId', 'peering'],
    ['InstanceId', 'instance'], ['NetworkInterfaceId', 'eni'], ['VpcEndpointId', 'other'], ['EgressOnlyInternetGatewayId', 'egress-only'],
    ['CarrierGatewayId', 'other'], ['LocalGatewayId', 'other'], ['CoreNetworkArn', 'other'],
  ];
  for (const [prop, kind] of props) {
    const v = b.prop(r, prop);
    if (v === undefined) continue;
    const key = tokenKey(v);
    const literal = str(v);
    if (prop === 'GatewayId') {
      const gw = key ? b.gateways.get(key) : undefined;
      if (gw) return { kind: gw.kind, key: gw.key, name: gw.name };
      if (literal === 'local') return { kind: 'local', key: undefined, name: 'local' };
      if (literal?.startsWith('igw-')) return { kind: 'igw', key: `external:${literal}`, name: literal };
      if (literal?.startsWith('vgw-')) return { kind: 'vgw', key: `external:${literal}`, name: literal };
      if (literal?.startsWith('vpce-')) return { kind: 'other', key: literal, name: literal };
      b.assume(`The route's gateway ${reasonOf(v)} cannot be resolved; its traffic is treated as going somewhere unknown.`, r);
      return { kind: 'unknown', key, name: literal ?? reasonOf(v) };
    }
    const resource = key ? b.resolver.resource(key) : undefined;
    if (kind === 'tgw' || kind === 'peering' || kind === 'other') {
      b.assume(`Traffic routed to ${resource?.logicalId ?? literal ?? reasonOf(v)} continues through route tables and networks verify cannot see.`, r);
    }
    return { kind, key: key ?? literal, name: resource?.logicalId ?? literal ?? reasonOf(v) };
  }
  b.assume('The route has no target verify recognises; it is treated as a blackhole.', r);
  return { kind: 'unknown', key: undefined, name: 'unknown target' };
}

export function addLocalRoutes(b: ModelBuilder): void {
  for (const table of b.routeTables.values()) {
    const vpc = b.vpcs.get(table.vpcKey);
    if (!vpc) continue;
    const local: Route[] = vpc.ranges.map(([lo, hi]) => ({
      destination: [lo, hi] as Range, destinationText: formatRangeCidr(lo, hi), propagated: false, resource: undefined, assumption: undefined,
      target: { kind: 'local' as const, key: undefined, name: 'local' },
    }));
    table.routes.unshift(...local);
  }
}

export function readNacls(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::NetworkAcl')) {
    if (!b.vpcOf(r, b.prop(r, 'VpcId'), 'The network ACL')) continue;
    b.nacls.set(r.key, { key: r.key, name: b.nameOf(r), isDefault: false, entries: [], resource: r.ref });
  }
  for (const r of b.resources('AWS::EC2::NetworkAclEntry')) {
    const nacl = b.nacls.get(tokenKey(b.prop(r, 'NetworkAclId')) ?? '');
    if (!nacl) {
      b.assume('This network ACL entry belongs to an ACL outside the templates; it is ignored.', r);
      continue;
    }
    const protocol = protocolRange(b.prop(r, 'Protocol'));
    const ruleNumber = num(b.prop(r, 'RuleNumber')) ?? 0;
    const allow = str(b.prop(r, 'RuleAction'))?.toLowerCase() === 'allow';
    const egress = bool(b.prop(r, 'Egress')) === true;
    const cidrValue = b.prop(r, 'CidrBlock');
    if (cidrValue === undefined) {
      if (b.prop(r, 'Ipv6CidrBlock') !== undefined) b.assume('IPv6 network ACL entries are not modelled; verify analyses IPv4 only.', r);
      continue;
    }
    const c = b.cidr(r, cidrValue, 'The entry CIDR block');
    const portsValue = obj(b.prop(r, 'PortRange'));
    const proto = protocol ?? ALL_PROTOCOLS;
    nacl.entries.push({
      ruleNumber, allow, egress, protocol: proto, ports: portRange(proto, portsValue?.From, portsValue?.To),
      range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)',
      resource: r.ref, assumption: 'unknown' in c ? c.unknown : protocol ? undefined : b.assume('The entry protocol cannot be resolved; treated as all protocols.', r),
    });
  }
  for (const nacl of b.nacls.values()) nacl.entries.sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const r of b.resources('AWS::EC2::SubnetNetworkAclAssociation')) {
    const subnet = b.subnets.get(tokenKey(b.prop(r, 'SubnetId')) ?? '');
    const nacl = b.nacls.get(tokenKey(b.prop(r, 'NetworkAclId')) ?? '');
    if (subnet && nacl) subnet.nacl = nacl;
    else b.assume('This network ACL association names a subnet or ACL outside the templates; it is ignored.', r);
  }
}

export function readNatGateways(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::NatGateway')) {
    const subnetValue = b.prop(r, 'SubnetId');
    const subnet = subnetValue === undefined ? undefined : b.subnets.get(tokenKey(subnetValue) ?? '');
    const vpcKey = subnet?.vpc.key ?? tokenKey(b.prop(r, 'VpcId'));
    const isPublic = (str(b.prop(r, 'ConnectivityType')) ?? 'public') === 'public';
    if (!subnet && str(b.prop(r, 'AvailabilityMode')) !== 'regional') {
      b.assume(`The NAT gateway's subnet ${reasonOf(subnetValue)} is not in the templates.`, r);
    }
    b.natGateways.set(r.key, { key: r.key, name: b.nameOf(r), subnet, vpcKey, isPublic, resource: r.ref });
  }
}

export function readElasticIps(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::EIP')) {
    const instance = tokenKey(b.prop(r, 'InstanceId'));
    if (instance) b.elasticIps.set(instance, r.ref);
  }
  for (const r of b.resources('AWS::EC2::EIPAssociation')) {
    const target = tokenKey(b.prop(r, 'InstanceId')) ?? tokenKey(b.prop(r, 'NetworkInterfaceId'));
    if (target) b.elasticIps.set(target, r.ref);
    else b.assume('This Elastic IP association names an instance or interface outside the templates.', r);
  }
}

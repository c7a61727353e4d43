/**
 * CloudFormation (resolved) → network model. One function per resource family, in dependency
 * order: VPCs and gateways, subnets, routing, network ACLs, security groups, then every resource
 * that owns network interfaces, grouped into classes. Whatever cannot be resolved is recorded as an
 * assumption on the spot, with the resource it came from.
 */
import { Assumptions, type ResourceRef } from '../assumptions.js';
import { Resolver, ResourceToken, Unknown, type StackResource, type Value } from '../cfn/resolve.js';
import type { StackTemplate } from '../cfn/templates.js';
import { cidrRange, PacketSet, PROTOCOL, type Range } from '../packets.js';
import type { K8sModel } from './k8s-types.js';
import { addKubernetes } from './k8s.js';
import { ASSUMED_NACL, assumedRouting, statedKey, type StatedNetwork } from './stated-network.js';
import type {
  ClassKind, ClientVpnEndpoint, EniClass, Gateway, LoadBalancer, Listener, Model, Nacl, NatGateway, Placement,
  PublicIp, Route, RouteTable, RouteTargetKind, SecurityGroup, SgPeer, SgRule, Subnet, TargetGroup, Tier, Vpc,
} from './types.js';
import { bool, list, num, obj, portRange, protocolRange, reasonOf, str, tags, tokenKey, transportOf } from './values.js';

export interface BuildOptions {
  /** Subnet tiers the spec declares, by CIDR (from the plan); they override what tags and names suggest. */
  readonly declaredTiers?: readonly { readonly cidr: string; readonly tier: Tier; readonly name: string }[];
  /** Kubernetes objects read from rendered manifests. */
  readonly k8s?: K8sModel;
  /** An existing VPC and subnets the spec states, which the templates name by id but do not hold. */
  readonly stated?: StatedNetwork;
}

const ALL_PORTS: Range = [0, 65535];
const ALL_PROTOCOLS: Range = [0, 255];
const TCP: Range = [PROTOCOL.tcp, PROTOCOL.tcp];

/** Default ports of RDS engines, when the template names none. */
const ENGINE_PORTS: readonly [RegExp, number][] = [[/mysql|mariadb/, 3306], [/postgres/, 5432], [/oracle/, 1521], [/sqlserver/, 1433], [/db2/, 50000]];

/** Types with a network presence that the model reads. Anything else holding subnets or groups is reported. */
const MODELLED = new Set([
  'AWS::EC2::VPC', 'AWS::EC2::VPCCidrBlock', 'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::VPNGateway',
  'AWS::EC2::VPNConnection', 'AWS::EC2::VPNConnectionRoute', 'AWS::EC2::CustomerGateway', 'AWS::EC2::VPNGatewayRoutePropagation',
  'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::Route', 'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry', 'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::EIPAssociation', 'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate', 'AWS::EC2::NetworkInterface', 'AWS::EC2::NetworkInterfaceAttachment', 'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::DBSubnetGroup', 'AWS::EFS::MountTarget', 'AWS::EFS::FileSystem',
  'AWS::EC2::VPCEndpoint', 'AWS::EC2::ClientVpnEndpoint', 'AWS::EC2::ClientVpnTargetNetworkAssociation',
  'AWS::EC2::ClientVpnAuthorizationRule', 'AWS::EC2::ClientVpnRoute', 'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup',
  'AWS::Lambda::Function', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::FlowLog', 'AWS::EKS::Addon', 'AWS::EKS::AccessEntry', 'AWS::EKS::PodIdentityAssociation',
]);

export function buildModel(templates: readonly StackTemplate[], options: BuildOptions = {}): Model {
  return new ModelBuilder(templates, options).build();
}

interface Member {
  readonly kind: ClassKind;
  readonly resource: ResourceRef;
  readonly key: string;
  readonly placements: Placement[];
  readonly groups: string[];
  readonly accepts: PacketSet;
  readonly acceptsText: string;
  readonly refs?: string[];
  readonly count?: number;
  readonly explicitPublicIp?: boolean;
  readonly loadBalancer?: LoadBalancer;
  readonly clientVpn?: ClientVpnEndpoint;
  readonly publicEndpoint?: PacketSet;
  /** Members with the same grouping key form one class; default: kind + groups. */
  readonly groupingKey?: string;
  readonly assumptions?: string[];
}

class ModelBuilder {
  private readonly assumptions = new Assumptions();
  private readonly resolver: Resolver;
  private readonly vpcs = new Map<string, Vpc>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly routeTables = new Map<string, RouteTable>();
  private readonly nacls = new Map<string, Nacl>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly gateways = new Map<string, Gateway>();
  private readonly natGateways = new Map<string, NatGateway>();
  private readonly routers = new Map<string, { name: string; resource: ResourceRef | undefined }>();
  private readonly members: Member[] = [];
  /** Resource key of an instance / interface / load balancer → key of its class. */
  private readonly classOfMember = new Map<string, string>();
  /** Interfaces that are an instance's primary interface (modelled with the instance). */
  private readonly attachedInterfaces = new Set<string>();
  /** Instance or interface key → the Elastic IP resource giving it a public address. */
  private readonly elasticIps = new Map<string, ResourceRef>();
  private readonly unmodelled = new Map<string, ResourceRef[]>();
  /** The assumption recorded for the last subnet that could not be found. */
  private lastUnplaced: string | undefined;
  private readonly byType = new Map<string, StackResource[]>();
  private readonly listeners = new Map<string, { lb: string; listener: Listener }>();

  public constructor(templates: readonly StackTemplate[], private readonly options: BuildOptions) {
    this.resolver = new Resolver(templates, this.assumptions);
    for (const r of this.resolver.all()) {
      const included = this.resolver.included(r);
      if (included === false) continue;
      if (included === undefined) {
        this.assumptions.add(`Its Condition "${r.body.Condition}" cannot be decided before deployment; verify assumes it is created.`, r.ref);
      }
      const type = r.body?.Type ?? '';
      this.byType.set(type, [...(this.byType.get(type) ?? []), r]);
    }
  }

  public build(): Model {
    this.readVpcs();
    this.readGateways();
    this.readSubnets();
    this.readRouting();
    this.readNacls();
    this.readSecurityGroups();
    this.readNatGateways();
    this.readElasticIps();
    this.readInstances();
    this.readNetworkInterfaces();
    this.readAutoScalingGroups();
    this.readDatabases();
    this.readFileSystems();
    this.readVpcEndpoints();
    this.readClientVpns();
    this.readEks();
    this.readLambdas();
    this.readLoadBalancers();
    this.readUnmodelled();
    this.addLocalRoutes();

    const classes = this.groupClasses();
    const model: Model = {
      vpcs: this.vpcs, subnets: this.subnets, routeTables: this.routeTables, nacls: this.nacls, groups: this.groups,
      classes, natGateways: this.natGateways, routers: this.routers, k8s: this.options.k8s,
      assumptions: [], unmodelled: this.unmodelled,
    };
    if (this.options.k8s) addKubernetes(model, this.options.k8s, this.assumptions);
    return { ...model, assumptions: this.assumptions.all };
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private resources(type: string): StackResource[] {
    return this.byType.get(type) ?? [];
  }

  private prop(r: StackResource, name: string): Value | undefined {
    return this.resolver.property(r, name);
  }

  private assume(text: string, r?: StackResource | ResourceRef): string {
    return this.assumptions.add(text, r && 'ref' in r ? r.ref : r);
  }

  private nameOf(r: StackResource): string {
    return tags(this.prop(r, 'Tags')).Name ?? r.logicalId;
  }

  /** The VPC a value names, or undefined with an assumption. */
  private vpcOf(r: StackResource, v: Value | undefined, what: string): Vpc | undefined {
    const key = tokenKey(v) ?? literalKey(v);
    const vpc = key ? this.vpcs.get(key) : undefined;
    if (!vpc && v !== undefined) this.assume(`${what} names the VPC ${reasonOf(v)}, which is not in the templates; it is left out of the model.`, r);
    return vpc;
  }

  private subnetOf(r: StackResource, v: Value | undefined, what = 'It'): Subnet | undefined {
    const key = tokenKey(v) ?? literalKey(v);
    const subnet = key ? this.subnets.get(key) : undefined;
    if (!subnet) this.lastUnplaced = this.assume(`${what} is placed in a subnet verify cannot find in the templates (${reasonOf(v)}); where it sits, and so who reaches it, is unknown.`, r);
    return subnet;
  }

  /**
   * A resource whose subnet is unknown still counts: as a class without placements, which the engine
   * answers "unknown" for, so no check passes over it silently.
   */
  private unplaced(member: Omit<Member, 'placements' | 'assumptions'>, assumption: string | undefined): void {
    this.members.push({ ...member, placements: [], assumptions: assumption ? [assumption] : [], groupingKey: member.key });
  }

  /** Security group keys a list names; a group outside the templates becomes an opaque placeholder. */
  private groupsOf(r: StackResource, v: Value | undefined): string[] {
    return list(v).map((g) => this.groupKey(r, g)).filter((k): k is string => k !== undefined);
  }

  private groupKey(r: StackResource, v: Value): string | undefined {
    if (v instanceof ResourceToken) {
      if (v.attr === undefined && this.groups.has(v.key)) return v.key;
      if (v.attr === 'DefaultSecurityGroup') return this.vpcs.get(v.key)?.defaultGroup;
      if (v.attr === 'ClusterSecurityGroupId') return this.eksClusterGroup(v.key);
      const found = v.attr === undefined ? undefined : this.groups.get(v.key);
      if (found) return found.key;
    }
    const literal = typeof v === 'string' ? v : undefined;
    const key = `imported:${literal ?? reasonOf(v)}`;
    if (!this.groups.has(key)) {
      const why = literal
        ? `The security group ${literal} is not in the templates; verify assumes it may allow anything.`
        : `A security group given as ${reasonOf(v)} cannot be resolved; verify assumes it may allow anything.`;
      const id = this.assume(why, r);
      this.groups.set(key, { key, name: literal ?? 'unresolved security group', refs: [], rules: [], resource: undefined, synthetic: 'imported', opaque: id });
    }
    return key;
  }

  private eksClusterGroup(clusterKey: string): string {
    const key = `${clusterKey}#cluster-sg`;
    if (!this.groups.has(key)) {
      const cluster = this.resolver.resource(clusterKey);
      const self: SgPeer = { kind: 'group', key };
      const base = { protocol: ALL_PROTOCOLS, ports: ALL_PORTS, resource: cluster?.ref, assumption: undefined };
      this.groups.set(key, {
        key, name: `EKS cluster security group of ${cluster?.logicalId ?? clusterKey}`, refs: [], resource: cluster?.ref,
        synthetic: 'created by EKS: all traffic from itself, all egress', opaque: undefined,
        rules: [
          { ...base, direction: 'in', peer: self, description: 'EKS: members of the cluster security group', index: 0 },
          { ...base, direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, description: 'EKS: all egress', index: 1 },
        ],
      });
    }
    return key;
  }

  private cidr(r: StackResource, v: Value | undefined, what: string): { range: Range; text: string } | { unknown: string } {
    const text = str(v);
    const range = text === undefined ? undefined : cidrRange(text);
    if (text !== undefined && range) return { range, text };
    return { unknown: this.assume(`${what} cannot be resolved to addresses: ${reasonOf(v)}.`, r) };
  }

  // ---------------------------------------------------------------------------------------------
  // VPCs, gateways, subnets

  private readVpcs(): void {
    for (const r of this.resources('AWS::EC2::VPC')) {
      const c = this.cidr(r, this.prop(r, 'CidrBlock'), 'Its CIDR block');
      this.addVpc(r.key, this.nameOf(r), 'range' in c ? [c.range] : [], r.ref);
    }
    if (this.options.stated) this.addStatedVpc(this.options.stated);
    for (const r of this.resources('AWS::EC2::VPCCidrBlock')) {
      const vpc = this.vpcOf(r, this.prop(r, 'VpcId'), 'The secondary CIDR block');
      const c = this.cidr(r, this.prop(r, 'CidrBlock'), 'The secondary CIDR block');
      if (vpc && 'range' in c) vpc.ranges.push(c.range);
    }
    for (const vpc of this.vpcs.values()) {
      vpc.addresses = vpc.ranges.reduce((s, [lo, hi]) => s.union(PacketSet.peers(lo, hi)), PacketSet.EMPTY);
    }
  }

  private addVpc(key: string, name: string, ranges: Range[], resource: ResourceRef | undefined): Vpc {
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
    this.vpcs.set(key, vpc);
    this.routeTables.set(vpc.mainRouteTable.key, vpc.mainRouteTable);
    this.nacls.set(vpc.defaultNacl.key, vpc.defaultNacl);
    const self: SgPeer = { kind: 'group', key: vpc.defaultGroup };
    this.groups.set(vpc.defaultGroup, {
      key: vpc.defaultGroup, name: `default security group of ${vpc.name}`, refs: [], resource: undefined,
      synthetic: 'the VPC default group: all traffic from itself, all egress', opaque: undefined,
      rules: [
        { direction: 'in', peer: self, protocol: ALL_PROTOCOLS, ports: ALL_PORTS, description: 'default: members of the default group', resource: undefined, index: 0, assumption: undefined },
        { direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: ALL_PROTOCOLS, ports: ALL_PORTS, description: 'default: all egress', resource: undefined, index: 1, assumption: undefined },
      ],
    });
    return vpc;
  }

  /**
   * The existing VPC of the spec, with an internet gateway and a NAT gateway assumed when its tiers
   * say the subnets have them (public: a route to an internet gateway; private: egress through NAT).
   */
  private addStatedVpc(stated: StatedNetwork): void {
    const range = cidrRange(stated.cidr);
    const vpc = this.addVpc(statedKey(stated.vpcId), `${stated.vpcId} (existing)`, range ? [range] : [], undefined);
    const tiers = new Set(stated.subnets.map((s) => s.tier));
    if (tiers.has('public') || tiers.has('private')) {
      vpc.igw = { key: `${vpc.key}#igw`, kind: 'igw', name: `the internet gateway of ${stated.vpcId}`, resource: undefined, remote: PacketSet.EMPTY, dynamic: false };
      this.gateways.set(vpc.igw.key, vpc.igw);
    }
    if (tiers.has('private')) {
      this.natGateways.set(`${vpc.key}#nat`, { key: `${vpc.key}#nat`, name: `the NAT of ${stated.vpcId}`, subnet: undefined, vpcKey: vpc.key, isPublic: true, resource: undefined });
    }
  }

  /** The stated subnets, each with the route its tier type implies, recorded as an assumption. */
  private addStatedSubnets(stated: StatedNetwork): void {
    const vpc = this.vpcs.get(statedKey(stated.vpcId))!;
    const nacl = this.assume(ASSUMED_NACL(stated.vpcId));
    for (const entry of vpc.defaultNacl.entries) (entry as { assumption: string | undefined }).assumption = nacl;
    for (const s of stated.subnets) {
      const range = cidrRange(s.cidr);
      if (!range) continue;
      const key = statedKey(s.id);
      const assumption = this.assume(assumedRouting(s, stated.vpcId));
      const table: RouteTable = {
        key: `${key}#rtb`, name: `${s.routeTableId ?? 'route table'} of ${s.id}`, vpcKey: vpc.key, routes: [], explicit: true, resource: undefined, propagatesFrom: [],
      };
      const target = s.tier === 'public' ? vpc.igw && { kind: 'igw' as const, key: vpc.igw.key, name: vpc.igw.name }
        : s.tier === 'private' ? { kind: 'nat' as const, key: `${vpc.key}#nat`, name: `the NAT of ${stated.vpcId}` } : undefined;
      if (target) table.routes.push({ destination: [0, 0xffffffff], destinationText: '0.0.0.0/0 (assumed)', propagated: false, resource: undefined, assumption, target });
      this.routeTables.set(table.key, table);
      this.subnets.set(key, {
        key, name: `${s.id} (${s.tierName}, existing)`, vpc, range, cidr: s.cidr, addresses: PacketSet.peers(...range), az: s.az,
        mapPublicIp: false, routeTable: table, nacl: vpc.defaultNacl, tags: {}, resource: undefined,
        declaredTier: { tier: s.tier, source: `the spec (existing subnet of tier ${s.tierName})` },
      });
    }
  }

  private readGateways(): void {
    for (const r of this.resources('AWS::EC2::InternetGateway')) {
      this.gateways.set(r.key, { key: r.key, kind: 'igw', name: this.nameOf(r), resource: r.ref, remote: PacketSet.EMPTY, dynamic: false });
    }
    for (const r of this.resources('AWS::EC2::VPNGateway')) {
      this.gateways.set(r.key, { key: r.key, kind: 'vgw', name: this.nameOf(r), resource: r.ref, remote: PacketSet.EMPTY, dynamic: false });
    }
    for (const r of this.resources('AWS::EC2::VPCGatewayAttachment')) {
      const vpc = this.vpcOf(r, this.prop(r, 'VpcId'), 'The gateway attachment');
      if (!vpc) continue;
      for (const [prop, kind] of [['InternetGatewayId', 'igw'], ['VpnGatewayId', 'vgw']] as const) {
        const v = this.prop(r, prop);
        if (v === undefined) continue;
        const key = tokenKey(v) ?? `external:${str(v) ?? reasonOf(v)}`;
        let gw = this.gateways.get(key);
        if (!gw) {
          this.assume(`The ${kind === 'igw' ? 'internet' : 'VPN'} gateway ${str(v) ?? reasonOf(v)} is not in the templates; verify assumes it is attached and working.`, r);
          gw = { key, kind, name: str(v) ?? key, resource: undefined, remote: PacketSet.EMPTY, dynamic: kind === 'vgw' };
          this.gateways.set(key, gw);
        }
        if (kind === 'igw') vpc.igw = gw;
        else vpc.vgw = gw;
      }
    }
    const connections = new Map<string, Gateway>();
    for (const r of this.resources('AWS::EC2::VPNConnection')) {
      const gw = this.gateways.get(tokenKey(this.prop(r, 'VpnGatewayId')) ?? '');
      if (!gw) {
        if (this.prop(r, 'TransitGatewayId') !== undefined) this.assume('This VPN connection ends on a transit gateway, whose route tables verify cannot see.', r);
        continue;
      }
      connections.set(r.key, gw);
      if (bool(this.prop(r, 'StaticRoutesOnly')) !== true) {
        gw.dynamic = true;
        this.assume(`The VPN connection uses BGP, so ${gw.name} may learn networks the template does not list.`, r);
      }
    }
    for (const r of this.resources('AWS::EC2::VPNConnectionRoute')) {
      const gw = connections.get(tokenKey(this.prop(r, 'VpnConnectionId')) ?? '');
      const c = this.cidr(r, this.prop(r, 'DestinationCidrBlock'), 'The VPN route destination');
      if (gw && 'range' in c) gw.remote = gw.remote.union(PacketSet.peers(...c.range));
    }
  }

  private readSubnets(): void {
    const declared = (this.options.declaredTiers ?? []).map((d) => ({ ...d, range: cidrRange(d.cidr) }));
    for (const r of this.resources('AWS::EC2::Subnet')) {
      const vpc = this.vpcOf(r, this.prop(r, 'VpcId'), 'The subnet');
      const c = this.cidr(r, this.prop(r, 'CidrBlock'), 'The subnet CIDR block');
      if (!vpc || !('range' in c)) continue;
      const t = tags(this.prop(r, 'Tags'));
      const name = t.Name ?? r.logicalId;
      const az = this.prop(r, 'AvailabilityZone');
      if (az instanceof Unknown) this.assume(`Its availability zone is unknown (${az.reason}); the network model does not depend on it.`, r);
      const spec = declared.find((d) => d.range && d.range[0] === c.range[0] && d.range[1] === c.range[1]);
      this.subnets.set(r.key, {
        key: r.key, name, vpc, range: c.range, cidr: c.text, addresses: PacketSet.peers(...c.range),
        az: str(this.prop(r, 'AvailabilityZone')), mapPublicIp: bool(this.prop(r, 'MapPublicIpOnLaunch')) === true,
        routeTable: vpc.mainRouteTable, nacl: vpc.defaultNacl, tags: t, resource: r.ref,
        declaredTier: spec ? { tier: spec.tier, source: `the spec (tier ${spec.name})` } : declaredTierOf(t, name),
      });
    }
  }

  private readRouting(): void {
    if (this.options.stated) this.addStatedSubnets(this.options.stated);
    for (const r of this.resources('AWS::EC2::RouteTable')) {
      const vpc = this.vpcOf(r, this.prop(r, 'VpcId'), 'The route table');
      if (!vpc) continue;
      this.routeTables.set(r.key, { key: r.key, name: this.nameOf(r), vpcKey: vpc.key, routes: [], explicit: true, resource: r.ref, propagatesFrom: [] });
    }
    for (const r of this.resources('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = this.subnets.get(tokenKey(this.prop(r, 'SubnetId')) ?? '');
      const table = this.routeTables.get(tokenKey(this.prop(r, 'RouteTableId')) ?? '');
      if (subnet && table) subnet.routeTable = table;
      else this.assume('This route table association names a subnet or route table outside the templates; it is ignored.', r);
    }
    for (const r of this.resources('AWS::EC2::Route')) {
      const table = this.routeTables.get(tokenKey(this.prop(r, 'RouteTableId')) ?? '');
      if (!table) {
        this.assume('This route belongs to a route table outside the templates; it is ignored.', r);
        continue;
      }
      const dest = this.prop(r, 'DestinationCidrBlock');
      const prefixList = this.prop(r, 'DestinationPrefixListId');
      if (dest === undefined && prefixList === undefined) {
        if (this.prop(r, 'DestinationIpv6CidrBlock') !== undefined) this.assume('IPv6 routes are not modelled; verify analyses IPv4 only.', r);
        continue;
      }
      let destination: Range | undefined;
      let destinationText: string;
      let assumption: string | undefined;
      if (dest !== undefined) {
        const c = this.cidr(r, dest, 'The route destination');
        if ('unknown' in c) continue;
        destination = c.range;
        destinationText = c.text;
      } else {
        destinationText = `prefix list ${str(prefixList) ?? reasonOf(prefixList)}`;
        assumption = this.assume(`The route to ${destinationText} covers addresses verify cannot list; it is shown but not used for matching.`, r);
      }
      table.routes.push({ destination, destinationText, target: this.routeTarget(r), propagated: false, resource: r.ref, assumption });
    }
    for (const r of this.resources('AWS::EC2::VPNGatewayRoutePropagation')) {
      const gw = tokenKey(this.prop(r, 'VpnGatewayId'));
      for (const t of list(this.prop(r, 'RouteTableIds'))) {
        const table = this.routeTables.get(tokenKey(t) ?? '');
        if (table && gw) table.propagatesFrom.push(gw);
      }
    }
    for (const table of this.routeTables.values()) {
      for (const gwKey of table.propagatesFrom) {
        const gw = this.gateways.get(gwKey);
        if (!gw) continue;
        for (const [lo, hi] of gw.remote.peerRanges()) {
          table.routes.push({
            destination: [lo, hi], destinationText: `${formatRangeCidr(lo, hi)} (propagated)`, propagated: true, resource: gw.resource, assumption: undefined,
            target: { kind: 'vgw', key: gw.key, name: gw.name },
          });
        }
        if (gw.dynamic) this.assume(`${table.name} learns routes from ${gw.name} by BGP; networks it may learn are not known before deployment.`, table.resource);
      }
    }
    for (const r of this.resources('AWS::EC2::VPCEndpoint')) {
      if ((str(this.prop(r, 'VpcEndpointType')) ?? 'Gateway') !== 'Gateway') continue;
      const service = str(this.prop(r, 'ServiceName')) ?? reasonOf(this.prop(r, 'ServiceName'));
      for (const t of list(this.prop(r, 'RouteTableIds'))) {
        const table = this.routeTables.get(tokenKey(t) ?? '');
        table?.routes.push({
          destination: undefined, destinationText: `prefix list of ${service.replace(/^com\.amazonaws\.[^.]*\./, '')}`, propagated: false,
          resource: r.ref, assumption: undefined, target: { kind: 'gateway-endpoint', key: r.key, name: r.logicalId },
        });
      }
    }
  }

  private routeTarget(r: StackResource): Route['target'] {
    const props: [string, RouteTargetKind][] = [
      ['GatewayId', 'igw'], ['NatGatewayId', 'nat'], ['TransitGatewayId', 'tgw'], ['VpcPeeringConnectionId', 'peering'],
      ['InstanceId', 'instance'], ['NetworkInterfaceId', 'eni'], ['VpcEndpointId', 'other'], ['EgressOnlyInternetGatewayId', 'egress-only'],
      ['CarrierGatewayId', 'other'], ['LocalGatewayId', 'other'], ['CoreNetworkArn', 'other'],
    ];
    for (const [prop, kind] of props) {
      const v = this.prop(r, prop);
      if (v === undefined) continue;
      const key = tokenKey(v);
      const literal = str(v);
      if (prop === 'GatewayId') {
        const gw = key ? this.gateways.get(key) : undefined;
        if (gw) return { kind: gw.kind, key: gw.key, name: gw.name };
        if (literal === 'local') return { kind: 'local', key: undefined, name: 'local' };
        if (literal?.startsWith('igw-')) return { kind: 'igw', key: `external:${literal}`, name: literal };
        if (literal?.startsWith('vgw-')) return { kind: 'vgw', key: `external:${literal}`, name: literal };
        if (literal?.startsWith('vpce-')) return { kind: 'other', key: literal, name: literal };
        this.assume(`The route's gateway ${reasonOf(v)} cannot be resolved; its traffic is treated as going somewhere unknown.`, r);
        return { kind: 'unknown', key, name: literal ?? reasonOf(v) };
      }
      const resource = key ? this.resolver.resource(key) : undefined;
      if (kind === 'tgw' || kind === 'peering' || kind === 'other') {
        this.assume(`Traffic routed to ${resource?.logicalId ?? literal ?? reasonOf(v)} continues through route tables and networks verify cannot see.`, r);
      }
      return { kind, key: key ?? literal, name: resource?.logicalId ?? literal ?? reasonOf(v) };
    }
    this.assume('The route has no target verify recognises; it is treated as a blackhole.', r);
    return { kind: 'unknown', key: undefined, name: 'unknown target' };
  }

  private addLocalRoutes(): void {
    for (const table of this.routeTables.values()) {
      const vpc = this.vpcs.get(table.vpcKey);
      if (!vpc) continue;
      const local: Route[] = vpc.ranges.map(([lo, hi]) => ({
        destination: [lo, hi] as Range, destinationText: formatRangeCidr(lo, hi), propagated: false, resource: undefined, assumption: undefined,
        target: { kind: 'local' as const, key: undefined, name: 'local' },
      }));
      table.routes.unshift(...local);
    }
  }

  private readNacls(): void {
    for (const r of this.resources('AWS::EC2::NetworkAcl')) {
      if (!this.vpcOf(r, this.prop(r, 'VpcId'), 'The network ACL')) continue;
      this.nacls.set(r.key, { key: r.key, name: this.nameOf(r), isDefault: false, entries: [], resource: r.ref });
    }
    for (const r of this.resources('AWS::EC2::NetworkAclEntry')) {
      const nacl = this.nacls.get(tokenKey(this.prop(r, 'NetworkAclId')) ?? '');
      if (!nacl) {
        this.assume('This network ACL entry belongs to an ACL outside the templates; it is ignored.', r);
        continue;
      }
      const protocol = protocolRange(this.prop(r, 'Protocol'));
      const ruleNumber = num(this.prop(r, 'RuleNumber')) ?? 0;
      const allow = str(this.prop(r, 'RuleAction'))?.toLowerCase() === 'allow';
      const egress = bool(this.prop(r, 'Egress')) === true;
      const cidrValue = this.prop(r, 'CidrBlock');
      if (cidrValue === undefined) {
        if (this.prop(r, 'Ipv6CidrBlock') !== undefined) this.assume('IPv6 network ACL entries are not modelled; verify analyses IPv4 only.', r);
        continue;
      }
      const c = this.cidr(r, cidrValue, 'The entry CIDR block');
      const portsValue = obj(this.prop(r, 'PortRange'));
      const proto = protocol ?? ALL_PROTOCOLS;
      nacl.entries.push({
        ruleNumber, allow, egress, protocol: proto, ports: portRange(proto, portsValue?.From, portsValue?.To),
        range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)',
        resource: r.ref, assumption: 'unknown' in c ? c.unknown : protocol ? undefined : this.assume('The entry protocol cannot be resolved; treated as all protocols.', r),
      });
    }
    for (const nacl of this.nacls.values()) nacl.entries.sort((a, b) => a.ruleNumber - b.ruleNumber);
    for (const r of this.resources('AWS::EC2::SubnetNetworkAclAssociation')) {
      const subnet = this.subnets.get(tokenKey(this.prop(r, 'SubnetId')) ?? '');
      const nacl = this.nacls.get(tokenKey(this.prop(r, 'NetworkAclId')) ?? '');
      if (subnet && nacl) subnet.nacl = nacl;
      else this.assume('This network ACL association names a subnet or ACL outside the templates; it is ignored.', r);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // security groups

  private readSecurityGroups(): void {
    const sgs = this.resources('AWS::EC2::SecurityGroup');
    const pending: [StackResource, SgRule[]][] = [];
    for (const r of sgs) {
      const description = str(this.prop(r, 'GroupDescription')) ?? '';
      const t = tags(this.prop(r, 'Tags'));
      const endpoint = t['plinth:endpoint'] ?? /^plinth [^:]+: (\S+)$/.exec(description)?.[1];
      const rules: SgRule[] = [];
      this.groups.set(r.key, {
        key: r.key, name: t.Name ?? r.logicalId, refs: endpoint ? [endpoint] : [], rules, resource: r.ref, synthetic: undefined, opaque: undefined,
        nameTag: t.Name, vpcKey: tokenKey(this.prop(r, 'VpcId')),
      });
      if (this.prop(r, 'VpcId') === undefined) this.assume('The group names no VpcId, so it would be created in the default VPC, which verify does not model.', r);
      pending.push([r, rules]);
    }
    // Inline rules after every group exists, so references between groups resolve either way.
    for (const [r, rules] of pending) {
      list(this.prop(r, 'SecurityGroupIngress')).forEach((rule, i) => this.addRule(r, rules, 'in', obj(rule) ?? {}, i));
      const egress = list(this.prop(r, 'SecurityGroupEgress'));
      egress.forEach((rule, i) => this.addRule(r, rules, 'out', obj(rule) ?? {}, i));
      if (egress.length === 0) {
        rules.push({
          direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: ALL_PROTOCOLS, ports: ALL_PORTS,
          description: 'default egress rule (the group lists no egress rules)', resource: r.ref, index: egress.length, assumption: undefined,
        });
      }
    }
    for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
      for (const r of this.resources(type)) {
        const groupValue = this.prop(r, 'GroupId') ?? this.groupByName(this.prop(r, 'GroupName'));
        const key = groupValue === undefined ? undefined : this.groupKey(r, groupValue);
        const group = key ? this.groups.get(key) : undefined;
        if (!group || group.opaque) continue;
        const props: Record<string, Value> = {};
        for (const k of ['IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName',
          'SourcePrefixListId', 'DestinationSecurityGroupId', 'DestinationPrefixListId', 'Description', 'SourceSecurityGroupOwnerId']) {
          const v = this.prop(r, k);
          if (v !== undefined) props[k] = v;
        }
        this.addRule(r, group.rules as SgRule[], direction, props, -1);
      }
    }
  }

  private groupByName(v: Value | undefined): Value | undefined {
    const name = str(v);
    if (name === undefined) return undefined;
    const found = this.resources('AWS::EC2::SecurityGroup').find((r) => str(this.prop(r, 'GroupName')) === name);
    return found ? new ResourceToken(found.key, undefined) : name;
  }

  private addRule(r: StackResource, rules: SgRule[], direction: 'in' | 'out', rule: Record<string, Value>, index: number): void {
    const protocol = protocolRange(rule.IpProtocol);
    const ports = protocol ? portRange(protocol, rule.FromPort, rule.ToPort) : ALL_PORTS;
    let peer: SgPeer;
    let assumption: string | undefined;
    const groupRef = direction === 'in' ? rule.SourceSecurityGroupId ?? this.groupByName(rule.SourceSecurityGroupName) : rule.DestinationSecurityGroupId;
    const prefixList = direction === 'in' ? rule.SourcePrefixListId : rule.DestinationPrefixListId;
    if (rule.CidrIp !== undefined) {
      const c = this.cidr(r, rule.CidrIp, `The CidrIp of an ${direction === 'in' ? 'inbound' : 'outbound'} rule`);
      peer = 'range' in c ? { kind: 'cidr', range: c.range, text: c.text } : { kind: 'unknown', reason: reasonOf(rule.CidrIp) };
      if ('unknown' in c) assumption = c.unknown;
    } else if (groupRef !== undefined) {
      const key = this.groupKey(r, groupRef);
      peer = key ? { kind: 'group', key } : { kind: 'unknown', reason: reasonOf(groupRef) };
      if (rule.SourceSecurityGroupOwnerId !== undefined) {
        assumption = this.assume('The rule names a security group in another account; its members are unknown.', r);
        peer = { kind: 'unknown', reason: 'a group in another account' };
      }
    } else if (prefixList !== undefined) {
      peer = { kind: 'prefix-list', id: str(prefixList) ?? reasonOf(prefixList) };
      assumption = this.assume(`A rule allows the prefix list ${str(prefixList) ?? reasonOf(prefixList)}, whose addresses verify cannot list; it may match any address.`, r);
    } else if (rule.CidrIpv6 !== undefined) {
      this.assume('IPv6 security group rules are not modelled; verify analyses IPv4 only.', r);
      return;
    } else {
      peer = { kind: 'unknown', reason: 'no peer' };
      assumption = this.assume('A security group rule names no peer verify can read.', r);
    }
    if (!protocol) assumption ??= this.assume(`A rule's protocol ${reasonOf(rule.IpProtocol)} cannot be resolved; treated as every protocol.`, r);
    rules.push({
      direction, peer, protocol: protocol ?? ALL_PROTOCOLS, ports, description: str(rule.Description), resource: r.ref,
      index: index >= 0 ? index : rules.length, assumption,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // NAT and public addresses

  private readNatGateways(): void {
    for (const r of this.resources('AWS::EC2::NatGateway')) {
      const subnetValue = this.prop(r, 'SubnetId');
      const subnet = subnetValue === undefined ? undefined : this.subnets.get(tokenKey(subnetValue) ?? '');
      const vpcKey = subnet?.vpc.key ?? tokenKey(this.prop(r, 'VpcId'));
      const isPublic = (str(this.prop(r, 'ConnectivityType')) ?? 'public') === 'public';
      if (!subnet && str(this.prop(r, 'AvailabilityMode')) !== 'regional') {
        this.assume(`The NAT gateway's subnet ${reasonOf(subnetValue)} is not in the templates.`, r);
      }
      this.natGateways.set(r.key, { key: r.key, name: this.nameOf(r), subnet, vpcKey, isPublic, resource: r.ref });
    }
  }

  private readElasticIps(): void {
    for (const r of this.resources('AWS::EC2::EIP')) {
      const instance = tokenKey(this.prop(r, 'InstanceId'));
      if (instance) this.elasticIps.set(instance, r.ref);
    }
    for (const r of this.resources('AWS::EC2::EIPAssociation')) {
      const target = tokenKey(this.prop(r, 'InstanceId')) ?? tokenKey(this.prop(r, 'NetworkInterfaceId'));
      if (target) this.elasticIps.set(target, r.ref);
      else this.assume('This Elastic IP association names an instance or interface outside the templates.', r);
    }
  }

  private publicIpOf(memberKey: string, subnet: Subnet, associate: boolean | undefined): { publicIp: PublicIp; by: string | undefined; explicit: boolean } {
    const eip = this.elasticIps.get(memberKey);
    if (eip) return { publicIp: 'yes', by: `Elastic IP ${eip.logicalId}`, explicit: true };
    if (associate !== undefined) return { publicIp: associate ? 'yes' : 'no', by: associate ? 'AssociatePublicIpAddress: true' : undefined, explicit: associate };
    return subnet.mapPublicIp ? { publicIp: 'yes', by: `subnet ${subnet.name} assigns public IPs on launch`, explicit: false } : { publicIp: 'no', by: undefined, explicit: false };
  }

  // ---------------------------------------------------------------------------------------------
  // hosts

  /** SecurityGroupIds / NetworkInterfaces of a launch template, by the value that names it. */
  private launchTemplate(r: StackResource, spec: Value | undefined): { groups?: Value; subnet?: Value; associate?: boolean; resource?: StackResource } {
    const s = obj(spec);
    // EC2 and Auto Scaling name them LaunchTemplateId/Name; EKS node groups Id/Name.
    const id = s?.LaunchTemplateId ?? s?.LaunchTemplateName ?? s?.Id ?? s?.Name;
    if (id === undefined) return {};
    const key = tokenKey(id);
    const lt = key ? this.resolver.resource(key) : this.resources('AWS::EC2::LaunchTemplate').find((x) => str(this.prop(x, 'LaunchTemplateName')) === str(id));
    if (!lt) {
      this.assume(`The launch template ${reasonOf(id)} is not in the templates; groups it may add are unknown.`, r);
      return {};
    }
    const data = obj(this.prop(lt, 'LaunchTemplateData'));
    const nic = obj(list(data?.NetworkInterfaces).find((n) => (num(obj(n)?.DeviceIndex) ?? 0) === 0));
    return {
      groups: nic?.Groups ?? data?.SecurityGroupIds ?? (data?.SecurityGroups !== undefined ? this.groupNames(data.SecurityGroups) : undefined),
      subnet: nic?.SubnetId,
      associate: bool(nic?.AssociatePublicIpAddress),
      resource: lt,
    };
  }

  private groupNames(v: Value): Value {
    return list(v).map((n) => this.groupByName(n) ?? n);
  }

  private readInstances(): void {
    for (const r of this.resources('AWS::EC2::Instance')) {
      const lt = this.launchTemplate(r, this.prop(r, 'LaunchTemplate'));
      const nics = list(this.prop(r, 'NetworkInterfaces')).map(obj).filter((n) => n !== undefined);
      const primary = nics.find((n) => (num(n.DeviceIndex) ?? 0) === 0);
      let subnetValue = primary?.SubnetId ?? this.prop(r, 'SubnetId') ?? lt.subnet;
      let groupsValue = primary?.GroupSet ?? this.prop(r, 'SecurityGroupIds') ?? (this.prop(r, 'SecurityGroups') !== undefined ? this.groupNames(this.prop(r, 'SecurityGroups')!) : undefined) ?? lt.groups;
      let memberKey = r.key;
      const eniKey = tokenKey(primary?.NetworkInterfaceId);
      const eni = eniKey ? this.resolver.resource(eniKey) : undefined;
      if (eni) {
        subnetValue = this.prop(eni, 'SubnetId');
        groupsValue = this.prop(eni, 'GroupSet');
        memberKey = eni.key;
        this.attachedInterfaces.add(eni.key);
      }
      const accepts = { kind: 'instance' as const, resource: r.ref, key: r.key, accepts: PacketSet.ALL, acceptsText: 'any port (a host may listen anywhere)' };
      if (subnetValue === undefined) {
        const id = this.assume('The instance names no subnet, so it would launch in the default VPC, which verify does not model; who reaches it is unknown.', r);
        this.unplaced({ ...accepts, groups: groupsValue === undefined ? [] : this.groupsOf(r, groupsValue) }, id);
        continue;
      }
      const subnet = this.subnetOf(r, subnetValue, 'The instance');
      if (!subnet) {
        this.unplaced({ ...accepts, groups: groupsValue === undefined ? [] : this.groupsOf(r, groupsValue) }, this.lastUnplaced);
        continue;
      }
      const pub = this.publicIpOf(r.key, subnet, bool(primary?.AssociatePublicIpAddress) ?? lt.associate);
      const eip = this.elasticIps.get(memberKey);
      const publicIp = eip ? { publicIp: 'yes' as const, by: `Elastic IP ${eip.logicalId}`, explicit: true } : pub;
      const groups = groupsValue === undefined ? [subnet.vpc.defaultGroup] : this.groupsOf(r, groupsValue);
      if (bool(this.prop(r, 'SourceDestCheck')) === false || (eni && bool(this.prop(eni, 'SourceDestCheck')) === false)) {
        this.routers.set(r.key, { name: r.logicalId, resource: r.ref });
        if (eni) this.routers.set(eni.key, { name: r.logicalId, resource: r.ref });
      }
      this.members.push({
        kind: 'instance', resource: r.ref, key: r.key, groups, accepts: PacketSet.ALL, acceptsText: 'any port (a host may listen anywhere)',
        placements: [{ subnet, publicIp: publicIp.publicIp, publicIpBy: publicIp.by }], explicitPublicIp: publicIp.explicit,
      });
    }
  }

  private readNetworkInterfaces(): void {
    for (const r of this.resources('AWS::EC2::NetworkInterface')) {
      if (this.attachedInterfaces.has(r.key)) continue;
      const subnet = this.subnetOf(r, this.prop(r, 'SubnetId'), 'The network interface');
      if (!subnet) continue;
      const groupsValue = this.prop(r, 'GroupSet');
      const pub = this.publicIpOf(r.key, subnet, undefined);
      if (bool(this.prop(r, 'SourceDestCheck')) === false) this.routers.set(r.key, { name: r.logicalId, resource: r.ref });
      this.members.push({
        kind: 'network-interface', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnet.vpc.defaultGroup] : this.groupsOf(r, groupsValue),
        accepts: PacketSet.ALL, acceptsText: 'any port', placements: [{ subnet, publicIp: pub.publicIp, publicIpBy: pub.by }], explicitPublicIp: pub.explicit,
      });
    }
  }

  private readAutoScalingGroups(): void {
    for (const r of this.resources('AWS::AutoScaling::AutoScalingGroup')) {
      const spec = this.prop(r, 'LaunchTemplate') ?? obj(obj(obj(this.prop(r, 'MixedInstancesPolicy'))?.LaunchTemplate)?.LaunchTemplateSpecification);
      const lt = this.launchTemplate(r, spec);
      let groupsValue = lt.groups;
      let associate = lt.associate;
      const lcKey = tokenKey(this.prop(r, 'LaunchConfigurationName'));
      const lc = lcKey ? this.resolver.resource(lcKey) : undefined;
      if (lc) {
        groupsValue = this.groupNames(this.prop(lc, 'SecurityGroups') ?? []);
        associate = bool(this.prop(lc, 'AssociatePublicIpAddress'));
      }
      const subnets = list(this.prop(r, 'VPCZoneIdentifier')).map((s) => this.subnetOf(r, s, 'The auto scaling group')).filter((s) => s !== undefined);
      if (subnets.length === 0) continue;
      const groups = groupsValue === undefined || list(groupsValue).length === 0 ? [subnets[0]!.vpc.defaultGroup] : this.groupsOf(r, groupsValue);
      const placements = subnets.map((subnet) => {
        const pub = this.publicIpOf(r.key, subnet, associate);
        return { subnet, publicIp: pub.publicIp, publicIpBy: pub.by };
      });
      this.members.push({
        kind: 'auto-scaling-group', resource: r.ref, key: r.key, groups, accepts: PacketSet.ALL, acceptsText: 'any port',
        placements, count: num(this.prop(r, 'DesiredCapacity')) ?? num(this.prop(r, 'MinSize')) ?? 1, explicitPublicIp: associate === true,
        groupingKey: r.key,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // data stores, endpoints, VPN, EKS, Lambda

  private readDatabases(): void {
    const clusters = new Map<string, StackResource>();
    for (const r of this.resources('AWS::RDS::DBCluster')) clusters.set(r.key, r);
    const clustersWithInstances = new Set<string>();
    const instances = this.resources('AWS::RDS::DBInstance');
    for (const r of [...instances, ...clusters.values()]) {
      const isInstance = r.body.Type === 'AWS::RDS::DBInstance';
      const clusterKey = isInstance ? tokenKey(this.prop(r, 'DBClusterIdentifier')) : undefined;
      const cluster = clusterKey ? clusters.get(clusterKey) : undefined;
      if (cluster) clustersWithInstances.add(cluster.key);
      if (!isInstance && clustersWithInstances.has(r.key)) continue;
      const source = cluster ?? r;
      const subnetGroupKey = tokenKey(this.prop(source, 'DBSubnetGroupName'));
      const subnetGroup = subnetGroupKey ? this.resolver.resource(subnetGroupKey) : undefined;
      const engine = (str(this.prop(source, 'Engine')) ?? '').toLowerCase();
      const port = num(this.prop(source, 'Port')) ?? ENGINE_PORTS.find(([re]) => re.test(engine))?.[1];
      const unplacedDatabase = (id: string | undefined) => this.unplaced({
        kind: 'database', resource: r.ref, key: r.key, groups: [], accepts: port === undefined ? PacketSet.ALL : PacketSet.box({ protocol: TCP, port: [port, port] }),
        acceptsText: port === undefined ? 'any port' : `tcp/${port}`,
      }, id);
      if (!subnetGroup) {
        const named = this.prop(source, 'DBSubnetGroupName');
        unplacedDatabase(this.assume(named === undefined
          ? 'The database names no subnet group, so it would be created in the default VPC, which verify does not model; who reaches it is unknown.'
          : `The database's subnet group ${reasonOf(named)} is not in the templates; who reaches it is unknown.`, r));
        continue;
      }
      const subnets = list(this.prop(subnetGroup, 'SubnetIds')).map((s) => this.subnetOf(subnetGroup, s, 'The DB subnet group')).filter((s) => s !== undefined);
      if (subnets.length === 0) {
        unplacedDatabase(this.lastUnplaced);
        continue;
      }
      const assumptions: string[] = [];
      if (port === undefined) assumptions.push(this.assume(`The database port cannot be resolved (engine ${engine || 'unknown'}); every port is considered.`, r));
      const groupsValue = this.prop(source, isInstance && !cluster ? 'VPCSecurityGroups' : 'VpcSecurityGroupIds') ?? this.prop(r, 'VPCSecurityGroups');
      const groups = groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : this.groupsOf(r, groupsValue);
      const publicly = bool(this.prop(r, 'PubliclyAccessible')) ?? bool(this.prop(source, 'PubliclyAccessible')) ?? false;
      const placements = subnets.map((subnet) => ({
        subnet, publicIp: (publicly ? 'yes' : 'no') as PublicIp, publicIpBy: publicly ? `PubliclyAccessible: true on ${r.logicalId}` : undefined,
      }));
      const accepts = port === undefined ? PacketSet.ALL : PacketSet.box({ protocol: TCP, port: [port, port] });
      this.members.push({
        kind: 'database', resource: r.ref, key: r.key, groups, accepts, acceptsText: port === undefined ? 'any port' : `tcp/${port}`,
        placements, explicitPublicIp: publicly, groupingKey: cluster?.key ?? r.key, assumptions,
      });
    }
  }

  private readFileSystems(): void {
    for (const r of this.resources('AWS::EFS::MountTarget')) {
      const fs = tokenKey(this.prop(r, 'FileSystemId')) ?? str(this.prop(r, 'FileSystemId')) ?? r.key;
      const subnet = this.subnetOf(r, this.prop(r, 'SubnetId'), 'The mount target');
      if (!subnet) continue;
      const groupsValue = this.prop(r, 'SecurityGroups');
      this.members.push({
        kind: 'file-system', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnet.vpc.defaultGroup] : this.groupsOf(r, groupsValue),
        accepts: PacketSet.box({ protocol: TCP, port: [2049, 2049] }), acceptsText: 'tcp/2049 (NFS)',
        placements: [{ subnet, publicIp: 'no', publicIpBy: undefined }], groupingKey: `efs:${fs}`,
      });
    }
  }

  private readVpcEndpoints(): void {
    for (const r of this.resources('AWS::EC2::VPCEndpoint')) {
      if ((str(this.prop(r, 'VpcEndpointType')) ?? 'Gateway') !== 'Interface') continue;
      const subnets = list(this.prop(r, 'SubnetIds')).map((s) => this.subnetOf(r, s, 'The interface endpoint')).filter((s) => s !== undefined);
      if (subnets.length === 0) continue;
      const groupsValue = this.prop(r, 'SecurityGroupIds');
      this.members.push({
        kind: 'interface-endpoint', resource: r.ref, key: r.key,
        groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : this.groupsOf(r, groupsValue),
        accepts: PacketSet.box({ protocol: TCP, port: [443, 443] }), acceptsText: 'tcp/443 (AWS service APIs)',
        placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })),
      });
    }
  }

  private readClientVpns(): void {
    const associations = this.resources('AWS::EC2::ClientVpnTargetNetworkAssociation');
    const rules = this.resources('AWS::EC2::ClientVpnAuthorizationRule');
    const routes = this.resources('AWS::EC2::ClientVpnRoute');
    for (const r of this.resources('AWS::EC2::ClientVpnEndpoint')) {
      const mine = (x: StackResource) => tokenKey(this.prop(x, 'ClientVpnEndpointId')) === r.key;
      const subnets = associations.filter(mine).map((a) => this.subnetOf(a, this.prop(a, 'SubnetId'), 'The Client VPN association')).filter((s) => s !== undefined);
      const pool = this.cidr(r, this.prop(r, 'ClientCidrBlock'), 'The client address pool');
      if (subnets.length === 0 || !('range' in pool)) {
        this.assume('The Client VPN endpoint has no associated subnet in the templates; VPN clients reach nothing in the model.', r);
        continue;
      }
      const groupsValue = this.prop(r, 'SecurityGroupIds');
      const assumptions: string[] = [];
      const clientVpn: ClientVpnEndpoint = {
        clientRange: pool.range, clientCidr: pool.text,
        authorizations: rules.filter(mine).map((a) => {
          const c = this.cidr(a, this.prop(a, 'TargetNetworkCidr'), 'The authorization rule network');
          const allGroups = bool(this.prop(a, 'AuthorizeAllGroups')) === true;
          if (!allGroups) assumptions.push(this.assume('The authorization rule applies to one directory group; verify treats it as applying to some clients.', a));
          return { range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)', allGroups, resource: a.ref };
        }),
        routes: routes.filter(mine).map((x) => {
          const c = this.cidr(x, this.prop(x, 'DestinationCidrBlock'), 'The Client VPN route');
          return { range: 'range' in c ? c.range : undefined, cidr: 'range' in c ? c.text : '(unresolved)' };
        }),
      };
      this.members.push({
        kind: 'client-vpn', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : this.groupsOf(r, groupsValue),
        accepts: PacketSet.EMPTY, acceptsText: 'nothing (clients connect out through it)', clientVpn, assumptions,
        placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })), groupingKey: r.key,
      });
    }
  }

  private readEks(): void {
    for (const r of this.resources('AWS::EKS::Cluster')) {
      const config = obj(this.prop(r, 'ResourcesVpcConfig')) ?? {};
      const subnets = list(config.SubnetIds).map((s) => this.subnetOf(r, s, 'The EKS control plane')).filter((s) => s !== undefined);
      const publicAccess = bool(config.EndpointPublicAccess) ?? true;
      const privateAccess = bool(config.EndpointPrivateAccess) ?? false;
      const cidrs = config.PublicAccessCidrs === undefined ? ['0.0.0.0/0'] : list(config.PublicAccessCidrs).map((c) => str(c) ?? '');
      let publicEndpoint: PacketSet | undefined;
      if (publicAccess) {
        publicEndpoint = PacketSet.EMPTY;
        for (const c of cidrs) {
          const range = cidrRange(c);
          if (range) publicEndpoint = publicEndpoint.union(PacketSet.box({ peer: range, protocol: TCP, port: [443, 443] }));
          else this.assume(`The public endpoint CIDR ${c} cannot be resolved.`, r);
        }
      }
      const groups = [this.eksClusterGroup(r.key), ...this.groupsOf(r, config.SecurityGroupIds)];
      this.members.push({
        kind: 'eks-control-plane', resource: r.ref, key: r.key, groups, refs: ['cluster/controlPlane'],
        accepts: privateAccess ? PacketSet.box({ protocol: TCP, port: [443, 443] }) : PacketSet.EMPTY,
        acceptsText: privateAccess ? 'tcp/443 (private API endpoint)' : 'nothing inside the VPC (private endpoint access is off)',
        publicEndpoint, placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })), groupingKey: r.key,
      });
    }
    for (const r of this.resources('AWS::EKS::Nodegroup')) {
      const clusterValue = this.prop(r, 'ClusterName');
      const clusterKey = tokenKey(clusterValue) ?? this.resources('AWS::EKS::Cluster').find((c) => str(this.prop(c, 'Name')) === str(clusterValue))?.key;
      const lt = this.launchTemplate(r, this.prop(r, 'LaunchTemplate'));
      const subnets = list(this.prop(r, 'Subnets')).map((s) => this.subnetOf(r, s, 'The node group')).filter((s) => s !== undefined);
      if (subnets.length === 0) continue;
      let groups: string[];
      if (lt.groups !== undefined && list(lt.groups).length > 0) {
        groups = this.groupsOf(r, lt.groups);
      } else if (clusterKey) {
        groups = [this.eksClusterGroup(clusterKey)];
      } else {
        groups = [this.groupKey(r, new Unknown('the EKS cluster security group of a cluster outside the templates'))!];
      }
      const remote = obj(this.prop(r, 'RemoteAccess'));
      if (remote && lt.resource === undefined) groups.push(this.remoteAccessGroup(r, remote));
      const scaling = obj(this.prop(r, 'ScalingConfig'));
      this.members.push({
        kind: 'eks-nodes', resource: r.ref, key: r.key, groups, refs: ['cluster/nodes'], accepts: PacketSet.ALL, acceptsText: 'any port (kubelet, NodePorts, pods)',
        count: num(scaling?.DesiredSize) ?? num(scaling?.MinSize) ?? 1, groupingKey: r.key,
        placements: subnets.map((subnet) => {
          const pub = this.publicIpOf(r.key, subnet, lt.associate);
          return { subnet, publicIp: pub.publicIp, publicIpBy: pub.by };
        }),
      });
    }
  }

  /** EKS opens SSH on managed nodes when RemoteAccess names a key: to its source groups, or to everyone. */
  private remoteAccessGroup(r: StackResource, remote: Record<string, Value>): string {
    const key = `${r.key}#remote-access-sg`;
    const sources = list(remote.SourceSecurityGroups);
    const base = { direction: 'in' as const, protocol: TCP, ports: [22, 22] as Range, resource: r.ref, assumption: undefined };
    const rules: SgRule[] = sources.length === 0
      ? [{ ...base, peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, description: 'EKS remote access: SSH from anywhere (no SourceSecurityGroups)', index: 0 }]
      : sources.map((s, i) => ({ ...base, peer: { kind: 'group' as const, key: this.groupKey(r, s)! }, description: 'EKS remote access: SSH', index: i }));
    this.groups.set(key, { key, name: `remote access group of ${r.logicalId}`, refs: [], rules, resource: r.ref, synthetic: 'created by EKS for RemoteAccess', opaque: undefined });
    return key;
  }

  private readLambdas(): void {
    for (const r of this.resources('AWS::Lambda::Function')) {
      const config = obj(this.prop(r, 'VpcConfig'));
      if (!config) continue;
      const subnets = list(config.SubnetIds).map((s) => this.subnetOf(r, s, 'The function')).filter((s) => s !== undefined);
      if (subnets.length === 0) continue;
      this.members.push({
        kind: 'lambda', resource: r.ref, key: r.key, groups: this.groupsOf(r, config.SecurityGroupIds), accepts: PacketSet.EMPTY,
        acceptsText: 'nothing (functions only call out)', placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })),
        groupingKey: r.key,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // load balancers

  private readLoadBalancers(): void {
    const targetGroups = new Map<string, TargetGroup>();
    for (const r of this.resources('AWS::ElasticLoadBalancingV2::TargetGroup')) targetGroups.set(r.key, this.targetGroup(r));
    const lbs = new Map<string, LoadBalancer>();
    for (const r of this.resources('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      const type = (str(this.prop(r, 'Type')) ?? 'application') as LoadBalancer['type'];
      const scheme = str(this.prop(r, 'Scheme')) === 'internal' ? 'internal' : 'internet-facing';
      const lb: LoadBalancer = { key: r.key, type, scheme, listeners: [], targetGroups: [] };
      lbs.set(r.key, lb);
      const mappings = list(this.prop(r, 'SubnetMappings')).map((m) => obj(m)?.SubnetId);
      const subnets = [...list(this.prop(r, 'Subnets')), ...mappings].map((s) => this.subnetOf(r, s, 'The load balancer')).filter((s) => s !== undefined);
      if (subnets.length === 0) {
        this.unplaced({ kind: 'load-balancer', resource: r.ref, key: r.key, groups: [], loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', explicitPublicIp: scheme === 'internet-facing' }, this.lastUnplaced);
        continue;
      }
      const groupsValue = this.prop(r, 'SecurityGroups');
      const groups = groupsValue !== undefined ? this.groupsOf(r, groupsValue) : type === 'application' ? [subnets[0]!.vpc.defaultGroup] : [];
      this.members.push({
        kind: 'load-balancer', resource: r.ref, key: r.key, groups, loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', groupingKey: r.key,
        placements: subnets.map((subnet) => ({
          subnet, publicIp: scheme === 'internet-facing' ? 'yes' as const : 'no' as const,
          publicIpBy: scheme === 'internet-facing' ? `Scheme: internet-facing on ${r.logicalId}` : undefined,
        })),
        explicitPublicIp: scheme === 'internet-facing',
      });
    }
    for (const r of this.resources('AWS::ElasticLoadBalancingV2::Listener')) {
      const lbKey = tokenKey(this.prop(r, 'LoadBalancerArn'));
      const lb = lbKey ? lbs.get(lbKey) : undefined;
      if (!lb) {
        this.assume('The listener belongs to a load balancer outside the templates; it is ignored.', r);
        continue;
      }
      const port = num(this.prop(r, 'Port'));
      const protocol = str(this.prop(r, 'Protocol')) ?? (lb.type === 'application' ? 'HTTP' : 'TCP');
      if (port === undefined) {
        this.assume('The listener port cannot be resolved; the listener is ignored.', r);
        continue;
      }
      const listener: Listener = { port, protocols: transportOf(protocol), protocolName: protocol, targetGroups: this.forwardTargets(this.prop(r, 'DefaultActions')), resource: r.ref };
      lb.listeners.push(listener);
      this.listeners.set(r.key, { lb: lb.key, listener });
    }
    for (const r of this.resources('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      const found = this.listeners.get(tokenKey(this.prop(r, 'ListenerArn')) ?? '');
      if (found) found.listener.targetGroups.push(...this.forwardTargets(this.prop(r, 'Actions')));
    }
    for (const lb of lbs.values()) {
      const keys = new Set(lb.listeners.flatMap((l) => l.targetGroups));
      lb.targetGroups.push(...[...keys].map((k) => targetGroups.get(k)).filter((t) => t !== undefined));
    }
    // Auto scaling groups register their instances with target groups themselves.
    for (const r of this.resources('AWS::AutoScaling::AutoScalingGroup')) {
      for (const tg of list(this.prop(r, 'TargetGroupARNs'))) {
        const group = targetGroups.get(tokenKey(tg) ?? '');
        group?.targets.push({ classKey: r.key, port: group.targets[0]?.port ?? num(this.prop(this.resolver.resource(tokenKey(tg)!)!, 'Port')) ?? 80 });
      }
    }
    this.readClassicLoadBalancers();
    this.finishLoadBalancerMembers();
  }

  private forwardTargets(actions: Value | undefined): string[] {
    const out: string[] = [];
    for (const a of list(actions).map(obj)) {
      if (!a || str(a.Type) !== 'forward') continue;
      const direct = tokenKey(a.TargetGroupArn);
      if (direct) out.push(direct);
      for (const t of list(obj(a.ForwardConfig)?.TargetGroups)) {
        const k = tokenKey(obj(t)?.TargetGroupArn);
        if (k) out.push(k);
      }
    }
    return out;
  }

  private targetGroup(r: StackResource): TargetGroup {
    const targetType = str(this.prop(r, 'TargetType')) ?? 'instance';
    const port = num(this.prop(r, 'Port'));
    const protocol = str(this.prop(r, 'Protocol'));
    const attributes = Object.fromEntries(list(this.prop(r, 'TargetGroupAttributes')).map((a) => [str(obj(a)?.Key) ?? '', str(obj(a)?.Value) ?? '']));
    const preserveDefault = targetType === 'instance' || targetType === 'alb' || (protocol ?? '').toUpperCase().includes('UDP');
    const preserveClientIp = attributes['preserve_client_ip.enabled'] === undefined ? preserveDefault : attributes['preserve_client_ip.enabled'] === 'true';
    const healthPort = str(this.prop(r, 'HealthCheckPort'));
    const targets: TargetGroup['targets'] = [];
    for (const t of list(this.prop(r, 'Targets')).map(obj)) {
      const id = t?.Id;
      const key = tokenKey(id);
      const targetPort = num(t?.Port) ?? port;
      if (key && targetPort !== undefined) targets.push({ classKey: key, port: targetPort });
      else if (targetType !== 'lambda') this.assume(`The target ${reasonOf(id)} is not a resource in the templates; traffic to it is not analysed.`, r);
    }
    return {
      key: r.key, name: r.logicalId, targetType, protocols: transportOf(protocol), targets, preserveClientIp, resource: r.ref,
      healthCheckPort: healthPort === undefined || healthPort === 'traffic-port' ? undefined : num(healthPort),
    };
  }

  private readClassicLoadBalancers(): void {
    for (const r of this.resources('AWS::ElasticLoadBalancing::LoadBalancer')) {
      const scheme = str(this.prop(r, 'Scheme')) === 'internal' ? 'internal' : 'internet-facing';
      const subnets = list(this.prop(r, 'Subnets')).map((s) => this.subnetOf(r, s, 'The classic load balancer')).filter((s) => s !== undefined);
      if (subnets.length === 0) {
        this.assume('The classic load balancer names no subnets (EC2-Classic or the default VPC); it is not analysed.', r);
        continue;
      }
      const instances = list(this.prop(r, 'Instances')).map(tokenKey).filter((k) => k !== undefined);
      const lb: LoadBalancer = { key: r.key, type: 'classic', scheme, listeners: [], targetGroups: [] };
      for (const [i, l] of list(this.prop(r, 'Listeners')).map(obj).entries()) {
        const port = num(l?.LoadBalancerPort);
        const instancePort = num(l?.InstancePort);
        if (port === undefined || instancePort === undefined) continue;
        const tg: TargetGroup = {
          key: `${r.key}#listener${i}`, name: `${r.logicalId} port ${instancePort}`, targetType: 'instance', protocols: transportOf(str(l?.InstanceProtocol)),
          targets: instances.map((k) => ({ classKey: k, port: instancePort })), healthCheckPort: undefined, preserveClientIp: false, resource: r.ref,
        };
        lb.targetGroups.push(tg);
        lb.listeners.push({ port, protocols: transportOf(str(l?.Protocol)), protocolName: str(l?.Protocol) ?? 'TCP', targetGroups: [tg.key], resource: r.ref });
      }
      const groupsValue = this.prop(r, 'SecurityGroups');
      this.members.push({
        kind: 'load-balancer', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : this.groupsOf(r, groupsValue),
        loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', groupingKey: r.key, explicitPublicIp: scheme === 'internet-facing',
        placements: subnets.map((subnet) => ({ subnet, publicIp: scheme === 'internet-facing' ? 'yes' as const : 'no' as const, publicIpBy: scheme === 'internet-facing' ? `Scheme: internet-facing on ${r.logicalId}` : undefined })),
      });
    }
  }

  /** A load balancer accepts exactly its listeners' ports; set once the listeners are read. */
  private finishLoadBalancerMembers(): void {
    for (const [i, m] of this.members.entries()) {
      if (!m.loadBalancer) continue;
      let accepts = PacketSet.EMPTY;
      for (const l of m.loadBalancer.listeners) for (const p of l.protocols) accepts = accepts.union(PacketSet.box({ protocol: p, port: [l.port, l.port] }));
      const text = m.loadBalancer.listeners.map((l) => `${l.protocolName} ${l.port}`).join(', ') || 'nothing (no listeners)';
      this.members[i] = { ...m, accepts, acceptsText: `listeners ${text}` };
    }
  }

  // ---------------------------------------------------------------------------------------------

  private readUnmodelled(): void {
    for (const [type, resources] of this.byType) {
      if (MODELLED.has(type) || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') continue;
      const networked = resources.filter((r) => /"(SubnetIds?|Subnets|SecurityGroupIds|SecurityGroups|VpcConfig|VPCOptions|VpcId|NetworkConfiguration)"/.test(JSON.stringify(r.body.Properties ?? {})));
      const nested = type === 'AWS::CloudFormation::Stack';
      if (networked.length === 0 && !nested) continue;
      const rs = nested ? resources : networked;
      this.unmodelled.set(type, rs.map((r) => r.ref));
      for (const r of rs) {
        this.assume(nested
          ? 'Nested stacks are not read; pass their templates to verify as well.'
          : `${type} is not modelled; its network interfaces are not analysed.`, r);
      }
    }
  }

  private groupClasses(): EniClass[] {
    const byKey = new Map<string, Member[]>();
    for (const m of this.members) {
      // Interfaces are interchangeable when they carry the same groups: across subnets when the groups name
      // one spec endpoint (servers/web spread over AZs), else only within one subnet.
      const refs = [...(m.refs ?? []), ...m.groups.flatMap((g) => this.groups.get(g)?.refs ?? [])];
      const where = refs.length > 0 ? '' : m.placements.map((p) => `${p.subnet.key}:${p.publicIp}`).sort().join(',');
      const key = m.groupingKey ?? `${m.kind}|${[...m.groups].sort().join(',')}|${m.explicitPublicIp ? 'public' : ''}|${refs.join(',')}|${where}`;
      byKey.set(key, [...(byKey.get(key) ?? []), m]);
    }
    const classes: EniClass[] = [];
    for (const [key, ms] of byKey) {
      const first = ms[0]!;
      const refs = [...new Set([...(first.refs ?? []), ...first.groups.flatMap((g) => this.groups.get(g)?.refs ?? [])])];
      const placements: Placement[] = [];
      for (const p of ms.flatMap((m) => m.placements)) {
        if (!placements.some((q) => q.subnet === p.subnet && q.publicIp === p.publicIp)) placements.push(p);
      }
      const resources = ms.map((m) => m.resource);
      const classKey = ms.length === 1 ? first.key : key;
      const cls: EniClass = {
        key: classKey, kind: first.kind, name: nameOfClass(refs, resources), refs, resources, placements,
        groups: first.groups, count: ms.reduce((n, m) => n + (m.count ?? 1), 0), accepts: first.accepts, acceptsText: first.acceptsText,
        loadBalancer: first.loadBalancer, clientVpn: first.clientVpn, publicEndpoint: first.publicEndpoint,
        explicitPublicIp: ms.some((m) => m.explicitPublicIp === true), workload: undefined,
        assumptions: ms.flatMap((m) => m.assumptions ?? []),
      };
      classes.push(cls);
      for (const m of ms) this.classOfMember.set(m.key, classKey);
    }
    // Target groups name instances (and auto scaling groups, load balancers); point them at classes.
    for (const cls of classes) {
      for (const tg of cls.loadBalancer?.targetGroups ?? []) {
        const resolved = tg.targets.map((t) => ({ ...t, classKey: this.resolveMember(t.classKey) })).filter((t) => t.classKey !== undefined) as TargetGroup['targets'];
        (tg.targets as TargetGroup['targets'][number][]).splice(0, tg.targets.length, ...dedupeTargets(resolved));
      }
    }
    return classes;
  }

  private resolveMember(key: string): string | undefined {
    return this.classOfMember.get(key);
  }
}

function dedupeTargets(targets: TargetGroup['targets']): TargetGroup['targets'] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const id = `${t.classKey}:${t.port}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function nameOfClass(refs: readonly string[], resources: readonly ResourceRef[]): string {
  if (refs.length > 0) return refs.join(' + ');
  const ids = resources.map((r) => r.logicalId);
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`;
}

/** What tags and names say a subnet is meant to be. */
function declaredTierOf(t: Readonly<Record<string, string>>, name: string): Subnet['declaredTier'] {
  const cdk = t['aws-cdk:subnet-type']?.toLowerCase();
  if (cdk === 'public' || cdk === 'private' || cdk === 'isolated') return { tier: cdk, source: `tag aws-cdk:subnet-type=${t['aws-cdk:subnet-type']}` };
  if (t['kubernetes.io/role/internal-elb'] === '1') return { tier: 'private', source: 'tag kubernetes.io/role/internal-elb=1' };
  if (t['kubernetes.io/role/elb'] === '1') return { tier: 'public', source: 'tag kubernetes.io/role/elb=1' };
  if (/isolated/i.test(name)) return { tier: 'isolated', source: `its name "${name}"` };
  if (/private/i.test(name)) return { tier: 'private', source: `its name "${name}"` };
  if (/public/i.test(name)) return { tier: 'public', source: `its name "${name}"` };
  return undefined;
}

function formatRangeCidr(lo: number, hi: number): string {
  const size = hi - lo + 1;
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && lo % size === 0) {
    return `${[24, 16, 8, 0].map((s) => (lo >>> s) & 255).join('.')}/${32 - bits}`;
  }
  return `${[24, 16, 8, 0].map((s) => (lo >>> s) & 255).join('.')}-${[24, 16, 8, 0].map((s) => (hi >>> s) & 255).join('.')}`;
}

/** A literal id (`subnet-…`, `vpc-…`) the spec states as existing: its model key. */
function literalKey(v: Value | undefined): string | undefined {
  return typeof v === 'string' && /^(subnet|vpc)-[0-9a-f]+$/.test(v) ? statedKey(v) : undefined;
}

/**
 * The state every family reader of the model builder shares: the resolved templates by type, the
 * model being filled in, and the helpers that turn references into model keys (recording an
 * assumption whenever one cannot be resolved).
 */
import { Assumptions, type ResourceRef } from '../assumptions.js';
import { Resolver, ResourceToken, type StackResource, type Value } from '../resolve.js';
import type { StackTemplate } from '../../input/templates.js';
import { cidrRange, PacketSet, PROTOCOL, type Range } from '../packets.js';
import type { K8sModel } from '../k8s-types.js';
import type { ClassKind, ClientVpnEndpoint, Gateway, LoadBalancer, Listener, Nacl, NatGateway, Placement, Route, RouteTable, SecurityGroup, SgPeer, Subnet, TargetGroup, Tier, Vpc } from '../types.js';
import { list, reasonOf, str, tags, tokenKey } from '../values.js';
import { statedKey, type StatedNetwork, type TrustedGroup } from '../stated-network.js';
export interface BuildOptions {
  /** Subnet tiers the spec declares, by CIDR (from the plan); they override what tags and names suggest. */
  readonly declaredTiers?: readonly { readonly cidr: string; readonly tier: Tier; readonly name: string }[];
  /** Kubernetes objects read from rendered manifests. */
  readonly k8s?: K8sModel;
  /** An existing VPC and subnets the spec states, which the templates name by id but do not hold. */
  readonly stated?: StatedNetwork;
  /** Existing security groups the spec trusts, which rules in the templates name by id. */
  readonly trusted?: readonly TrustedGroup[];
}

export const ALL_PORTS: Range = [0, 65535];
export const ALL_PROTOCOLS: Range = [0, 255];
export const TCP: Range = [PROTOCOL.tcp, PROTOCOL.tcp];

/** Default ports of RDS engines, when the template names none. */
export const ENGINE_PORTS: readonly [RegExp, number][] = [[/mysql|mariadb/, 3306], [/postgres/, 5432], [/oracle/, 1521], [/sqlserver/, 1433], [/db2/, 50000]];

/** Types with a network presence that the model reads. Anything else holding subnets or groups is reported. */
export const MODELLED = new Set([
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
  'AWS::EC2::FlowLog', 'Custom::AWSCDK-EKS-Cluster', 'AWS::EKS::Addon', 'AWS::EKS::AccessEntry', 'AWS::EKS::PodIdentityAssociation',
]);


export interface Member {
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

export class ModelBuilder {
  public readonly assumptions = new Assumptions();
  public readonly resolver: Resolver;
  public readonly vpcs = new Map<string, Vpc>();
  public readonly subnets = new Map<string, Subnet>();
  public readonly routeTables = new Map<string, RouteTable>();
  public readonly nacls = new Map<string, Nacl>();
  public readonly groups = new Map<string, SecurityGroup>();
  public readonly gateways = new Map<string, Gateway>();
  public readonly natGateways = new Map<string, NatGateway>();
  public readonly routers = new Map<string, { name: string; resource: ResourceRef | undefined }>();
  public readonly members: Member[] = [];
  /** Resource key of an instance / interface / load balancer → key of its class. */
  public readonly classOfMember = new Map<string, string>();
  /** Interfaces that are an instance's primary interface (modelled with the instance). */
  public readonly attachedInterfaces = new Set<string>();
  /** Instance or interface key → the Elastic IP resource giving it a public address. */
  public readonly elasticIps = new Map<string, ResourceRef>();
  public readonly unmodelled = new Map<string, ResourceRef[]>();
  /** The assumption recorded for the last subnet that could not be found. */
  public lastUnplaced: string | undefined;
  public readonly byType = new Map<string, StackResource[]>();
  public readonly listeners = new Map<string, { lb: string; listener: Listener }>();

  public constructor(templates: readonly StackTemplate[], public readonly options: BuildOptions) {
    this.resolver = new Resolver(templates, this.assumptions);
    for (const r of this.resolver.all()) {
      const included = this.resolver.included(r);
      if (included === false) continue;
      if (included === undefined) {
        this.assumptions.add(`Its Condition "${r.body.Condition}" cannot be decided before deployment; verify assumes it is created.`, r.ref);
      }
      const type = r.body?.Type ?? '';
      // Appended in place: copying the list per resource was quadratic (775 MB copied at 10,000 resources).
      const list = this.byType.get(type);
      if (list) list.push(r);
      else this.byType.set(type, [r]);
    }
  }


  // ---------------------------------------------------------------------------------------------
  // helpers

  public resources(type: string): StackResource[] {
    return this.byType.get(type) ?? [];
  }

  public prop(r: StackResource, name: string): Value | undefined {
    return this.resolver.property(r, name);
  }

  public assume(text: string, r?: StackResource | ResourceRef): string {
    return this.assumptions.add(text, r && 'ref' in r ? r.ref : r);
  }

  public nameOf(r: StackResource): string {
    return tags(this.prop(r, 'Tags')).Name ?? r.logicalId;
  }

  /** The VPC a value names, or undefined with an assumption. */
  public vpcOf(r: StackResource, v: Value | undefined, what: string): Vpc | undefined {
    const key = tokenKey(v) ?? literalKey(v);
    const vpc = key ? this.vpcs.get(key) : undefined;
    if (!vpc && v !== undefined) this.assume(`${what} names the VPC ${reasonOf(v)}, which is not in the templates; it is left out of the model.`, r);
    return vpc;
  }

  public subnetOf(r: StackResource, v: Value | undefined, what = 'It'): Subnet | undefined {
    const key = tokenKey(v) ?? literalKey(v);
    const subnet = key ? this.subnets.get(key) : undefined;
    if (!subnet) this.lastUnplaced = this.assume(`${what} is placed in a subnet verify cannot find in the templates (${reasonOf(v)}); where it sits, and so who reaches it, is unknown.`, r);
    return subnet;
  }

  /**
   * A resource whose subnet is unknown still counts: as a class without placements, which the engine
   * answers "unknown" for, so no check passes over it silently.
   */
  public unplaced(member: Omit<Member, 'placements' | 'assumptions'>, assumption: string | undefined): void {
    this.members.push({ ...member, placements: [], assumptions: assumption ? [assumption] : [], groupingKey: member.key });
  }

  /** Security group keys a list names; a group outside the templates becomes an opaque placeholder. */
  public groupsOf(r: StackResource, v: Value | undefined): string[] {
    return list(v).map((g) => this.groupKey(r, g)).filter((k): k is string => k !== undefined);
  }

  public groupKey(r: StackResource, v: Value): string | undefined {
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

  public eksClusterGroup(clusterKey: string): string {
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

  public cidr(r: StackResource, v: Value | undefined, what: string): { range: Range; text: string } | { unknown: string } {
    const text = str(v);
    const range = text === undefined ? undefined : cidrRange(text);
    if (text !== undefined && range) return { range, text };
    return { unknown: this.assume(`${what} cannot be resolved to addresses: ${reasonOf(v)}.`, r) };
  }

  // ---------------------------------------------------------------------------------------------
  // VPCs, gateways, subnets








  // ---------------------------------------------------------------------------------------------
  // security groups




  // ---------------------------------------------------------------------------------------------
  // NAT and public addresses




  // ---------------------------------------------------------------------------------------------
  // hosts






  // ---------------------------------------------------------------------------------------------
  // data stores, endpoints, VPN, EKS, Lambda








  // ---------------------------------------------------------------------------------------------
  // load balancers






  // ---------------------------------------------------------------------------------------------



}

export function dedupeTargets(targets: TargetGroup['targets']): TargetGroup['targets'] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const id = `${t.classKey}:${t.port}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function nameOfClass(refs: readonly string[], resources: readonly ResourceRef[]): string {
  if (refs.length > 0) return refs.join(' + ');
  const ids = resources.map((r) => r.logicalId);
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`;
}

/** What tags and names say a subnet is meant to be. */
export function declaredTierOf(t: Readonly<Record<string, string>>, name: string): Subnet['declaredTier'] {
  const cdk = t['aws-cdk:subnet-type']?.toLowerCase();
  if (cdk === 'public' || cdk === 'private' || cdk === 'isolated') return { tier: cdk, source: `tag aws-cdk:subnet-type=${t['aws-cdk:subnet-type']}` };
  if (t['kubernetes.io/role/internal-elb'] === '1') return { tier: 'private', source: 'tag kubernetes.io/role/internal-elb=1' };
  if (t['kubernetes.io/role/elb'] === '1') return { tier: 'public', source: 'tag kubernetes.io/role/elb=1' };
  if (/isolated/i.test(name)) return { tier: 'isolated', source: `its name "${name}"` };
  if (/private/i.test(name)) return { tier: 'private', source: `its name "${name}"` };
  if (/public/i.test(name)) return { tier: 'public', source: `its name "${name}"` };
  return undefined;
}

export function formatRangeCidr(lo: number, hi: number): string {
  const size = hi - lo + 1;
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && lo % size === 0) {
    return `${[24, 16, 8, 0].map((s) => (lo >>> s) & 255).join('.')}/${32 - bits}`;
  }
  return `${[24, 16, 8, 0].map((s) => (lo >>> s) & 255).join('.')}-${[24, 16, 8, 0].map((s) => (hi >>> s) & 255).join('.')}`;
}

/** A literal id (`subnet-…`, `vpc-…`) the spec may state as existing: its model key. */
function literalKey(v: Value | undefined): string | undefined {
  return typeof v === 'string' && /^(subnet|vpc)-[0-9a-f]+$/.test(v) ? statedKey(v) : undefined;
}

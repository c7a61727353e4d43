/**
 * The network model verify reasons about: plain data built from templates (and manifests), with
 * no knowledge of how it was built. Every network interface lives in a subnet and belongs to a
 * class of identical interfaces (same subnets, groups, public addressing).
 */
import type { Assumption, ResourceRef } from './assumptions.js';
import type { PacketSet, Range } from './packets.js';
import type { K8sModel } from './k8s-types.js';

export interface Vpc {
  readonly key: string;
  readonly name: string;
  readonly ranges: Range[];
  /** Every address of the VPC, on the peer axis. */
  addresses: PacketSet;
  /** Attached internet gateway, if any. */
  igw: Gateway | undefined;
  /** Attached virtual private gateway, if any. */
  vgw: Gateway | undefined;
  readonly mainRouteTable: RouteTable;
  readonly defaultNacl: Nacl;
  /** Key of the VPC's default security group (used by interfaces that name none). */
  readonly defaultGroup: string;
  readonly resource: ResourceRef | undefined;
}

export interface Gateway {
  readonly key: string;
  readonly kind: 'igw' | 'vgw';
  readonly name: string;
  readonly resource: ResourceRef | undefined;
  /** vgw: the networks behind its VPN connections (static routes). */
  remote: PacketSet;
  /** vgw: some connection uses BGP, so it may learn networks the template does not list. */
  dynamic: boolean;
}

export type Tier = 'public' | 'private' | 'isolated';

export interface Subnet {
  readonly key: string;
  readonly name: string;
  readonly vpc: Vpc;
  readonly range: Range;
  readonly cidr: string;
  readonly addresses: PacketSet;
  readonly az: string | undefined;
  readonly mapPublicIp: boolean;
  routeTable: RouteTable;
  nacl: Nacl;
  /** What the subnet is meant to be, and who says so (a tag, its name, or the spec). */
  declaredTier: { readonly tier: Tier; readonly source: string } | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly resource: ResourceRef | undefined;
}

export type RouteTargetKind =
  | 'local' | 'igw' | 'nat' | 'vgw' | 'tgw' | 'peering' | 'gateway-endpoint' | 'instance' | 'eni'
  | 'egress-only' | 'other' | 'unknown';

export interface Route {
  /** Destination addresses; undefined for a prefix list (AWS-managed ranges). */
  readonly destination: Range | undefined;
  readonly destinationText: string;
  readonly target: { readonly kind: RouteTargetKind; readonly key: string | undefined; readonly name: string };
  /** Learned from a VPN gateway rather than written as a route. */
  readonly propagated: boolean;
  readonly resource: ResourceRef | undefined;
  readonly assumption: string | undefined;
}

export interface RouteTable {
  readonly key: string;
  readonly name: string;
  readonly vpcKey: string;
  readonly routes: Route[];
  /** false for the VPC's main route table, which subnets use when no association names a table. */
  readonly explicit: boolean;
  readonly resource: ResourceRef | undefined;
  /** Route table learns from this VPN gateway (route propagation). */
  propagatesFrom: string[];
}

export interface NaclEntry {
  readonly ruleNumber: number;
  readonly allow: boolean;
  readonly egress: boolean;
  readonly protocol: Range;
  readonly ports: Range;
  /** Undefined when the CIDR could not be resolved. */
  readonly range: Range | undefined;
  readonly cidr: string;
  readonly resource: ResourceRef | undefined;
  readonly assumption: string | undefined;
}

export interface Nacl {
  readonly key: string;
  readonly name: string;
  /** The VPC's default network ACL: allows everything both ways. */
  readonly isDefault: boolean;
  readonly entries: NaclEntry[];
  readonly resource: ResourceRef | undefined;
}

export type SgPeer =
  | { readonly kind: 'cidr'; readonly range: Range; readonly text: string }
  | { readonly kind: 'group'; readonly key: string }
  | { readonly kind: 'prefix-list'; readonly id: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface SgRule {
  readonly direction: 'in' | 'out';
  readonly peer: SgPeer;
  readonly protocol: Range;
  readonly ports: Range;
  readonly description: string | undefined;
  /** The resource that holds the rule: the group itself (inline) or an ingress/egress resource. */
  readonly resource: ResourceRef | undefined;
  /** Position among the group's inline rules, for "rule #2". */
  readonly index: number;
  readonly assumption: string | undefined;
}

export interface SecurityGroup {
  readonly key: string;
  readonly name: string;
  /** Spec references of the endpoint it belongs to (plinth: tag or description), e.g. `db/main`. */
  readonly refs: string[];
  readonly rules: SgRule[];
  readonly resource: ResourceRef | undefined;
  /** Why the model made it up (a default, EKS-created or imported group). */
  readonly synthetic: string | undefined;
  /** Its rules are unknown (imported); it may allow anything. */
  readonly opaque: string | undefined;
  /** Its `Name` tag: the AWS Load Balancer Controller finds groups named in annotations by it. */
  readonly nameTag?: string | undefined;
  /** The VPC it is created in, when the templates hold it. */
  readonly vpcKey?: string | undefined;
}

export type PublicIp = 'yes' | 'no' | 'unknown';

export interface Placement {
  readonly subnet: Subnet;
  readonly publicIp: PublicIp;
  /** How the public address comes about: `Elastic IP HostsBastionEip`, `subnet MapPublicIpOnLaunch`. */
  readonly publicIpBy: string | undefined;
}

export type ClassKind =
  | 'instance' | 'auto-scaling-group' | 'network-interface' | 'load-balancer' | 'database' | 'file-system'
  | 'interface-endpoint' | 'client-vpn' | 'eks-control-plane' | 'eks-nodes' | 'lambda' | 'pods';

export interface Listener {
  readonly port: number;
  readonly protocols: readonly Range[];
  readonly protocolName: string;
  readonly targetGroups: string[];
  readonly resource: ResourceRef | undefined;
}

export interface TargetGroup {
  readonly key: string;
  readonly name: string;
  readonly targetType: string;
  readonly protocols: readonly Range[];
  /** `portUnknown`: the assumption saying the target port is not known (`port` is then only indicative). */
  readonly targets: { readonly classKey: string; readonly port: number; readonly portUnknown?: string }[];
  readonly healthCheckPort: number | undefined;
  readonly preserveClientIp: boolean;
  readonly resource: ResourceRef | undefined;
}

export interface LoadBalancer {
  readonly key: string;
  readonly type: 'application' | 'network' | 'gateway' | 'classic';
  readonly scheme: 'internet-facing' | 'internal';
  readonly listeners: Listener[];
  readonly targetGroups: TargetGroup[];
  /** The Ingresses (`namespace/name`) it serves, for a load balancer of the AWS Load Balancer Controller. */
  readonly ingresses?: readonly string[];
}

export interface ClientVpnEndpoint {
  readonly clientRange: Range;
  readonly clientCidr: string;
  readonly authorizations: { readonly range: Range | undefined; readonly cidr: string; readonly allGroups: boolean; readonly resource: ResourceRef | undefined }[];
  readonly routes: { readonly range: Range | undefined; readonly cidr: string }[];
}

export interface EniClass {
  readonly key: string;
  readonly kind: ClassKind;
  /** How reports name it: a spec reference when known, else the logical id. */
  name: string;
  /** Spec references that select it (`servers/web`, `cluster/nodes`, `apps/frontend`). */
  readonly refs: string[];
  readonly resources: ResourceRef[];
  readonly placements: Placement[];
  readonly groups: string[];
  /** Instances in the class (an instance group, an auto scaling group's desired capacity). */
  readonly count: number;
  /** Packets it answers as a destination (peer axis unrestricted): listeners, a database port, any port of a host. */
  readonly accepts: PacketSet;
  readonly acceptsText: string;
  readonly loadBalancer: LoadBalancer | undefined;
  readonly clientVpn: ClientVpnEndpoint | undefined;
  /** EKS: a public API endpoint outside the VPC, open to these peers on tcp/443. */
  readonly publicEndpoint: PacketSet | undefined;
  /** The template gives it a public address explicitly (Elastic IP, AssociatePublicIpAddress), not by subnet default. */
  readonly explicitPublicIp: boolean;
  /** Pods: the key of the node class they run on (they use its security groups and subnets). */
  readonly runsOn?: string | undefined;
  /** Kubernetes workload behind the class (pods), if any; `labels` undefined when the manifests do not give them. */
  readonly workload: { readonly namespace: string; readonly name: string; readonly labels: Readonly<Record<string, string>> | undefined } | undefined;
  readonly assumptions: string[];
}

export interface NatGateway {
  readonly key: string;
  readonly name: string;
  readonly subnet: Subnet | undefined;
  readonly vpcKey: string | undefined;
  readonly isPublic: boolean;
  readonly resource: ResourceRef | undefined;
}

export interface Model {
  readonly vpcs: Map<string, Vpc>;
  readonly subnets: Map<string, Subnet>;
  readonly routeTables: Map<string, RouteTable>;
  readonly nacls: Map<string, Nacl>;
  readonly groups: Map<string, SecurityGroup>;
  readonly classes: EniClass[];
  readonly natGateways: Map<string, NatGateway>;
  /** Instances and interfaces that forward traffic (source/destination check off). */
  readonly routers: Map<string, { readonly name: string; readonly resource: ResourceRef | undefined }>;
  readonly k8s: K8sModel | undefined;
  readonly assumptions: readonly Assumption[];
  /** Resources of types verify does not model, by type. */
  readonly unmodelled: ReadonlyMap<string, readonly ResourceRef[]>;
}

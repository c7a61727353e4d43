/**
 * The VPC exactly as planned: explicit AZ names and CIDRs (never a look-up, so the template is the
 * same on every machine), one route table per subnet, NAT as the plan places it, flow logs, endpoints,
 * VPNs and every security group. The other stacks see it only through `PlatformNetwork`.
 *
 * In an existing VPC (network.vpcId) the VPC and its subnets are imported from the ids, CIDRs and AZs
 * the spec states (`Vpc.fromVpcAttributes`, `Subnet.fromSubnetAttributes`: no look-up, no resource):
 * plinth adds only what it owns there, the security groups, flow logs and endpoints; no subnet,
 * gateway, NAT, route or subnet tag.
 */
import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClientVpnPlan, NetworkPlan, SubnetPlan, TierPlan } from '../plan/types.js';
import { ClientVpn } from './client-vpn.js';
import { constructIdOf } from './construct-id.js';
import type { PlatformNetwork } from './platform-network.js';
import { SecurityGroups, type SecurityGroupsProps } from './security-groups.js';
import { SiteVpns } from './site-vpn.js';
import { TransitGatewayRoutes } from './transit-gateway.js';
import { VpcEndpoints } from './vpc-endpoints.js';
import { acknowledge } from './acknowledge.js';

export interface NetworkProps {
  /** The VPC, its tiers, NAT, endpoints and VPNs as planned. */
  readonly network: NetworkPlan;
  /** Prefix of Name tags, e.g. `nemo` (base environment) or `nemo-dev`. */
  readonly namePrefix: string;
  /** The Client VPN endpoint and its name. @default - none */
  readonly clientVpn?: { readonly plan: ClientVpnPlan; readonly name: string } | undefined;
  /** What the security groups are made from: the endpoints that own one, and the flows between them. */
  readonly securityGroups: Omit<SecurityGroupsProps, 'vpc'>;
}

/** Subnet tags the AWS Load Balancer Controller uses to pick subnets for Services and Ingresses. */
const ELB_ROLE_TAG = { public: 'kubernetes.io/role/elb', private: 'kubernetes.io/role/internal-elb', isolated: 'kubernetes.io/role/internal-elb' } as const;

export class Network extends Construct implements PlatformNetwork {
  public readonly vpc: ec2.IVpc;
  /** The L1 VPC, for properties the imported `vpc` cannot carry (tags, DNS settings); undefined in an existing VPC. */
  public readonly cfnVpc: ec2.CfnVPC | undefined;
  /** Plan subnet ids by tier name, in AZ order. */
  private readonly tiers = new Map<string, readonly string[]>();
  private readonly subnets = new Map<string, ec2.ISubnet>();
  private readonly securityGroups: SecurityGroups;
  private readonly endpoints: VpcEndpoints;

  public constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const net = props.network;
    const prefix = props.namePrefix;

    this.cfnVpc = net.existingVpcId ? undefined : new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: net.cidr,
      enableDnsSupport: net.dnsSupport,
      enableDnsHostnames: net.dnsHostnames,
    });
    if (this.cfnVpc) Tags.of(this.cfnVpc).add('Name', `${prefix}-vpc`);
    // Only the id, CIDR and AZs: subnet lists would force every tier into every AZ, and plinth's tiers
    // may be uneven (public in two AZs, private in three). Subnets are handed out by subnetsOf().
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'VpcAttributes', {
      vpcId: this.cfnVpc?.ref ?? net.existingVpcId!,
      vpcCidrBlock: net.cidr,
      availabilityZones: [...net.azs],
    });

    if (this.cfnVpc) {
      const internetGateway = net.tiers.some((t) => t.type === 'public') ? this.addInternetGateway(this.cfnVpc, prefix) : undefined;
      for (const tier of net.tiers) {
        for (const subnet of tier.subnets) this.addSubnet(this.cfnVpc, tier, subnet, prefix, net.clusterNames, internetGateway);
      }
      this.addNatRoutes(this.cfnVpc, net, prefix, internetGateway?.attachment);
    } else {
      for (const subnet of net.tiers.flatMap((t) => t.subnets)) this.importSubnet(subnet);
    }
    for (const tier of net.tiers) this.tiers.set(tier.name, tier.subnets.map((s) => s.id));
    this.addFlowLogs(net, prefix);

    this.securityGroups = new SecurityGroups(this, 'SecurityGroups', { ...props.securityGroups, vpc: this.vpc });

    this.endpoints = new VpcEndpoints(this, 'Endpoints', {
      vpc: this.vpc,
      gatewayServices: net.gatewayEndpoints,
      routedSubnets: [...this.subnets.values()],
      interfaceServices: net.interfaceEndpoints,
      interfaceSubnets: net.interfaceEndpointTier ? this.subnetsOf(net.interfaceEndpointTier) : undefined,
      interfaceSecurityGroup: net.interfaceEndpoints.length > 0 ? this.securityGroup('vpc-endpoints') : undefined,
    });

    if (net.vpns.length > 0) {
      new SiteVpns(this, 'SiteVpns', {
        vpcId: this.vpc.vpcId,
        vpns: net.vpns,
        routeTablesOf: (tier) => this.subnetsOf(tier).map((s) => s.routeTable.routeTableId),
        namePrefix: prefix,
      });
    }

    if (net.transitGateway) {
      new TransitGatewayRoutes(this, 'TransitGateway', {
        vpcId: this.vpc.vpcId,
        transitGateway: net.transitGateway,
        attachmentSubnets: this.subnetsOf(net.transitGateway.tier),
        routedSubnets: this.subnetsById(net.transitGateway.routeTiers),
        namePrefix: prefix,
      });
    }

    if (props.clientVpn) {
      new ClientVpn(this, 'ClientVpn', {
        vpcId: this.vpc.vpcId,
        vpcCidr: net.cidr,
        clientVpn: props.clientVpn.plan,
        subnets: this.subnetsById([props.clientVpn.plan.tier]),
        securityGroup: this.securityGroup('vpn'),
        name: props.clientVpn.name,
      });
    }
  }

  public subnetsOf(tier: string): ec2.ISubnet[] {
    return this.subnetIdsOf(tier).map((id) => this.subnet(id));
  }

  public subnet(id: string): ec2.ISubnet {
    const subnet = this.subnets.get(id);
    if (!subnet) {
      throw new Error(`E_UNKNOWN_SUBNET: the network has no subnet "${id}". Subnets: ${[...this.subnets.keys()].join(', ') || 'none'}. Use a SubnetPlan.id from the plan.`);
    }
    return subnet;
  }

  /** The interface endpoint of a service (`s3`, `eks`, ...), if the plan has one. */
  public interfaceEndpoint(service: string): ec2.InterfaceVpcEndpoint | undefined {
    return this.endpoints.interfaceEndpoints.get(service);
  }

  public securityGroup(ref: string): ec2.ISecurityGroup {
    return this.securityGroups.get(ref);
  }

  private addInternetGateway(vpc: ec2.CfnVPC, prefix: string): { gateway: ec2.CfnInternetGateway; attachment: ec2.CfnVPCGatewayAttachment } {
    const gateway = new ec2.CfnInternetGateway(this, 'InternetGateway');
    Tags.of(gateway).add('Name', `${prefix}-igw`);
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
      vpcId: vpc.ref,
      internetGatewayId: gateway.ref,
    });
    return { gateway, attachment };
  }

  /** A subnet that exists already: its stated id, AZ, CIDR and (if given) route table, nothing created. */
  private importSubnet(plan: SubnetPlan): void {
    this.subnets.set(plan.id, ec2.Subnet.fromSubnetAttributes(this, constructIdOf(plan.id), {
      subnetId: plan.existing!.subnetId,
      availabilityZone: plan.az,
      ipv4CidrBlock: plan.cidr,
      routeTableId: plan.existing!.routeTableId,
    }));
  }

  private addSubnet(
    vpc: ec2.CfnVPC,
    tier: TierPlan,
    plan: SubnetPlan,
    prefix: string,
    clusterNames: readonly string[],
    internetGateway: { gateway: ec2.CfnInternetGateway; attachment: ec2.CfnVPCGatewayAttachment } | undefined,
  ): void {
    const props: ec2.SubnetProps = {
      vpcId: vpc.ref,
      availabilityZone: plan.az,
      cidrBlock: plan.cidr,
      mapPublicIpOnLaunch: tier.type === 'public' && tier.mapPublicIpOnLaunch,
    };
    const id = constructIdOf(plan.id);
    const subnet = tier.type === 'public' ? new ec2.PublicSubnet(this, id, props) : new ec2.PrivateSubnet(this, id, props);
    acknowledge(subnet.node.defaultChild!, 'CloudFormation-Validate::W3010', 'AZ names come from network.azs on purpose: the template must not depend on a look-up, and other stacks place hosts by AZ.');
    if (internetGateway && tier.type === 'public') {
      subnet.addDefaultInternetRoute(internetGateway.gateway.ref, internetGateway.attachment);
    }

    // Names the subnet and its route table alike, so the console reads like the spec.
    Tags.of(subnet).add('Name', `${prefix}-${tier.name}-${plan.az.slice(-1)}`);
    const subnetOnly = { includeResourceTypes: ['AWS::EC2::Subnet'] };
    Tags.of(subnet).add(ELB_ROLE_TAG[tier.type], '1', subnetOnly);
    // `owned`: the VPC is created for this platform's cluster (the seed's own tagging).
    for (const cluster of clusterNames) Tags.of(subnet).add(`kubernetes.io/cluster/${cluster}`, 'owned', subnetOnly);

    this.subnets.set(plan.id, subnet);
  }

  /**
   * single/perAz: a zonal NAT gateway with its own Elastic IP in each listed subnet; a private subnet
   * uses the one in its own AZ (no cross-AZ data charge, no shared failure) and otherwise the first.
   * regional: one gateway that AWS spreads over the AZs by itself.
   */
  private addNatRoutes(vpc: ec2.CfnVPC, net: NetworkPlan, prefix: string, internetAttachment: ec2.CfnVPCGatewayAttachment | undefined): void {
    const zonal = net.nat.subnets.map((id) => {
      const subnet = this.subnet(id);
      if (!(subnet instanceof ec2.PublicSubnet)) {
        throw new Error(`E_NAT_SUBNET: NAT gateways go in public subnets, but ${id} is not public. Set network.natTier to a public tier.`);
      }
      // An address of our own rather than addNatGateway()'s, so it can carry the NAT's name.
      const eip = new ec2.CfnEIP(subnet, 'NatEip', { domain: 'vpc' });
      const gateway = subnet.addNatGateway(eip.attrAllocationId);
      const name = `${prefix}-nat-${subnet.availabilityZone.slice(-1)}`;
      Tags.of(eip).add('Name', name);
      Tags.of(gateway).add('Name', name);
      return { az: subnet.availabilityZone, id: gateway.ref };
    });

    let regional: ec2.CfnNatGateway | undefined;
    if (net.nat.mode === 'regional') {
      regional = new ec2.CfnNatGateway(this, 'RegionalNatGateway', {
        vpcId: vpc.ref,
        availabilityMode: 'regional',
        connectivityType: 'public',
      });
      Tags.of(regional).add('Name', `${prefix}-nat`);
      // A public NAT gateway cannot exist before the VPC has an internet gateway, and no property says so.
      if (internetAttachment) regional.addResourceDependency(internetAttachment);
    }

    for (const tier of net.tiers.filter((t) => t.type === 'private')) {
      for (const subnet of tier.subnets.map((s) => this.subnets.get(s.id) as ec2.Subnet)) {
        const natGatewayId = regional?.ref ?? (zonal.find((n) => n.az === subnet.availabilityZone) ?? zonal[0])?.id;
        if (natGatewayId) subnet.addDefaultNatRoute(natGatewayId);
      }
    }
  }

  private addFlowLogs(net: NetworkPlan, prefix: string): void {
    if (!net.flowLogs) {
      if (this.cfnVpc) acknowledge(this.cfnVpc, 'AwsSolutions-VPC7', 'The spec turns flow logs off explicitly (network.flowLogs: false); the default is on.');
      return;
    }
    const { retentionDays, trafficType } = net.flowLogs;
    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: retentionOf(retentionDays),
      // Flow logs are evidence after an incident; deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType[trafficType],
    });
    Tags.of(flowLog).add('Name', `${prefix}-flow-logs`);
  }

  private subnetIdsOf(tier: string): readonly string[] {
    const ids = this.tiers.get(tier);
    if (!ids) {
      throw new Error(`E_UNKNOWN_TIER: the network has no tier "${tier}". Tiers: ${[...this.tiers.keys()].join(', ') || 'none'}. Use a name from network.subnets.`);
    }
    return ids;
  }

  /** Subnets of the given tiers keyed by plan subnet id, in tier then AZ order. */
  private subnetsById(tiers: readonly string[]): Map<string, ec2.ISubnet> {
    return new Map(tiers.flatMap((tier) => this.subnetIdsOf(tier).map((id) => [id, this.subnet(id)] as const)));
  }
}

const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');

/** CloudWatch Logs accepts only certain retention periods; anything else fails at deploy time. */
function retentionOf(days: number): logs.RetentionDays {
  if (!RETENTION_DAYS.includes(days)) {
    const allowed = RETENTION_DAYS.filter((d) => d !== logs.RetentionDays.INFINITE).join(', ');
    throw new Error(`E_LOG_RETENTION: network.flowLogs.retentionDays is ${days}, which CloudWatch Logs does not offer. Use one of ${allowed}.`);
  }
  return days as logs.RetentionDays;
}

/**
 * A small builder of CloudFormation templates for verify's unit tests: a VPC 10.0.0.0/16 with an
 * internet gateway, and helpers that add subnets, groups, hosts, load balancers and databases the
 * way a hand-written template would.
 */
import type { StackTemplate } from '../../src/analyse/input/templates.js';
import type { Finding, VerifyReport } from '../../src/analyse/verify/findings.js';
import { verifyTemplates, type VerifyOptions } from '../../src/analyse/verify/index.js';

type Json = Record<string, unknown>;
const ref = (id: string) => ({ Ref: id });
const groupId = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

export interface RuleSpec {
  readonly cidr?: string;
  readonly group?: string;
  readonly protocol?: string;
  readonly from?: number;
  readonly to?: number;
  readonly description?: string;
}

function rule(r: RuleSpec, direction: 'in' | 'out'): Json {
  const out: Json = { IpProtocol: r.protocol ?? 'tcp' };
  if (r.from !== undefined) Object.assign(out, { FromPort: r.from, ToPort: r.to ?? r.from });
  if (r.cidr) out.CidrIp = r.cidr;
  if (r.group) out[direction === 'in' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId'] = groupId(r.group);
  if (r.description) out.Description = r.description;
  return out;
}

export class Net {
  public readonly resources: Record<string, Json> = {};

  public constructor(options: { igw?: boolean } = {}) {
    this.resources.Vpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'test-vpc' }] } };
    if (options.igw ?? true) {
      this.resources.Igw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
      this.resources.IgwAttachment = { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref('Vpc'), InternetGatewayId: ref('Igw') } };
    }
  }

  /** A subnet with its own route table: `public` routes 0.0.0.0/0 to the IGW, `nat` to that NAT gateway. */
  public subnet(id: string, cidr: string, o: { public?: boolean; nat?: string; name?: string; mapPublicIp?: boolean; routes?: Json[] } = {}): this {
    this.resources[id] = {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: ref('Vpc'), CidrBlock: cidr, MapPublicIpOnLaunch: o.mapPublicIp ?? false, Tags: [{ Key: 'Name', Value: o.name ?? `${o.public ? 'public' : 'private'}-${id}` }] },
    };
    this.resources[`${id}Rtb`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc') } };
    this.resources[`${id}Assoc`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(id), RouteTableId: ref(`${id}Rtb`) } };
    if (o.public) this.route(id, '0.0.0.0/0', { GatewayId: ref('Igw') });
    if (o.nat) this.route(id, '0.0.0.0/0', { NatGatewayId: ref(o.nat) });
    return this;
  }

  public route(subnet: string, cidr: string, target: Json, id = `${subnet}Route${cidr.replace(/\W/g, '')}`): this {
    this.resources[id] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref(`${subnet}Rtb`), DestinationCidrBlock: cidr, ...target } };
    return this;
  }

  public nat(id: string, subnet: string): this {
    this.resources[`${id}Eip`] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
    this.resources[id] = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: ref(subnet), AllocationId: { 'Fn::GetAtt': [`${id}Eip`, 'AllocationId'] } } };
    return this;
  }

  public group(id: string, o: { ingress?: RuleSpec[]; egress?: RuleSpec[]; description?: string } = {}): this {
    this.resources[id] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        VpcId: ref('Vpc'), GroupDescription: o.description ?? id,
        ...(o.ingress ? { SecurityGroupIngress: o.ingress.map((r) => rule(r, 'in')) } : {}),
        ...(o.egress ? { SecurityGroupEgress: o.egress.map((r) => rule(r, 'out')) } : {}),
      },
    };
    return this;
  }

  /** A separate AWS::EC2::SecurityGroupIngress resource. */
  public ingress(id: string, group: string, r: RuleSpec): this {
    this.resources[id] = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: groupId(group), ...rule(r, 'in') } };
    return this;
  }

  public instance(id: string, subnet: string, groups: string[], o: { eip?: boolean; associatePublicIp?: boolean; sourceDestCheck?: boolean } = {}): this {
    const props: Json = o.associatePublicIp === undefined
      ? { SubnetId: ref(subnet), SecurityGroupIds: groups.map(groupId) }
      : { NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: ref(subnet), GroupSet: groups.map(groupId), AssociatePublicIpAddress: o.associatePublicIp }] };
    if (o.sourceDestCheck === false) props.SourceDestCheck = false;
    this.resources[id] = { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-12345678', InstanceType: 't3.micro', ...props } };
    if (o.eip) this.resources[`${id}Eip`] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', InstanceId: ref(id) } };
    return this;
  }

  public database(id: string, subnets: string[], groups: string[], o: { public?: boolean; port?: number } = {}): this {
    this.resources[`${id}Subnets`] = { Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'db', SubnetIds: subnets.map(ref) } };
    this.resources[id] = {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'mysql', DBInstanceClass: 'db.t3.micro', DBSubnetGroupName: ref(`${id}Subnets`), VPCSecurityGroups: groups.map(groupId),
        PubliclyAccessible: o.public ?? false, ...(o.port ? { Port: String(o.port) } : {}),
      },
    };
    return this;
  }

  /** A load balancer with one listener per port forwarding to one target group of `targets` on `targetPort`. */
  public loadBalancer(id: string, o: { type?: 'application' | 'network'; scheme?: 'internet-facing' | 'internal'; subnets: string[]; groups?: string[]; ports: number[]; targets: string[]; targetPort: number; preserveClientIp?: boolean }): this {
    this.resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Type: o.type ?? 'application', Scheme: o.scheme ?? 'internet-facing', Subnets: o.subnets.map(ref), ...(o.groups ? { SecurityGroups: o.groups.map(groupId) } : {}) },
    };
    this.resources[`${id}Targets`] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Port: o.targetPort, Protocol: o.type === 'network' ? 'TCP' : 'HTTP', VpcId: ref('Vpc'), TargetType: 'instance',
        Targets: o.targets.map((t) => ({ Id: ref(t), Port: o.targetPort })),
        ...(o.preserveClientIp === undefined ? {} : { TargetGroupAttributes: [{ Key: 'preserve_client_ip.enabled', Value: String(o.preserveClientIp) }] }),
      },
    };
    for (const port of o.ports) {
      this.resources[`${id}Listener${port}`] = {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: { LoadBalancerArn: ref(id), Port: port, Protocol: o.type === 'network' ? 'TCP' : 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(`${id}Targets`) }] },
      };
    }
    return this;
  }

  /** A network ACL on the subnets; entries are [ruleNumber, egress, allow, cidr, protocol, from, to]. */
  public acl(id: string, subnets: string[], entries: [number, boolean, boolean, string, number, number?, number?][]): this {
    this.resources[id] = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: ref('Vpc') } };
    entries.forEach(([n, egress, allow, cidr, protocol, from, to], i) => {
      this.resources[`${id}Entry${i}`] = {
        Type: 'AWS::EC2::NetworkAclEntry',
        Properties: {
          NetworkAclId: ref(id), RuleNumber: n, Egress: egress, RuleAction: allow ? 'allow' : 'deny', CidrBlock: cidr, Protocol: protocol,
          ...(from !== undefined ? { PortRange: { From: from, To: to ?? from } } : {}),
        },
      };
    });
    for (const s of subnets) this.resources[`${id}${s}`] = { Type: 'AWS::EC2::SubnetNetworkAclAssociation', Properties: { SubnetId: ref(s), NetworkAclId: ref(id) } };
    return this;
  }

  public add(id: string, resource: Json): this {
    this.resources[id] = resource;
    return this;
  }

  public template(stack = 'Test'): StackTemplate {
    return { stack, stackName: stack, file: `${stack}.template.json`, body: { Resources: this.resources as never }, region: 'ap-northeast-2', account: undefined };
  }

  public verify(options: VerifyOptions = {}): VerifyReport {
    return verifyTemplates([this.template()], options);
  }
}

/** A public and a private subnet, NAT in the public one: the shape most tests start from. */
export function twoTier(): Net {
  return new Net()
    .subnet('PublicA', '10.0.1.0/24', { public: true, mapPublicIp: true })
    .nat('Nat', 'PublicA')
    .subnet('PrivateA', '10.0.11.0/24', { nat: 'Nat' });
}

export function findings(report: VerifyReport, ruleId: string): Finding[] {
  return report.findings.filter((f) => f.ruleId === ruleId);
}

export function violations(report: VerifyReport, ruleId: string): Finding[] {
  return findings(report, ruleId).filter((f) => f.status === 'violation');
}

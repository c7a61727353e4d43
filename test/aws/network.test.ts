import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { constructIdOf } from '../../src/aws/construct-id.js';
import { Network } from '../../src/aws/network.js';
import { portOf, ruleDescription, securityGroupsOf } from '../../src/aws/security-groups.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan, planFromYaml } from '../support.js';

// ---------------------------------------------------------------------------------------------
// Helpers: a test app per case, the template, and the rules of a group as readable strings.
// ---------------------------------------------------------------------------------------------

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newApp(options: { cloudFormationValidation?: boolean } = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-network-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    stackTraces: false,
    analyticsReporting: false,
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
}

interface Built {
  readonly plan: Plan;
  readonly stack: Stack;
  readonly network: Network;
  readonly template: Template;
  readonly resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
}

function addNetwork(plan: Plan, app: App, id: string): { stack: Stack; network: Network } {
  const stack = new Stack(app, id, { env: { region: plan.platform.region } });
  return {
    stack,
    network: new Network(stack, 'Network', {
      network: plan.network, namePrefix: plan.platform.namePrefix, securityGroups: securityGroupsOf(plan),
      clientVpn: plan.clientVpn && { plan: plan.clientVpn, name: `${plan.platform.name}-${plan.platform.environment}` },
    }),
  };
}

function build(plan: Plan): Built {
  const { stack, network } = addNetwork(plan, newApp(), 'Net');
  const template = Template.fromStack(stack);
  return { plan, stack, network, template, resources: template.toJSON().Resources };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** Every ingress rule of the group of `ref`, inline or separate, as `tcp 22 from 203.0.113.7/32`. */
function ingressOf({ plan, stack, network, resources }: Built, ref: string): string[] {
  const refByLogicalId = new Map(Object.values(plan.endpoints).filter((e) => e.hasSecurityGroup)
    .map((e) => [logicalId(stack, network.securityGroup(e.ref) as ec2.SecurityGroup), e.ref]));
  const id = logicalId(stack, network.securityGroup(ref) as ec2.SecurityGroup);
  const fmt = (r: Record<string, unknown>, peer: string) => {
    const ports = r.FromPort === r.ToPort ? `${r.FromPort}` : `${r.FromPort}-${r.ToPort}`;
    return `${r.IpProtocol} ${ports} from ${peer}`;
  };
  const inline = ((resources[id]!.Properties!.SecurityGroupIngress ?? []) as Record<string, unknown>[]).map((r) => fmt(r, String(r.CidrIp)));
  const separate = Object.values(resources)
    .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && JSON.stringify(r.Properties!.GroupId) === JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] }))
    .map((r) => fmt(r.Properties!, refByLogicalId.get((r.Properties!.SourceSecurityGroupId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]) ?? '?'));
  return [...inline, ...separate].sort();
}

interface Finding { plugin: string; rule: string; severity: string; paths: string[] }

/** Synthesizes the app and returns what the validation plugins reported (acknowledged findings are dropped). */
function findings(app: App): Finding[] {
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((p) => p.violations.map((v) => ({
    plugin: p.pluginName, rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c) => c.constructPath),
  })));
}

/**
 * A stack that breaks one rule of each plugin, so a clean report proves the plugins ran rather than
 * that nothing was checked.
 */
function addControlStack(app: App): void {
  const control = new Stack(app, 'Control', { env: { region: 'ap-northeast-2' } });
  const vpc = new ec2.CfnVPC(control, 'VpcWithoutFlowLogs', { cidrBlock: '10.9.0.0/16' });
  new ec2.CfnSubnet(control, 'SubnetWithFixedAz', { vpcId: vpc.ref, cidrBlock: '10.9.0.0/24', availabilityZone: 'ap-northeast-2a' });
}

const routesOf = ({ resources }: Built, subnet: ec2.ISubnet, stack: Stack) => Object.values(resources)
  .filter((r) => r.Type === 'AWS::EC2::Route' && JSON.stringify(r.Properties!.RouteTableId) === JSON.stringify(stack.resolve(subnet.routeTable.routeTableId)));

const FULL_SPEC = `
platform: { name: acme, region: ap-northeast-2, environment: dev }
network:
  cidr: 10.20.0.0/16
  azs: [ap-northeast-2a, ap-northeast-2b, ap-northeast-2c]
  subnets:
    public: { azs: [ap-northeast-2a, ap-northeast-2b] }
    private: {}
    data: { type: isolated, mask: 26 }
  nat: perAz
  flowLogs: { retentionDays: 30, trafficType: REJECT }
  endpoints:
    gateway: [s3, dynamodb]
    interface: [ecr.api, ssm]
  vpn:
    office: { customerGatewayIp: 198.51.100.10, remoteCidrs: [192.168.0.0/16], routeTiers: [private] }
    dc: { customerGatewayIp: 198.51.100.20, bgpAsn: 65010, remoteCidrs: [172.16.0.0/16, 172.17.0.0/16] }
  transitGateway: { id: tgw-0123456789abcdef0, routes: [10.100.0.0/16], routeTiers: [private] }
access:
  bastion: { sshFrom: ["cidr:203.0.113.7/32"] }
  clientVpn:
    clientCidr: 10.250.0.0/22
    serverCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/server
    clientRootCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/client
  management:
    ops: { sshFrom: [vpn] }
servers:
  api: { ports: [8080], allowFrom: [lb/web, sites/office], sshFrom: [bastion] }
loadBalancers:
  web:
    listeners: [{ port: 80, targetGroup: api }]
    targetGroups: { api: { servers: [api], port: 8080 } }
data:
  databases:
    main: { engine: postgres, version: "16", allowFrom: [servers/api, mgmt/ops] }
  fileSystems:
    shared: { allowFrom: [servers/api] }
`;

const REGIONAL_SPEC = `
platform: { name: acme, region: ap-northeast-2 }
network:
  cidr: 10.30.0.0/20
  azs: [ap-northeast-2a, ap-northeast-2b]
  nat: regional
  flowLogs: false
`;

const ISOLATED_ONLY_SPEC = `
platform: { name: vault, region: ap-northeast-2 }
network:
  cidr: 10.40.0.0/22
  azs: [ap-northeast-2a, ap-northeast-2c]
  subnets: { data: { type: isolated, mask: 26 } }
`;

// ---------------------------------------------------------------------------------------------

describe('nemo-v3 seed', () => {
  const b = build(examplePlan('nemo-v3'));
  const { template, network, stack } = b;

  it('creates the VPC as written, with DNS on', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true });
    expect(stack.resolve(network.vpc.vpcId)).toEqual({ Ref: stack.getLogicalId(network.cfnVpc!) });
    expect(network.vpc.vpcCidrBlock).toBe('10.0.0.0/16');
    expect(network.vpc.availabilityZones).toEqual(['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c']);
  });

  it('places public subnets in 2a/2b and private ones in 2a/2b/2c with the seed CIDRs', () => {
    const subnets = (tier: string) => network.subnetsOf(tier).map((s) => [s.availabilityZone, s.ipv4CidrBlock]);
    expect(subnets('public')).toEqual([['ap-northeast-2a', '10.0.1.0/24'], ['ap-northeast-2b', '10.0.2.0/24']]);
    expect(subnets('private')).toEqual([['ap-northeast-2a', '10.0.3.0/24'], ['ap-northeast-2b', '10.0.4.0/24'], ['ap-northeast-2c', '10.0.5.0/24']]);
    template.resourceCountIs('AWS::EC2::Subnet', 5);
    template.resourceCountIs('AWS::EC2::RouteTable', 5);
    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.0.1.0/24', AvailabilityZone: 'ap-northeast-2a', MapPublicIpOnLaunch: true });
    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.0.5.0/24', AvailabilityZone: 'ap-northeast-2c', MapPublicIpOnLaunch: false });
    expect(network.subnet('private-b')).toBe(network.subnetsOf('private')[1]);
    expect(network.subnet('public-a')).toBeInstanceOf(ec2.PublicSubnet);
  });

  it('tags subnets for the Load Balancer Controller and names them after the tier and AZ', () => {
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: '10.0.2.0/24',
      Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }, { Key: 'Name', Value: 'nemo-public-b' }]),
    });
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: '10.0.4.0/24',
      Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }, { Key: 'Name', Value: 'nemo-private-b' }]),
    });
    // The role tags are for subnet discovery only; route tables carry just the name.
    template.hasResourceProperties('AWS::EC2::RouteTable', { Tags: [{ Key: 'Name', Value: 'nemo-private-b' }] });
  });

  it('has one NAT gateway with its own Elastic IP in the first public subnet', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::EIP', 1);
    template.hasResourceProperties('AWS::EC2::NatGateway', {
      SubnetId: stack.resolve(network.subnet('public-a').subnetId),
      AllocationId: { 'Fn::GetAtt': [Match.anyValue(), 'AllocationId'] },
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'nemo-nat-a' }]),
    });
    template.hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', Tags: [{ Key: 'Name', Value: 'nemo-nat-a' }] });
  });

  it('routes public subnets to the internet gateway and private subnets to the NAT gateway', () => {
    const igw = Object.keys(template.findResources('AWS::EC2::InternetGateway'))[0]!;
    const attachment = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'))[0]!;
    const nat = Object.keys(template.findResources('AWS::EC2::NatGateway'))[0]!;
    for (const subnet of network.subnetsOf('public')) {
      const routes = routesOf(b, subnet, stack);
      expect(routes.map((r) => r.Properties)).toEqual([expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: igw } })]);
      expect(routes[0]!.DependsOn).toContain(attachment);
    }
    for (const subnet of network.subnetsOf('private')) {
      expect(routesOf(b, subnet, stack).map((r) => r.Properties)).toEqual([expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: nat } })]);
    }
  });

  it('allows SSH to the bastion only from 203.0.113.7/32 and lets the bastion talk only to the VPC', () => {
    expect(ingressOf(b, 'bastion')).toEqual(['tcp 22 from 203.0.113.7/32']);
    const bastion = b.resources[logicalId(stack, network.securityGroup('bastion') as ec2.SecurityGroup)]!;
    expect(bastion.Properties!.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' })]);
  });

  it('opens the AI API and MySQL only to the cluster nodes, and SSH only from the bastion (seed 001 rules)', () => {
    for (const server of ['servers/ai-fastapi', 'servers/ai-vllm']) {
      const rules = ingressOf(b, server);
      expect(rules).toEqual(expect.arrayContaining(['tcp 22 from bastion', 'tcp 8000-8002 from cluster/nodes']));
      expect(rules.filter((r) => r !== 'tcp 22 from bastion' && !r.endsWith(' from cluster/nodes'))).toEqual([]);
    }
    expect(ingressOf(b, 'db/main')).toEqual(['tcp 3306 from cluster/nodes']);
  });

  it('writes ALL traffic to a retained flow-log group kept for 90 days', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', ResourceId: stack.resolve(network.vpc.vpcId) });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 }, DeletionPolicy: 'RetainExceptOnCreate' });
  });

  it('attaches the S3 gateway endpoint to every route table', () => {
    const tables = [...network.subnetsOf('public'), ...network.subnetsOf('private')].map((s) => stack.resolve(s.routeTable.routeTableId));
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', RouteTableIds: tables });
    // One gateway; the two interface endpoints are the bastion's tools' (eks, s3: test/aws/bastion-tools.test.ts).
    expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))).toHaveLength(1);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 3);
  });

  it('creates nothing it was not asked for', () => {
    for (const type of ['AWS::EC2::VPNGateway', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::ClientVpnEndpoint', 'AWS::Lambda::Function', 'Custom::VpcRestrictDefaultSG']) {
      template.resourceCountIs(type, 0);
    }
  });

  it('synthesizes the same template every time', () => {
    expect(build(examplePlan('nemo-v3')).template.toJSON()).toEqual(template.toJSON());
  });
});

describe('bootcamp-ec2 seed', () => {
  const b = build(examplePlan('bootcamp-ec2'));

  it('lets only servers/springboot reach db/main on 3306', () => {
    expect(ingressOf(b, 'db/main')).toEqual(['tcp 3306 from servers/springboot']);
  });

  it('opens the internet-facing load balancer to everyone on its listener ports only', () => {
    expect(ingressOf(b, 'lb/public')).toEqual(['tcp 443 from 0.0.0.0/0', 'tcp 80 from 0.0.0.0/0']);
    expect(ingressOf(b, 'servers/springboot')).toEqual(['tcp 22 from bastion', 'tcp 8080 from lb/public']);
    expect(ingressOf(b, 'servers/elk')).toEqual(['tcp 22 from bastion', 'tcp 5044 from servers/springboot', 'tcp 5601 from bastion']);
  });

  it('gives data stores no egress and compute full egress', () => {
    const egress = (ref: string) => b.resources[logicalId(b.stack, b.network.securityGroup(ref) as ec2.SecurityGroup)]!.Properties!.SecurityGroupEgress;
    expect(egress('db/main')).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    for (const ref of ['bastion', 'servers/elk', 'lb/public']) expect(egress(ref)).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })]);
  });

  it('names every security group after its endpoint', () => {
    b.template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'plinth bootcamp-prod: servers/jenkins' });
    b.template.resourceCountIs('AWS::EC2::SecurityGroup', 6);
  });

  it('places the NAT gateway in public-a and routes both private subnets through it', () => {
    const nat = Object.keys(b.template.findResources('AWS::EC2::NatGateway', { Properties: { SubnetId: b.stack.resolve(b.network.subnet('public-a').subnetId) } }));
    expect(nat).toHaveLength(1);
    for (const subnet of b.network.subnetsOf('private')) {
      expect(routesOf(b, subnet, b.stack).map((r) => r.Properties!.NatGatewayId)).toEqual([{ Ref: nat[0] }]);
    }
  });
});

describe('video-platform seed: the ingress ALBs\' security groups', () => {
  const v = build(examplePlan('video-platform'));
  const groupOf = (ref: string) => v.resources[logicalId(v.stack, v.network.securityGroup(ref) as ec2.SecurityGroup)]!;

  it('names them as the Ingresses do, so the load balancer controller attaches them', () => {
    expect(groupOf('lb/public').Properties!.Tags).toContainEqual({ Key: 'Name', Value: 'vidgen-prod-ingress-public' });
    expect(groupOf('lb/internal').Properties!.Tags).toContainEqual({ Key: 'Name', Value: 'vidgen-prod-ingress-internal' });
  });

  it('opens the public ALB to everyone on 443 and 80, and the internal one to the Client VPN endpoint\'s group only', () => {
    expect(ingressOf(v, 'lb/public')).toEqual(['tcp 443 from 0.0.0.0/0', 'tcp 80 from 0.0.0.0/0']);
    expect(ingressOf(v, 'lb/internal')).toEqual(['tcp 443 from vpn', 'tcp 80 from vpn']);
  });

  it('lets each ALB reach the nodes only on the pod ports of the apps behind it', () => {
    const fromAlbs = ingressOf(v, 'cluster/nodes').filter((r) => r.includes('from lb/'));
    expect(fromAlbs).toEqual([
      'tcp 3000 from lb/internal', 'tcp 5601 from lb/internal', 'tcp 8080 from lb/internal', 'tcp 8080 from lb/public', 'tcp 9000 from lb/internal',
    ]);
  });

  it('acknowledges the open public ALB with the exposure that asked for it, and nothing about the internal one', () => {
    const acks = (ref: string) => (v.network.securityGroup(ref) as ec2.SecurityGroup).node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data as Record<string, string>);
    expect(acks('lb/public')).toEqual([{ 'Annotation::AwsSolutions-EC23': expect.stringContaining('internet on 443 (at apps.frontend.expose.ingress)') }]);
    expect(acks('lb/internal')).toEqual([]);
  });
});

describe('perAz NAT, isolated tier, endpoints, VPNs, Transit Gateway and Client VPN', () => {
  const b = build(planFromYaml(FULL_SPEC));
  const { template, network, stack } = b;
  const natIn = (subnetId: string) => Object.keys(template.findResources('AWS::EC2::NatGateway', { Properties: { SubnetId: stack.resolve(network.subnet(subnetId).subnetId) } }))[0];

  it('puts a NAT gateway with its own Elastic IP in each public subnet and routes each AZ to its own', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::EIP', 2);
    const defaultRoute = (id: string) => routesOf(b, network.subnet(id), stack).find((r) => r.Properties!.DestinationCidrBlock === '0.0.0.0/0')?.Properties!.NatGatewayId;
    expect(defaultRoute('private-a')).toEqual({ Ref: natIn('public-a') });
    expect(defaultRoute('private-b')).toEqual({ Ref: natIn('public-b') });
    // No public subnet in 2c, so its private subnet falls back to the first NAT gateway.
    expect(defaultRoute('private-c')).toEqual({ Ref: natIn('public-a') });
  });

  it('gives the isolated tier no default route and internal-elb tags', () => {
    for (const subnet of network.subnetsOf('data')) {
      expect(routesOf(b, subnet, stack).filter((r) => r.Properties!.DestinationCidrBlock === '0.0.0.0/0')).toEqual([]);
    }
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: network.subnet('data-c').ipv4CidrBlock,
      Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }, { Key: 'Name', Value: 'acme-data-c' }]),
    });
  });

  it('logs rejected traffic for 30 days', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('adds both gateway endpoints to every private and isolated route table', () => {
    const tables = [...network.subnetsOf('private'), ...network.subnetsOf('data')].map((s) => stack.resolve(s.routeTable.routeTableId));
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: Match.arrayWith(tables),
      });
    }
  });

  it('puts interface endpoints in the private tier with private DNS behind the vpc-endpoints group', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.ap-northeast-2.ecr.api',
      PrivateDnsEnabled: true,
      SubnetIds: network.subnetsOf('private').map((s) => stack.resolve(s.subnetId)),
      SecurityGroupIds: [stack.resolve(network.securityGroup('vpc-endpoints').securityGroupId)],
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.ap-northeast-2.ssm' });
    expect(ingressOf(b, 'vpc-endpoints')).toEqual(['tcp 443 from 10.20.0.0/16']);
  });

  it('connects both sites through one VPN gateway with static routes', () => {
    template.resourceCountIs('AWS::EC2::VPNGateway', 1);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.10', BgpAsn: 65000, Type: 'ipsec.1' });
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.20', BgpAsn: 65010, Type: 'ipsec.1' });
    template.resourceCountIs('AWS::EC2::VPNConnection', 2);
    template.allResourcesProperties('AWS::EC2::VPNConnection', { StaticRoutesOnly: true, Type: 'ipsec.1' });
    const routes = Object.values(template.findResources('AWS::EC2::VPNConnectionRoute')).map((r) => r.Properties.DestinationCidrBlock);
    expect(routes.sort()).toEqual(['172.16.0.0/16', '172.17.0.0/16', '192.168.0.0/16']);
  });

  it('propagates site routes into the private and isolated route tables once the gateway is attached', () => {
    const attachment = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment', { Properties: { VpnGatewayId: Match.anyValue() } }))[0]!;
    const tables = [...network.subnetsOf('private'), ...network.subnetsOf('data')].map((s) => stack.resolve(s.routeTable.routeTableId));
    template.hasResource('AWS::EC2::VPNGatewayRoutePropagation', { Properties: { RouteTableIds: tables }, DependsOn: Match.arrayWith([attachment]) });
  });

  it('attaches the Transit Gateway in the private tier and routes its networks from it', () => {
    template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', {
      TransitGatewayId: 'tgw-0123456789abcdef0',
      SubnetIds: network.subnetsOf('private').map((s) => stack.resolve(s.subnetId)),
    });
    const attachment = Object.keys(template.findResources('AWS::EC2::TransitGatewayAttachment'))[0]!;
    for (const subnet of network.subnetsOf('private')) {
      const routes = routesOf(b, subnet, stack).filter((r) => r.Properties!.TransitGatewayId);
      expect(routes.map((r) => r.Properties!.DestinationCidrBlock)).toEqual(['10.100.0.0/16']);
      expect(routes[0]!.DependsOn).toContain(attachment);
    }
    for (const subnet of network.subnetsOf('data')) {
      expect(routesOf(b, subnet, stack).filter((r) => r.Properties!.TransitGatewayId)).toEqual([]);
    }
  });

  it('runs a mutual-TLS Client VPN in the private tier, logging every connection', () => {
    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ClientCidrBlock: '10.250.0.0/22',
      ServerCertificateArn: 'arn:aws:acm:ap-northeast-2:111122223333:certificate/server',
      AuthenticationOptions: [{ Type: 'certificate-authentication', MutualAuthentication: { ClientRootCertificateChainArn: 'arn:aws:acm:ap-northeast-2:111122223333:certificate/client' } }],
      SplitTunnel: true,
      TransportProtocol: 'udp',
      SessionTimeoutHours: 8,
      DnsServers: [Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+\\.2$')],
      VpcId: stack.resolve(network.vpc.vpcId),
      SecurityGroupIds: [stack.resolve(network.securityGroup('vpn').securityGroupId)],
      ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: Match.anyValue(), CloudwatchLogStream: Match.anyValue() },
    });
    template.resourceCountIs('AWS::Logs::LogStream', 1);
    const associated = Object.values(template.findResources('AWS::EC2::ClientVpnTargetNetworkAssociation')).map((r) => r.Properties.SubnetId);
    expect(associated).toEqual(network.subnetsOf('private').map((s) => stack.resolve(s.subnetId)));
    const authorized = Object.values(template.findResources('AWS::EC2::ClientVpnAuthorizationRule')).map((r) => [r.Properties.TargetNetworkCidr, r.Properties.AuthorizeAllGroups]);
    expect(authorized).toEqual(network.subnetsOf('private').map((s) => [s.ipv4CidrBlock, true]));
    template.resourceCountIs('AWS::EC2::ClientVpnRoute', 0);
  });

  it('turns every flow into exactly one rule, referencing groups rather than ranges', () => {
    expect(ingressOf(b, 'mgmt/ops')).toEqual(['tcp 22 from vpn']);
    expect(ingressOf(b, 'servers/api')).toEqual(['tcp 22 from bastion', 'tcp 8080 from 192.168.0.0/16', 'tcp 8080 from lb/web']);
    expect(ingressOf(b, 'db/main')).toEqual(['tcp 5432 from mgmt/ops', 'tcp 5432 from servers/api']);
    expect(ingressOf(b, 'efs/shared')).toEqual(['tcp 2049 from servers/api']);
    expect(ingressOf(b, 'vpn')).toEqual([]);
  });
});

describe('regional NAT', () => {
  const b = build(planFromYaml(REGIONAL_SPEC));

  it('creates one regional NAT gateway without a subnet, after the internet gateway is attached', () => {
    b.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    b.template.resourceCountIs('AWS::EC2::EIP', 0);
    const attachment = Object.keys(b.template.findResources('AWS::EC2::VPCGatewayAttachment'))[0]!;
    b.template.hasResource('AWS::EC2::NatGateway', {
      Properties: { AvailabilityMode: 'regional', ConnectivityType: 'public', VpcId: b.stack.resolve(b.network.vpc.vpcId), SubnetId: Match.absent() },
      DependsOn: [attachment],
    });
  });

  it('routes every private subnet to it', () => {
    const nat = Object.keys(b.template.findResources('AWS::EC2::NatGateway'))[0]!;
    for (const subnet of b.network.subnetsOf('private')) {
      expect(routesOf(b, subnet, b.stack).map((r) => r.Properties!.NatGatewayId)).toEqual([{ Ref: nat }]);
    }
  });

  it('creates no flow log when the spec turns them off', () => {
    b.template.resourceCountIs('AWS::EC2::FlowLog', 0);
    b.template.resourceCountIs('AWS::Logs::LogGroup', 0);
  });
});

describe('a VPC with only an isolated tier', () => {
  const b = build(planFromYaml(ISOLATED_ONLY_SPEC));

  it('has no internet gateway, no NAT and no default route', () => {
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP']) b.template.resourceCountIs(type, 0);
    b.template.resourceCountIs('AWS::EC2::Route', 0);
    b.template.resourceCountIs('AWS::EC2::Subnet', 2);
  });
});

describe('PlatformNetwork look-ups', () => {
  const { network } = build(examplePlan('bootcamp-ec2'));

  it('returns the L2 subnets by tier and by id', () => {
    expect(network.subnetsOf('private').map((s) => s.availabilityZone)).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
    expect(network.subnet('private-c').ipv4CidrBlock).toBe('10.0.12.0/24');
  });

  it('explains unknown names', () => {
    expect(() => network.securityGroup('db/nope')).toThrow(/E_NO_SECURITY_GROUP: "db\/nope".*db\/main/);
    expect(() => network.securityGroup('internet')).toThrow(/E_NO_SECURITY_GROUP/);
    expect(() => network.subnetsOf('dmz')).toThrow(/E_UNKNOWN_TIER: the network has no tier "dmz". Tiers: public, private/);
    expect(() => network.subnet('private-b')).toThrow(/E_UNKNOWN_SUBNET.*private-a, private-c/);
  });
});

describe('plan variations', () => {
  it('tags subnets for each EKS cluster that uses the VPC, and only subnets', () => {
    const base = examplePlan('nemo-v3');
    const { template } = build({ ...base, network: { ...base.network, clusterNames: ['nemo-prod'] } });
    template.allResourcesProperties('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'kubernetes.io/cluster/nemo-prod', Value: 'owned' }]) });
    template.allResourcesProperties('AWS::EC2::RouteTable', { Tags: Match.not(Match.arrayWith([Match.objectLike({ Key: 'kubernetes.io/cluster/nemo-prod' })])) });
  });

  it('refuses a flow-log retention CloudWatch Logs does not offer', () => {
    const base = examplePlan('nemo-v3');
    const plan = { ...base, network: { ...base.network, flowLogs: { retentionDays: 10, trafficType: 'ALL' as const } } };
    expect(() => build(plan)).toThrow(/E_LOG_RETENTION: network.flowLogs.retentionDays is 10.*7, 14, 30/);
  });
});

describe('validation', () => {
  it('cdk-nag AwsSolutions and the CloudFormation validator find nothing unacknowledged', () => {
    // GIVEN every example and feature in one app (the validator costs seconds per synth)
    const app = newApp({ cloudFormationValidation: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stacks = { Nemo: examplePlan('nemo-v3'), Bootcamp: examplePlan('bootcamp-ec2'), Full: planFromYaml(FULL_SPEC), Regional: planFromYaml(REGIONAL_SPEC), Isolated: planFromYaml(ISOLATED_ONLY_SPEC) };
    for (const [id, plan] of Object.entries(stacks)) addNetwork(plan, app, id);
    addControlStack(app);

    // WHEN
    const found = findings(app);

    // THEN the plugins ran (they flag the control stack) and nothing outside it is reported
    expect(found.filter((f) => f.paths.some((p) => p.startsWith('Control/'))).map((f) => f.rule).sort()).toEqual(['AwsSolutions-VPC7', 'W3010']);
    expect(found.filter((f) => !f.paths.every((p) => p.startsWith('Control/')))).toEqual([]);
  });

  it('acknowledges only what the spec asked for, with the reason', () => {
    const app = newApp();
    const bootcamp = addNetwork(examplePlan('bootcamp-ec2'), app, 'Bootcamp');
    const regional = addNetwork(planFromYaml(REGIONAL_SPEC), app, 'Regional');
    const acks = (b: { network: Network }) => b.network.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([rule, reason]) => ({ path: c.node.path, rule, reason }))))
      // aws-cdk-lib acknowledges validator findings of its own L2s; these tests are about plinth's.
      .filter((a) => a.rule.startsWith('Annotation::AwsSolutions-'));

    expect(acks(bootcamp)).toEqual([{
      path: 'Bootcamp/Network/SecurityGroups/LbPublic',
      rule: 'Annotation::AwsSolutions-EC23',
      reason: 'lb/public is open to every address because the spec asks for it: internet on 443 (at loadBalancers.public.allowFrom.0); '
        + 'internet on 80 (at loadBalancers.public.allowFrom.0). The plan refuses whole-internet access to administration ports and data stores.',
    }]);
    expect(acks(regional)).toEqual([{ path: 'Regional/Network/Vpc', rule: 'Annotation::AwsSolutions-VPC7', reason: expect.stringContaining('network.flowLogs: false') }]);
  });
});

describe('ruleDescription', () => {
  const ALLOWED = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

  it('keeps descriptions CloudFormation accepts as they are', () => {
    expect(ruleDescription('SSH to servers/elk (tunnel #1)', 'x')).toBe('SSH to servers/elk (tunnel #1)');
  });

  it('replaces characters CloudFormation rejects and falls back when nothing is left', () => {
    expect(ruleDescription('Kibana "UI" → 관리자', 'x')).toBe('Kibana UI');
    expect(ruleDescription('관리자', 'bastion to servers/elk')).toBe('bastion to servers/elk');
  });

  it('always returns at most 255 accepted characters, never empty with a clean fallback', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
      const out = ruleDescription(text, 'fallback');
      expect(out).toMatch(ALLOWED);
      expect(out.length).toBeGreaterThan(0);
      expect(out.length).toBeLessThanOrEqual(255);
    }));
  });
});

describe('portOf', () => {
  it('passes the plan\'s ports through in CloudFormation terms', () => {
    expect(portOf({ protocol: 'tcp', from: 22, to: 22 }).toRuleJson()).toEqual({ ipProtocol: 'tcp', fromPort: 22, toPort: 22 });
    expect(portOf({ protocol: 'udp', from: 500, to: 600 }).toRuleJson()).toEqual({ ipProtocol: 'udp', fromPort: 500, toPort: 600 });
    expect(portOf({ protocol: 'icmp', from: 8, to: -1 }).toRuleJson()).toEqual({ ipProtocol: 'icmp', fromPort: 8, toPort: -1 });
    expect(portOf({ protocol: 'all', from: 0, to: 65535 }).toRuleJson()).toEqual({ ipProtocol: '-1' });
  });
});

describe('constructIdOf', () => {
  it('turns plan names into readable construct ids', () => {
    expect(constructIdOf('servers/ai-vllm')).toBe('ServersAiVllm');
    expect(constructIdOf('public-a')).toBe('PublicA');
    expect(constructIdOf('ecr.api')).toBe('EcrApi');
    expect(constructIdOf('vpc-endpoints')).toBe('VpcEndpoints');
  });

  it('keeps distinct plan names distinct', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
    fc.assert(fc.property(name, name, (a, b) => {
      if (a !== b) expect(constructIdOf(`servers/${a}`)).not.toBe(constructIdOf(`servers/${b}`));
    }));
  });
});

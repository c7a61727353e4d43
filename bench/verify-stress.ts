/**
 * A generated model for verify's stress benchmark: one VPC with public and private subnets (some
 * behind a network ACL), `groups` security groups holding `rules` rules between them (CIDR ranges
 * and group references), `instances` instances spread over the groups and subnets, and a cluster
 * with `workloads` deployments and `policies` NetworkPolicies. Deterministic for a given size.
 */
import type { StackTemplate } from '../src/analyse/input/templates.js';
import type { K8sModel, NetworkPolicy, Workload } from '../src/analyse/model/k8s-types.js';

export interface StressSize {
  /** Template resources in total; instances fill what the network and groups leave. */
  readonly resources: number;
  readonly groups: number;
  readonly rules: number;
  readonly workloads: number;
  readonly policies: number;
}

/** 1,000 resources, 5,000 rules, 200 NetworkPolicies. */
export const BASE_SIZE: StressSize = { resources: 1000, groups: 100, rules: 5000, workloads: 100, policies: 200 };

export function scaled(factor: number): StressSize {
  return {
    resources: BASE_SIZE.resources * factor, groups: BASE_SIZE.groups * factor, rules: BASE_SIZE.rules * factor,
    workloads: BASE_SIZE.workloads * factor, policies: BASE_SIZE.policies * factor,
  };
}

/** Resources the network part always has: VPC, gateways, 6 subnets with their routing, NAT, one ACL, the cluster. */
const FIXED_RESOURCES = 41;

/** A small deterministic generator (mulberry32), so every run measures the same model (and tests reproduce a seed). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function stressModel(size: StressSize): { templates: StackTemplate[]; k8s: K8sModel; resourceCount: number; ruleCount: number } {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const resources: Record<string, unknown> = {};
  const ref = (id: string) => ({ Ref: id });
  resources.Vpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
  resources.Igw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
  resources.IgwAttachment = { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref('Vpc'), InternetGatewayId: ref('Igw') } };
  const subnets: string[] = [];
  const privateSubnets: string[] = [];
  for (let i = 0; i < 6; i++) {
    const isPublic = i < 3;
    const id = `${isPublic ? 'Public' : 'Private'}Subnet${i}`;
    subnets.push(id);
    if (!isPublic) privateSubnets.push(id);
    resources[id] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc'), CidrBlock: `10.0.${i}.0/24`, MapPublicIpOnLaunch: isPublic, Tags: [{ Key: 'Name', Value: id }] } };
    resources[`${id}Rtb`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc') } };
    resources[`${id}Assoc`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(id), RouteTableId: ref(`${id}Rtb`) } };
    resources[`${id}Default`] = {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: ref(`${id}Rtb`), DestinationCidrBlock: '0.0.0.0/0', ...(isPublic ? { GatewayId: ref('Igw') } : { NatGatewayId: ref('Nat') }) },
    };
  }
  resources.NatEip = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
  resources.Nat = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: ref('PublicSubnet0'), AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] } } };
  // One network ACL on two private subnets: allow the VPC and replies, deny the rest.
  resources.PrivateAcl = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: ref('Vpc') } };
  const entries: [number, boolean, string, number, number, number][] = [
    [100, false, '10.0.0.0/16', -1, 0, 0], [110, false, '0.0.0.0/0', 6, 1024, 65535], [120, false, '0.0.0.0/0', 6, 443, 443],
    [100, true, '10.0.0.0/16', -1, 0, 0], [110, true, '0.0.0.0/0', 6, 1024, 65535], [120, true, '0.0.0.0/0', 6, 443, 443],
  ];
  entries.forEach(([n, egress, cidr, protocol, from, to], i) => {
    resources[`PrivateAclEntry${i}`] = {
      Type: 'AWS::EC2::NetworkAclEntry',
      Properties: { NetworkAclId: ref('PrivateAcl'), RuleNumber: n, Egress: egress, RuleAction: 'allow', CidrBlock: cidr, Protocol: protocol, ...(protocol === 6 ? { PortRange: { From: from, To: to } } : {}) },
    };
  });
  for (const id of privateSubnets.slice(0, 2)) {
    resources[`${id}AclAssoc`] = { Type: 'AWS::EC2::SubnetNetworkAclAssociation', Properties: { SubnetId: ref(id), NetworkAclId: ref('PrivateAcl') } };
  }

  const groups = Array.from({ length: size.groups }, (_, i) => `Group${i}`);
  const perGroup = Math.floor(size.rules / size.groups);
  let ruleCount = 0;
  for (const [g, id] of groups.entries()) {
    const ingress = [];
    for (let r = 0; r < perGroup; r++) {
      const port = 1000 + Math.floor(rnd() * 9000);
      const width = rnd() < 0.2 ? Math.floor(rnd() * 100) : 0;
      const rule: Record<string, unknown> = { IpProtocol: rnd() < 0.9 ? 'tcp' : 'udp', FromPort: port, ToPort: port + width };
      const kind = rnd();
      // Mostly references to a few neighbouring groups, some VPC ranges, rarely the internet on 443.
      if (kind < 0.6) rule.SourceSecurityGroupId = { 'Fn::GetAtt': [groups[(g + 1 + Math.floor(rnd() * 5)) % groups.length]!, 'GroupId'] };
      else if (kind < 0.97) rule.CidrIp = `10.0.${Math.floor(rnd() * 6)}.${Math.floor(rnd() * 16) * 16}/28`;
      else Object.assign(rule, { CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' });
      ingress.push(rule);
      ruleCount++;
    }
    resources[id] = { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: ref('Vpc'), GroupDescription: `group ${g}`, SecurityGroupIngress: ingress } };
  }
  const instances = size.resources - FIXED_RESOURCES - size.groups;
  for (let i = 0; i < instances; i++) {
    const public_ = rnd() < 0.1;
    resources[`Instance${i}`] = {
      Type: 'AWS::EC2::Instance',
      Properties: { SubnetId: ref(public_ ? pick(subnets.slice(0, 3)) : pick(privateSubnets)), SecurityGroupIds: [{ 'Fn::GetAtt': [pick(groups), 'GroupId'] }] },
    };
  }
  resources.ClusterRole = { Type: 'AWS::IAM::Role', Properties: {} };
  resources.Cluster = { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: privateSubnets.map(ref), EndpointPrivateAccess: true, EndpointPublicAccess: false } } };
  resources.Nodes = { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: ref('Cluster'), Subnets: privateSubnets.map(ref), ScalingConfig: { DesiredSize: 3 } } };

  const workloads: Workload[] = Array.from({ length: size.workloads }, (_, i) => ({
    kind: 'Deployment', name: `app${i}`, namespace: `ns${i % 10}`, labels: { app: `app${i}`, tier: `t${i % 5}` },
    ports: [{ port: 8080, protocol: 'TCP', name: 'http' }], file: 'k8s/generated.yaml',
  }));
  const policies: NetworkPolicy[] = Array.from({ length: size.policies }, (_, i) => {
    const target = workloads[i % workloads.length]!;
    const peer = workloads[(i * 7 + 3) % workloads.length]!;
    return {
      name: `policy${i}`, namespace: target.namespace, file: 'k8s/generated.yaml',
      podSelector: { matchLabels: { app: target.name }, matchExpressions: [] },
      ingress: [{ peers: [{ podSelector: { matchLabels: { app: peer.name }, matchExpressions: [] }, namespaceSelector: { matchLabels: {}, matchExpressions: [] }, ipBlock: undefined }], ports: [{ protocol: 'TCP', port: 8080, endPort: undefined }] }],
      egress: i % 2 === 0 ? [{ peers: undefined, ports: [{ protocol: 'UDP', port: 53, endPort: undefined }] }, { peers: [{ podSelector: undefined, namespaceSelector: undefined, ipBlock: { cidr: '10.0.0.0/16', except: [] } }], ports: undefined }] : undefined,
    };
  });
  const namespaces = new Map(Array.from({ length: 10 }, (_, i) => [`ns${i}`, { 'kubernetes.io/metadata.name': `ns${i}` }] as const));
  const template: StackTemplate = { stack: 'Stress', stackName: 'stress', file: 'stress.template.json', body: { Resources: resources as never }, region: 'ap-northeast-2', account: undefined };
  return {
    templates: [template], k8s: { namespaces, workloads, services: [], ingresses: [], policies, files: ['k8s/generated.yaml'] },
    resourceCount: Object.keys(resources).length, ruleCount: ruleCount + entries.length,
  };
}

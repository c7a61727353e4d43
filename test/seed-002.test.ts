/** Seed 002 (self-managed Kubernetes on EC2) facts on the synthesized templates. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlatformApp } from '../src/aws/app.js';
import { examplePlan } from './support.js';

describe('examples/k8s-on-ec2 (seed 002)', () => {
  let compute: Template;
  let network: Template;
  beforeAll(() => {
    const stacks = buildPlatformApp(examplePlan('k8s-on-ec2'), { nag: false });
    compute = Template.fromStack(stacks.compute!);
    network = Template.fromStack(stacks.network);
  });

  it('runs three masters and three workers, one of each per private subnet', () => {
    const instances = Object.values(compute.findResources('AWS::EC2::Instance')).map((r) => r.Properties);
    const bySize = (type: string) => instances.filter((p) => p.InstanceType === type);
    expect(bySize('m6i.large')).toHaveLength(3);
    expect(bySize('m6i.xlarge')).toHaveLength(3);
    expect(new Set(bySize('m6i.large').map((p) => p.AvailabilityZone))).toEqual(new Set(['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c']));
    expect(new Set(bySize('m6i.xlarge').map((p) => p.AvailabilityZone)).size).toBe(3);
  });

  it('fronts them with an internal, cross-zone NLB mapped to every private subnet', () => {
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]),
    });
    const [lb] = Object.values(compute.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(lb!.Properties.Subnets).toHaveLength(3);
    const listeners = Object.values(compute.findResources('AWS::ElasticLoadBalancingV2::Listener')).map((r) => [r.Properties.Port, r.Properties.Protocol]);
    expect(listeners.sort()).toEqual([[443, 'TCP'], [6443, 'TCP'], [80, 'TCP']].sort());
    const groups = Object.values(compute.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map((r) => r.Properties.Port).sort();
    expect(groups).toEqual([30080, 30443, 6443]);
  });

  it('opens the API server to the NLB and the workers, and SSH only from the bastion', () => {
    const [mastersId] = Object.entries(network.findResources('AWS::EC2::SecurityGroup'))
      .find(([, g]) => String(g.Properties.GroupDescription).endsWith('servers/masters'))!;
    const ingress = Object.values(network.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === mastersId);
    const sourceOf = (p: { SourceSecurityGroupId?: { 'Fn::GetAtt': [string] } }) => p.SourceSecurityGroupId?.['Fn::GetAtt'][0] ?? 'cidr';
    const ssh = ingress.filter((p) => p.FromPort === 22);
    expect(ssh.map(sourceOf)).toEqual([expect.stringContaining('Bastion')]);
    expect(ingress.filter((p) => p.FromPort === 6443).map(sourceOf).sort()).toEqual([
      expect.stringContaining('LbK8s'), expect.stringContaining('ServersMasters'), expect.stringContaining('ServersWorkers'),
    ]);
    expect(ingress.every((p) => p.CidrIp === undefined)).toBe(true);
  });
});

describe('examples/k8s-on-ec2 (seed 002): Kubernetes itself', () => {
  let compute: Template;
  let network: Template;
  beforeAll(() => {
    const stacks = buildPlatformApp(examplePlan('k8s-on-ec2'), { nag: false });
    compute = Template.fromStack(stacks.compute!);
    network = Template.fromStack(stacks.network);
  });
  const userDataOf = (name: string) => JSON.stringify(Object.values(compute.findResources('AWS::EC2::Instance', {
    Properties: { Tags: Match.arrayWith([{ Key: 'Name', Value: name }]) },
  }))[0]!.Properties.UserData);

  it('initialises on masters/1 only; masters 2 and 3 join the control plane in turn; workers join', () => {
    expect(userDataOf('finops-k8s-masters-1')).toContain('kubeadm init --control-plane-endpoint');
    expect(userDataOf('finops-k8s-masters-2')).toContain('control_planes_joined_at_least 1');
    expect(userDataOf('finops-k8s-masters-3')).toContain('control_planes_joined_at_least 2');
    for (const n of [2, 3]) expect(userDataOf(`finops-k8s-masters-${n}`)).not.toContain('kubeadm init --control-plane-endpoint');
    for (const n of [1, 2, 3]) {
      const worker = userDataOf(`finops-k8s-workers-${n}`);
      expect(worker).toContain('wait_for \\"the join material\\" material_published');
      expect(worker).not.toContain('--control-plane');
    }
  });

  it('points every node at the NLB DNS name and shares join material through one secret, written only by masters', () => {
    const [nlbId] = Object.keys(compute.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    const [secretId, secret] = Object.entries(compute.findResources('AWS::SecretsManager::Secret'))[0]!;
    expect(secret.Properties.SecretString).toBe('{"state":"pending"}');
    expect(userDataOf('finops-k8s-workers-1')).toContain(`{"Fn::GetAtt":["${nlbId}","DNSName"]}`);
    expect(userDataOf('finops-k8s-workers-1')).toContain(`{"Ref":"${secretId}"}`);
    const statements = Object.values(compute.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Sid?: string }) => s.Sid === 'KubeadmJoinMaterial');
    expect(statements).toHaveLength(2);
    for (const s of statements) expect(s.Resource).toEqual({ Ref: secretId });
    expect(statements.map((s: { Action: string | string[] }) => [s.Action].flat().sort().join(',')).sort())
      .toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue,secretsmanager:PutSecretValue']);
  });

  it('turns client IP preservation off on every target group, so nodes calling the internal NLB never hairpin', () => {
    const groups = Object.values(compute.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g.Properties.TargetGroupAttributes).toEqual(expect.arrayContaining([{ Key: 'preserve_client_ip.enabled', Value: 'false' }]));
  });

  it('opens Calico VXLAN both ways between every pair of node groups, and etcd only among masters', () => {
    const groupIdOf = (suffix: string) => Object.entries(network.findResources('AWS::EC2::SecurityGroup'))
      .find(([, g]) => String(g.Properties.GroupDescription).endsWith(suffix))![0];
    const masters = groupIdOf('servers/masters');
    const workers = groupIdOf('servers/workers');
    const rules = Object.values(network.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const has = (to: string, from: string, protocol: string, port: number) => rules.some((p) => p.GroupId['Fn::GetAtt'][0] === to
      && p.SourceSecurityGroupId?.['Fn::GetAtt'][0] === from && p.IpProtocol === protocol && p.FromPort <= port && p.ToPort >= port);
    for (const to of [masters, workers]) for (const from of [masters, workers]) expect(has(to, from, 'udp', 4789), `${from} → ${to} 4789/udp`).toBe(true);
    expect(has(masters, masters, 'tcp', 2379)).toBe(true);
    expect(has(masters, workers, 'tcp', 2379)).toBe(false);
    expect(has(masters, workers, 'tcp', 6443)).toBe(true);
  });
});

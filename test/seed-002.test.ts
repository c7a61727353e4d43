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

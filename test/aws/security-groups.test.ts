/** SecurityGroups from its narrow props: a group per endpoint that owns one, rules only from flows, trusted groups by id. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { SecurityGroups, type SecurityGroupsProps } from '../../src/aws/security-groups.js';
import type { EndpointPlan, Flow } from '../../src/plan/types.js';

const ENDPOINTS: Record<string, EndpointPlan> = {
  'db/main': { ref: 'db/main', kind: 'db', cidrs: [], hasSecurityGroup: true },
  'servers/app': { ref: 'servers/app', kind: 'server', cidrs: [], hasSecurityGroup: true },
  bastion: { ref: 'bastion', kind: 'bastion', cidrs: [], hasSecurityGroup: true },
  'cidr:203.0.113.7/32': { ref: 'cidr:203.0.113.7/32', kind: 'cidr', cidrs: ['203.0.113.7/32'], hasSecurityGroup: false },
  'sg/corp-vpn': {
    ref: 'sg/corp-vpn', kind: 'trustedGroup', cidrs: [], hasSecurityGroup: false,
    trustedGroup: { groupId: 'sg-0c0ffee0c0ffee001', memberCidrs: ['10.0.0.0/16'], cidrsStated: false, description: 'corporate VPN' },
  },
};

const flow = (from: string, to: string, port: number): Flow => ({ from, to, ports: { protocol: 'tcp', from: port, to: port }, origin: ['test'], description: `${from} to ${to}` });

function synth(props: Partial<Omit<SecurityGroupsProps, 'vpc'>>) {
  const stack = new Stack(new App(), 'Network');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['ap-northeast-2a'] });
  const groups = new SecurityGroups(stack, 'SecurityGroups', { vpc, label: 'demo-prod', endpoints: ENDPOINTS, flows: [], ...props });
  return { stack, groups, template: Template.fromStack(stack) };
}

const ingressOf = (template: Template, description: string) => {
  const group = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g) => g.Properties.GroupDescription === description)!;
  return (group.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[];
};

describe('SecurityGroups', () => {
  it('GIVEN no flows THEN one group per endpoint that owns one, named for verify, and no ingress at all', () => {
    const { template } = synth({});
    template.resourceCountIs('AWS::EC2::SecurityGroup', 3);
    expect(ingressOf(template, 'plinth demo-prod: db/main')).toEqual([]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('GIVEN a flow from a trusted group WHEN synthesized THEN the rule names its id, and no group is made for it', () => {
    const { template } = synth({ flows: [flow('sg/corp-vpn', 'db/main', 5432)] });
    expect(ingressOf(template, 'plinth demo-prod: db/main')).toEqual([
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: 'sg-0c0ffee0c0ffee001', Description: 'sg/corp-vpn to db/main' },
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 3);
  });

  it('GIVEN a flow from an address THEN the rule names the address', () => {
    const { template } = synth({ flows: [flow('cidr:203.0.113.7/32', 'servers/app', 8080)] });
    expect(ingressOf(template, 'plinth demo-prod: servers/app')).toEqual([
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '203.0.113.7/32', Description: 'cidr:203.0.113.7/32 to servers/app' },
    ]);
  });

  it('GIVEN a bastion egress range THEN the bastion group lets out only that range; a data store lets out nothing', () => {
    const { template } = synth({ bastionEgressCidr: '10.0.0.0/16' });
    const egressOf = (description: string) => Object.values(template.findResources('AWS::EC2::SecurityGroup'))
      .find((g) => g.Properties.GroupDescription === description)!.Properties.SecurityGroupEgress as Record<string, unknown>[];
    expect(egressOf('plinth demo-prod: bastion')).toEqual([expect.objectContaining({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' })]);
    expect(egressOf('plinth demo-prod: db/main')).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
  });

  it('GIVEN a name tag for an endpoint THEN its group carries it', () => {
    const { template } = synth({ nameTags: { 'servers/app': 'demo-prod-app' } });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'plinth demo-prod: servers/app', Tags: [{ Key: 'Name', Value: 'demo-prod-app' }] });
  });
});

/**
 * Destroy's draining against recorded AWS SDK responses (aws-sdk-client-mock): a load balancer and
 * target group the AWS Load Balancer Controller made for an Ingress, its backend security group and
 * the rule it added to the nodes' group, an ENI left behind; and what must stay untouched.
 */
import {
  DeleteNetworkInterfaceCommand, DeleteSecurityGroupCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand,
  EC2Client, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand, DeleteTargetGroupCommand, DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { drain, platformVpc } from '../../src/ops/drain.js';

const VPC = 'vpc-0a1b2c3d4e5f60718';
const ALB = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/k8s-nemo-public-5d4c3b2a1f/0123456789abcdef';
const PLINTH_ALB = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/bootcamp-public/fedcba9876543210';
const OTHER_VPC_ALB = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/k8s-other/1111111111111111';
const TG = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-nemo-frontend-9a8b7c6d5e/0a0b0c0d0e0f0a0b';
const BACKEND_SG = 'sg-0b5e7c1a9d3f2e401';
const NODES_SG = 'sg-0c6f8d2b0e4a3f512';
const CLUSTER = 'nemo_EKS_kluster';

// mockClient on the classes answers for every instance; drain gets real instances, as the SDK's
// paginators require (they check the client's class).
const ec2 = mockClient(EC2Client);
const elb = mockClient(ElasticLoadBalancingV2Client);
const clients = { ec2: new EC2Client({ region: 'ap-northeast-2' }), elb: new ElasticLoadBalancingV2Client({ region: 'ap-northeast-2' }) };

function recorded(lbStillThere: number) {
  let polls = 0;
  elb.on(DescribeLoadBalancersCommand).callsFake(() => {
    polls++;
    const all = [
      { LoadBalancerArn: ALB, VpcId: VPC, Type: 'application', State: { Code: 'active' } },
      { LoadBalancerArn: PLINTH_ALB, VpcId: VPC, Type: 'application', State: { Code: 'active' } },
      { LoadBalancerArn: OTHER_VPC_ALB, VpcId: 'vpc-099999999999999999', Type: 'application', State: { Code: 'active' } },
    ];
    // The first call lists; later calls are the wait, which sees the deleted one go after a few polls.
    return { LoadBalancers: polls <= 1 + lbStillThere ? all : all.filter((l) => l.LoadBalancerArn !== ALB) };
  });
  elb.on(DescribeTagsCommand).callsFake(({ ResourceArns }: { ResourceArns: string[] }) => ({
    TagDescriptions: ResourceArns.map((arn) => ({
      ResourceArn: arn,
      Tags: arn === ALB || arn === TG
        ? [{ Key: 'elbv2.k8s.aws/cluster', Value: CLUSTER }, { Key: 'ingress.k8s.aws/stack', Value: 'public' }]
        : [{ Key: 'plinth:platform', Value: 'nemo' }],
    })),
  }));
  elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: TG, VpcId: VPC, TargetType: 'ip' }] });
  elb.on(DeleteLoadBalancerCommand).resolves({});
  elb.on(DeleteTargetGroupCommand).resolves({});
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: BACKEND_SG, GroupName: `k8s-traffic-${CLUSTER}-4f3e2d1c0b`, VpcId: VPC, Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: CLUSTER }, { Key: 'elbv2.k8s.aws/resource', Value: 'backend-sg' }], IpPermissions: [], IpPermissionsEgress: [] },
      {
        GroupId: NODES_SG, GroupName: 'nemo-prod-network-NetworkSecurityGroupsClusterNodes', VpcId: VPC, Tags: [{ Key: 'plinth:platform', Value: 'nemo' }],
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: BACKEND_SG, Description: 'elbv2.k8s.aws/targetGroupBinding=shared' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: NODES_SG }] },
        ],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ],
  });
  ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
  ec2.on(DeleteSecurityGroupCommand).resolves({});
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0d7a9e3c1f5b4a623', VpcId: VPC, Status: 'available', Description: 'aws-K8S-i-0123456789abcdef0' }],
  });
  ec2.on(DeleteNetworkInterfaceCommand).resolves({});
}

describe('drain', () => {
  beforeEach(() => {
    ec2.reset();
    elb.reset();
  });

  it('deletes the controller\'s load balancer, waits for it, then its target group, the rule naming its group, the group and the leftover ENI, in that order', async () => {
    recorded(2);
    const actions = await drain({ vpcId: VPC, clusterName: CLUSTER }, { ec2: clients.ec2, elb: clients.elb, pollMs: 0 });
    expect(actions).toEqual([
      { kind: 'load-balancer', id: ALB },
      { kind: 'target-group', id: TG },
      { kind: 'rule', id: NODES_SG },
      { kind: 'security-group', id: BACKEND_SG },
      { kind: 'network-interface', id: 'eni-0d7a9e3c1f5b4a623' },
    ]);
    // plinth's own load balancer (CloudFormation deletes it) and other VPCs are untouched.
    expect(elb.commandCalls(DeleteLoadBalancerCommand).map((c) => c.args[0].input.LoadBalancerArn)).toEqual([ALB]);
    // Only the rule naming the controller's group is revoked; the nodes' own rules stay for CloudFormation.
    const revoked = ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input;
    expect(revoked.GroupId).toBe(NODES_SG);
    expect(revoked.IpPermissions).toHaveLength(1);
    expect(revoked.IpPermissions![0]!.FromPort).toBe(8080);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
    // The wait polled until the load balancer was gone before the target group was deleted.
    expect(elb.commandCalls(DescribeLoadBalancersCommand).length).toBeGreaterThanOrEqual(3);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input.Filters).toContainEqual({ Name: 'status', Values: ['available'] });
  });

  it('gives up with a clear error when a load balancer never goes away', async () => {
    recorded(1000);
    await expect(drain({ vpcId: VPC, clusterName: CLUSTER }, { ec2: clients.ec2, elb: clients.elb, pollMs: 0, maxPolls: 3 }))
      .rejects.toThrow(/still deleting.*k8s-nemo-public/);
    expect(elb.commandCalls(DeleteTargetGroupCommand)).toHaveLength(0);
  });

  it('without a cluster only removes leftover ENIs', async () => {
    recorded(0);
    const actions = await drain({ vpcId: VPC, clusterName: undefined }, { ec2: clients.ec2, elb: clients.elb, pollMs: 0 });
    expect(actions).toEqual([{ kind: 'network-interface', id: 'eni-0d7a9e3c1f5b4a623' }]);
    expect(elb.calls()).toHaveLength(0);
  });
});

describe('drain over more than one page', () => {
  beforeEach(() => {
    ec2.reset();
    elb.reset();
  });

  it('follows NextMarker and NextToken: the controller\'s load balancer, target group, group and ENI on page two are found', async () => {
    // GIVEN every listing answers in two pages, the controller's resources on the second
    recorded(0);
    const PLINTH_TG = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/bootcamp-web/1111111111111111';
    // The paginators reuse one input object, so what each call asked for is recorded as it is asked.
    const asked: Record<string, (string | undefined)[]> = { lb: [], tg: [], sg: [], eni: [] };
    let lbCalls = 0;
    elb.on(DescribeLoadBalancersCommand).callsFake(({ Marker }: { Marker?: string }) => {
      lbCalls++;
      asked.lb!.push(Marker);
      if (!Marker) return { LoadBalancers: [{ LoadBalancerArn: PLINTH_ALB, VpcId: VPC }], NextMarker: 'lb-page-2' };
      // Page two: the controller's ALB, until the wait (after the first full listing) sees it gone.
      return { LoadBalancers: lbCalls <= 2 ? [{ LoadBalancerArn: ALB, VpcId: VPC }] : [] };
    });
    elb.on(DescribeTargetGroupsCommand).callsFake(({ Marker }: { Marker?: string }) => (asked.tg!.push(Marker), !Marker
      ? { TargetGroups: [{ TargetGroupArn: PLINTH_TG, VpcId: VPC }], NextMarker: 'tg-page-2' }
      : { TargetGroups: [{ TargetGroupArn: TG, VpcId: VPC }] }));
    ec2.on(DescribeSecurityGroupsCommand).callsFake(({ NextToken }: { NextToken?: string }) => (asked.sg!.push(NextToken), !NextToken
      ? { SecurityGroups: [{ GroupId: NODES_SG, VpcId: VPC, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: BACKEND_SG }] }], IpPermissionsEgress: [] }], NextToken: 'sg-page-2' }
      : { SecurityGroups: [{ GroupId: BACKEND_SG, VpcId: VPC, Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: CLUSTER }], IpPermissions: [], IpPermissionsEgress: [] }] }));
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(({ NextToken }: { NextToken?: string }) => (asked.eni!.push(NextToken), !NextToken
      ? { NetworkInterfaces: [], NextToken: 'eni-page-2' }
      : { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0d7a9e3c1f5b4a623', VpcId: VPC, Status: 'available' }] }));

    // WHEN
    const actions = await drain({ vpcId: VPC, clusterName: CLUSTER }, { ec2: clients.ec2, elb: clients.elb, pollMs: 0 });

    // THEN everything on page two is drained, in order, and each listing asked for its second page
    expect(actions).toEqual([
      { kind: 'load-balancer', id: ALB },
      { kind: 'target-group', id: TG },
      { kind: 'rule', id: NODES_SG },
      { kind: 'security-group', id: BACKEND_SG },
      { kind: 'network-interface', id: 'eni-0d7a9e3c1f5b4a623' },
    ]);
    expect(asked.lb!.slice(0, 2)).toEqual([undefined, 'lb-page-2']);
    expect(asked.tg).toEqual([undefined, 'tg-page-2']);
    expect(asked.sg).toEqual([undefined, 'sg-page-2']);
    expect(asked.eni).toEqual([undefined, 'eni-page-2']);
    // The tags of both pages' target groups were read; only the controller's was deleted.
    expect(elb.commandCalls(DeleteTargetGroupCommand).map((c) => c.args[0].input.TargetGroupArn)).toEqual([TG]);
  });
});

describe('platformVpc', () => {
  it('finds the VPC by the platform and environment tags plinth puts on it', async () => {
    ec2.reset();
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: VPC }] });
    expect(await platformVpc(clients.ec2, 'nemo', 'prod')).toBe(VPC);
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:plinth:platform', Values: ['nemo'] }, { Name: 'tag:plinth:environment', Values: ['prod'] },
    ]);
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    expect(await platformVpc(clients.ec2, 'nemo', 'prod')).toBeUndefined();
  });
});

/**
 * Before the stacks go: remove what controllers created in the VPC outside CloudFormation, which
 * would otherwise block deleting the VPC, its subnets and plinth's security groups (the most reported
 * destroy failure of eksctl, terraform-aws-eks and cdk-eks-blueprints alike).
 *
 * The AWS Load Balancer Controller tags what it creates with `elbv2.k8s.aws/cluster: <cluster name>`:
 * load balancers and target groups (its IAM policy conditions deletes on that tag) and its security
 * groups, e.g. the shared backend group `k8s-traffic-<cluster>-…` (kubernetes-sigs/aws-load-balancer-
 * controller#3701), whose rules it adds to the nodes' groups. The order cannot deadlock: load balancers
 * (their listeners go with them), then target groups (free once no listener uses them), then every
 * rule in the VPC that names a controller group, then those groups, then ENIs left `available`.
 */
import {
  DeleteNetworkInterfaceCommand, DeleteSecurityGroupCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand,
  EC2Client, RevokeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand, type IpPermission,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand, DeleteTargetGroupCommand, DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';

export const CONTROLLER_TAG = 'elbv2.k8s.aws/cluster';

export interface DrainTarget {
  readonly vpcId: string;
  /** The EKS cluster whose controllers made the resources; undefined: only leftover ENIs. */
  readonly clusterName: string | undefined;
}

export interface DrainClients {
  readonly ec2: EC2Client;
  readonly elb: ElasticLoadBalancingV2Client;
  /** Waits between polls while load balancers are deleted. @default 5 s */
  readonly pollMs?: number;
  /** Gives up waiting for load balancers after this many polls. @default 60 */
  readonly maxPolls?: number;
}

/** One thing done, in order, for the summary. */
export type DrainAction = { readonly kind: 'load-balancer' | 'target-group' | 'rule' | 'security-group' | 'network-interface'; readonly id: string };

export async function drain(target: DrainTarget, clients: DrainClients): Promise<DrainAction[]> {
  const done: DrainAction[] = [];
  if (target.clusterName) {
    const lbs = (await clients.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const ours = await controllerOwned(clients.elb, lbs.filter((lb) => lb.VpcId === target.vpcId).map((lb) => lb.LoadBalancerArn!), target.clusterName);
    for (const arn of ours) {
      await clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
      done.push({ kind: 'load-balancer', id: arn });
    }
    await waitUntilGone(clients, ours);
    const tgs = (await clients.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    for (const arn of await controllerOwned(clients.elb, tgs.filter((tg) => tg.VpcId === target.vpcId).map((tg) => tg.TargetGroupArn!), target.clusterName)) {
      await clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
      done.push({ kind: 'target-group', id: arn });
    }
    const groups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [target.vpcId] }] }))).SecurityGroups ?? [];
    const controllerGroups = new Set(groups.filter((g) => g.Tags?.some((t) => t.Key === CONTROLLER_TAG && t.Value === target.clusterName)).map((g) => g.GroupId!));
    for (const g of groups) {
      const names = (p: IpPermission) => p.UserIdGroupPairs?.some((pair) => controllerGroups.has(pair.GroupId!));
      const ingress = (g.IpPermissions ?? []).filter(names);
      const egress = (g.IpPermissionsEgress ?? []).filter(names);
      if (ingress.length) await clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: ingress }));
      if (egress.length) await clients.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: g.GroupId, IpPermissions: egress }));
      if (ingress.length || egress.length) done.push({ kind: 'rule', id: g.GroupId! });
    }
    for (const id of controllerGroups) {
      await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
      done.push({ kind: 'security-group', id });
    }
  }
  const enis = (await clients.ec2.send(new DescribeNetworkInterfacesCommand({
    Filters: [{ Name: 'vpc-id', Values: [target.vpcId] }, { Name: 'status', Values: ['available'] }],
  }))).NetworkInterfaces ?? [];
  for (const eni of enis) {
    await clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
    done.push({ kind: 'network-interface', id: eni.NetworkInterfaceId! });
  }
  return done;
}

/** The ARNs (load balancers or target groups) tagged as made by this cluster's controller. */
async function controllerOwned(elb: ElasticLoadBalancingV2Client, arns: readonly string[], cluster: string): Promise<string[]> {
  const out: string[] = [];
  // DescribeTags takes at most 20 ARNs per call.
  for (let i = 0; i < arns.length; i += 20) {
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }))).TagDescriptions ?? [];
    for (const d of tags) if (d.Tags?.some((t) => t.Key === CONTROLLER_TAG && t.Value === cluster)) out.push(d.ResourceArn!);
  }
  return out;
}

async function waitUntilGone(clients: DrainClients, arns: readonly string[]): Promise<void> {
  if (arns.length === 0) return;
  for (let poll = 0; poll < (clients.maxPolls ?? 60); poll++) {
    const left = (await clients.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    if (!left.some((lb) => arns.includes(lb.LoadBalancerArn!))) return;
    await new Promise((r) => setTimeout(r, clients.pollMs ?? 5000));
  }
  throw new Error(`load balancers still deleting after ${(clients.maxPolls ?? 60) * (clients.pollMs ?? 5000) / 1000} s: ${arns.join(', ')}`);
}

/** The platform's VPC, found by the tags plinth puts on every resource; undefined when already gone. */
export async function platformVpc(ec2: EC2Client, platform: string, environment: string): Promise<string | undefined> {
  const vpcs = (await ec2.send(new DescribeVpcsCommand({
    Filters: [{ Name: 'tag:plinth:platform', Values: [platform] }, { Name: 'tag:plinth:environment', Values: [environment] }],
  }))).Vpcs ?? [];
  return vpcs[0]?.VpcId;
}

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
  DeleteNetworkInterfaceCommand, DeleteSecurityGroupCommand, EC2Client, paginateDescribeNetworkInterfaces, paginateDescribeSecurityGroups, paginateDescribeVpcs,
  RevokeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand, type IpPermission, type NetworkInterface, type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand, DeleteTargetGroupCommand, DescribeTagsCommand, ElasticLoadBalancingV2Client, paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups, type LoadBalancer, type TargetGroup,
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

/**
 * Every item of every page: each listing returns one page at a time (DescribeLoadBalancers and
 * DescribeTargetGroups up to 400 by Marker, the EC2 Describe* calls by NextToken), and an account with
 * more than one page must not hide a controller-made resource on page two.
 */
async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

const loadBalancers = (elb: ElasticLoadBalancingV2Client): Promise<LoadBalancer[]> =>
  all(paginateDescribeLoadBalancers({ client: elb }, {}), (p) => p.LoadBalancers);

export async function drain(target: DrainTarget, clients: DrainClients): Promise<DrainAction[]> {
  const done: DrainAction[] = [];
  const vpcFilter = [{ Name: 'vpc-id', Values: [target.vpcId] }];
  if (target.clusterName) {
    const lbs = await loadBalancers(clients.elb);
    const ours = await controllerOwned(clients.elb, lbs.filter((lb) => lb.VpcId === target.vpcId).map((lb) => lb.LoadBalancerArn!), target.clusterName);
    for (const arn of ours) {
      await clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
      done.push({ kind: 'load-balancer', id: arn });
    }
    await waitUntilGone(clients, ours);
    const tgs: TargetGroup[] = await all(paginateDescribeTargetGroups({ client: clients.elb }, {}), (p) => p.TargetGroups);
    for (const arn of await controllerOwned(clients.elb, tgs.filter((tg) => tg.VpcId === target.vpcId).map((tg) => tg.TargetGroupArn!), target.clusterName)) {
      await clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
      done.push({ kind: 'target-group', id: arn });
    }
    const groups: SecurityGroup[] = await all(paginateDescribeSecurityGroups({ client: clients.ec2 }, { Filters: vpcFilter }), (p) => p.SecurityGroups);
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
  const enis: NetworkInterface[] = await all(paginateDescribeNetworkInterfaces({ client: clients.ec2 }, {
    Filters: [...vpcFilter, { Name: 'status', Values: ['available'] }],
  }), (p) => p.NetworkInterfaces);
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
    const left = await loadBalancers(clients.elb);
    if (!left.some((lb) => arns.includes(lb.LoadBalancerArn!))) return;
    await new Promise((r) => setTimeout(r, clients.pollMs ?? 5000));
  }
  throw new Error(`load balancers still deleting after ${(clients.maxPolls ?? 60) * (clients.pollMs ?? 5000) / 1000} s: ${arns.join(', ')}`);
}

/** The platform's VPC, found by the tags plinth puts on every resource; undefined when already gone. */
export async function platformVpc(ec2: EC2Client, platform: string, environment: string): Promise<string | undefined> {
  const vpcs = await all(paginateDescribeVpcs({ client: ec2 }, {
    Filters: [{ Name: 'tag:plinth:platform', Values: [platform] }, { Name: 'tag:plinth:environment', Values: [environment] }],
  }), (p) => p.Vpcs);
  return vpcs[0]?.VpcId;
}

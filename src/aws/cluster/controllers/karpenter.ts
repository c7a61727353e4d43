/**
 * Karpenter: launches right-sized EC2 nodes for pending pods and consolidates them away, instead of
 * resizing node groups. Besides its Pod Identity role it needs a node role (with an EC2_LINUX access
 * entry, so its nodes join without aws-auth) and an interruption queue fed by EventBridge, so it
 * drains a node before a Spot reclaim, a scheduled maintenance or a stop takes it away.
 *
 * Policy: the controller policy of Karpenter's getting-started CloudFormation template
 * (karpenter-provider-aws website/.../getting-started-with-karpenter/cloudformation.yaml), with the
 * node role, queue and cluster named exactly. Every write is conditioned on the
 * `kubernetes.io/cluster/<cluster>: owned` and `karpenter.sh/*` tags Karpenter puts on what it creates.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ControllerConfigError } from './errors.js';

/**
 * 1.14.1: github.com/zalando-incubator/kubernetes-on-aws PR #12117, 2026-08-26
 * (docs/research/cluster-facts.md §4). Published as an OCI chart since v0.17.
 */
export const KARPENTER_CHART: HelmChartRef = {
  repository: 'oci://public.ecr.aws/karpenter/karpenter',
  chart: 'karpenter',
  version: '1.14.1',
};

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'karpenter';

export interface KarpenterOptions {
  readonly kind: 'karpenter';
  /** Subnets Karpenter nodes are launched in (the cluster's private subnets); tokens are fine. */
  readonly nodeSubnetIds: readonly string[];
  /** Security groups of Karpenter nodes (the node security group); tokens are fine. */
  readonly nodeSecurityGroupIds: readonly string[];
  /**
   * Upper bound of vCPUs across all Karpenter nodes: the cost ceiling.
   * @default 64
   */
  readonly cpuLimit?: number;
  /**
   * Upper bound of memory across all Karpenter nodes.
   * @default 256
   */
  readonly memoryLimitGiB?: number;
  /** @default ['on-demand'] */
  readonly capacityTypes?: readonly ('on-demand' | 'spot')[];
  /**
   * AMI alias of the default EC2NodeClass. `al2023@latest` follows AWS's releases (nodes drift and are
   * replaced, within disruption budgets, when a new AMI ships); pin `al2023@v<date>` to freeze them.
   * @default 'al2023@latest'
   */
  readonly amiAlias?: string;
  /** @default 20 */
  readonly nodeDiskGiB?: number;
}

export function karpenter(options: KarpenterOptions & { readonly clusterName: string; readonly region: string }): ControllerDefinition {
  if (options.nodeSubnetIds.length === 0 || options.nodeSecurityGroupIds.length === 0) {
    throw new ControllerConfigError('E_KARPENTER_PLACEMENT', 'Karpenter needs the subnets and security groups its nodes go in '
      + `(got ${options.nodeSubnetIds.length} subnets, ${options.nodeSecurityGroupIds.length} security groups); pass the cluster's private subnets and node security group.`);
  }
  const { clusterName, region } = options;
  const queueName = limitedName(`${clusterName}-karpenter`, 80, 'interruption queue');
  const nodeRoleName = limitedName(`${clusterName}-karpenter-node`, 64, 'node role');
  const ec2Arn = (type: string, account = '*'): string => `arn:${Aws.PARTITION}:ec2:${region}:${account}:${type}/*`;
  const owned = `kubernetes.io/cluster/${clusterName}`;

  return {
    name: 'karpenter',
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: KARPENTER_CHART,
    purpose: 'Launches right-sized EC2 nodes for pending pods and consolidates idle ones; drains nodes ahead of Spot and maintenance interruptions.',
    // The NodePool and EC2NodeClass are admitted by its webhooks.
    wait: true,
    values: {
      settings: { clusterName, interruptionQueue: queueName },
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
      controller: { env: [{ name: 'AWS_REGION', value: region }] },
    },
    awsResources: {
      nodeRole: {
        roleName: nodeRoleName,
        description: `Nodes Karpenter launches for ${clusterName}`,
        managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'],
      },
      eventQueue: {
        queueName,
        retentionPeriodSeconds: 300,
        eventPatterns: [
          { id: 'ScheduledChange', source: 'aws.health', detailType: 'AWS Health Event' },
          { id: 'SpotInterruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
          { id: 'Rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
          { id: 'InstanceStateChange', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
        ],
      },
    },
    statements: [
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [
          `arn:${Aws.PARTITION}:ec2:${region}::image/*`,
          `arn:${Aws.PARTITION}:ec2:${region}::snapshot/*`,
          ec2Arn('spot-instances-request'), ec2Arn('security-group'), ec2Arn('subnet'), ec2Arn('launch-template'),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: [ec2Arn('fleet'), ec2Arn('instance'), ec2Arn('volume'), ec2Arn('network-interface'), ec2Arn('launch-template')],
        conditions: {
          StringEquals: { [`aws:RequestTag/${owned}`]: 'owned' },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceCreationTagging',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('fleet'), ec2Arn('instance'), ec2Arn('volume'), ec2Arn('network-interface'), ec2Arn('launch-template')],
        conditions: {
          StringEquals: { [`aws:RequestTag/${owned}`]: 'owned', 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceTagging',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('instance')],
        conditions: {
          'StringEquals': { [`aws:ResourceTag/${owned}`]: 'owned' },
          'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['karpenter.sh/nodeclaim', 'Name'] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedDeletion',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [ec2Arn('instance'), ec2Arn('launch-template')],
        conditions: {
          StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowRegionalReadActions',
        actions: [
          'ec2:DescribeAvailabilityZones', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': region } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowSSMReadActions',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${Aws.PARTITION}:ssm:${region}::parameter/aws/service/*`],
      }),
      new iam.PolicyStatement({
        sid: 'AllowPricingReadActions',
        actions: ['pricing:GetProducts'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AllowInterruptionQueueActions',
        actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: [`arn:${Aws.PARTITION}:sqs:${region}:${Aws.ACCOUNT_ID}:${queueName}`],
      }),
      new iam.PolicyStatement({
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${nodeRoleName}`],
        conditions: { StringEquals: { 'iam:PassedToService': `ec2.${Aws.URL_SUFFIX}` } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileCreationActions',
        actions: ['iam:CreateInstanceProfile'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
        conditions: {
          StringEquals: { [`aws:RequestTag/${owned}`]: 'owned', 'aws:RequestTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileTagActions',
        actions: ['iam:TagInstanceProfile'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region,
            [`aws:RequestTag/${owned}`]: 'owned', 'aws:RequestTag/topology.kubernetes.io/region': region,
          },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileActions',
        actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
        conditions: {
          StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowInstanceProfileReadActions',
        actions: ['iam:GetInstanceProfile'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
      }),
      new iam.PolicyStatement({
        sid: 'AllowAPIServerEndpointDiscovery',
        actions: ['eks:DescribeCluster'],
        resources: [`arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:cluster/${clusterName}`],
      }),
    ],
    wildcardReasons: {
      AllowScopedEC2InstanceActions: 'a launch names the AMI, snapshot, subnet, security group and launch template the '
        + 'EC2NodeClass selects at run time (AMIs change with every release); these are the inputs of RunInstances/CreateFleet, '
        + 'whose outputs are restricted by the tag conditions of the next statements.',
      AllowScopedEC2InstanceActionsWithTags: `instances, volumes, ENIs, fleets and launch templates do not exist before the call; `
        + `the request must tag them kubernetes.io/cluster/${clusterName}=owned and karpenter.sh/nodepool.`,
      AllowScopedResourceCreationTagging: `tags may only be set while creating Karpenter's own resources (ec2:CreateAction) with the cluster and nodepool tags.`,
      AllowScopedResourceTagging: `only instances already tagged for ${clusterName} and a nodepool, and only the karpenter.sh/nodeclaim and Name tags.`,
      AllowScopedDeletion: `only instances and launch templates tagged kubernetes.io/cluster/${clusterName}=owned and karpenter.sh/nodepool.`,
      AllowRegionalReadActions: 'EC2 describe calls support no resource-level scoping; limited to this region by aws:RequestedRegion.',
      AllowSSMReadActions: 'the public parameters under /aws/service/ hold the current EKS-optimized AMI ids the AMI alias resolves to.',
      AllowPricingReadActions: 'pricing:GetProducts supports no resource-level scoping; it reads public prices to pick the cheapest instance.',
      AllowScopedInstanceProfileCreationActions: `instance profiles get generated names; creation requires the ${clusterName}, region and ec2nodeclass tags.`,
      AllowScopedInstanceProfileTagActions: `only instance profiles already tagged for ${clusterName} in this region.`,
      AllowScopedInstanceProfileActions: `only instance profiles tagged for ${clusterName} in this region.`,
      AllowInstanceProfileReadActions: 'instance profiles get generated names; iam:GetInstanceProfile is a read.',
    },
    manifests: [
      {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: 'default' },
        spec: {
          role: nodeRoleName,
          amiSelectorTerms: [{ alias: options.amiAlias ?? 'al2023@latest' }],
          subnetSelectorTerms: options.nodeSubnetIds.map((id) => ({ id })),
          securityGroupSelectorTerms: options.nodeSecurityGroupIds.map((id) => ({ id })),
          // IMDSv2 only, and one hop: pods use Pod Identity, never the node's role.
          metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
          blockDeviceMappings: [{
            deviceName: '/dev/xvda',
            ebs: { volumeSize: `${options.nodeDiskGiB ?? 20}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
          }],
        },
      },
      {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'default' },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
              requirements: [
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...(options.capacityTypes ?? ['on-demand'])] },
                { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
                { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] },
              ],
              // Nodes are replaced monthly, so none runs an unpatched AMI for long.
              expireAfter: '720h',
            },
          },
          limits: { cpu: String(options.cpuLimit ?? 64), memory: `${options.memoryLimitGiB ?? 256}Gi` },
          disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
        },
      },
    ],
  };
}

function limitedName(name: string, max: number, what: string): string {
  if (name.length > max) {
    throw new ControllerConfigError('E_KARPENTER_NAME', `the Karpenter ${what} would be named "${name}" (${name.length} characters), longer than AWS allows (${max}); shorten the cluster name.`);
  }
  return name;
}

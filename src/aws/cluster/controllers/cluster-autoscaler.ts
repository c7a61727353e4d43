/**
 * Cluster Autoscaler: grows and shrinks the managed node groups between their min and max, found by
 * the auto-discovery tags EKS puts on every managed node group's Auto Scaling group
 * (`k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/<cluster>`). It may only resize
 * groups carrying both tags, so it cannot touch another cluster's nodes in the same account.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ControllerConfigError } from './errors.js';

/** 9.59.0 (app 1.35.0): github.com/kubermatic/kubermatic PR #16253, 2026-08-13 (docs/research/cluster-facts.md §4). */
export const CLUSTER_AUTOSCALER_CHART: HelmChartRef = {
  repository: 'https://kubernetes.github.io/autoscaler',
  chart: 'cluster-autoscaler',
  version: '9.59.0',
};

/**
 * The autoscaler's minor must equal the cluster's (it simulates the scheduler of that release).
 * Newest patches: cluster-autoscaler-1.33.6, -1.34.5, -1.35.2, all published 2026-07-23
 * (github.com/kubernetes/autoscaler releases).
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  '1.33': 'v1.33.6',
  '1.34': 'v1.34.5',
  '1.35': 'v1.35.2',
};

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'cluster-autoscaler';

export interface ClusterAutoscalerOptions {
  readonly clusterName: string;
  readonly region: string;
  /** `major.minor`, e.g. `1.33`. */
  readonly kubernetesVersion: string;
}

export function clusterAutoscaler(options: ClusterAutoscalerOptions): ControllerDefinition {
  const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[options.kubernetesVersion];
  if (!tag) {
    throw new ControllerConfigError('E_AUTOSCALER_VERSION', `Cluster Autoscaler has no pinned image for Kubernetes ${options.kubernetesVersion}; `
      + `pinned minors are ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(', ')}. Use one of them, or autoscaling: karpenter.`);
  }
  const ownTags = {
    'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
    [`aws:ResourceTag/k8s.io/cluster-autoscaler/${options.clusterName}`]: 'owned',
  };
  return {
    name: 'cluster-autoscaler',
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: CLUSTER_AUTOSCALER_CHART,
    purpose: 'Resizes the managed node groups (within their min/max) when pods cannot be scheduled or nodes sit idle.',
    values: {
      cloudProvider: 'aws',
      awsRegion: options.region,
      autoDiscovery: { clusterName: options.clusterName },
      image: { tag },
      rbac: { serviceAccount: { create: true, name: SERVICE_ACCOUNT } },
      extraArgs: { 'balance-similar-node-groups': true },
    },
    statements: [
      new iam.PolicyStatement({
        sid: 'ResizeOwnNodeGroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: [`arn:${Aws.PARTITION}:autoscaling:${options.region}:${Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/*`],
        conditions: { StringEquals: ownTags },
      }),
      new iam.PolicyStatement({
        sid: 'DiscoverNodeGroups',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DescribeOwnNodeGroups',
        actions: ['eks:DescribeNodegroup'],
        resources: [`arn:${Aws.PARTITION}:eks:${options.region}:${Aws.ACCOUNT_ID}:nodegroup/${options.clusterName}/*/*`],
      }),
    ],
    wildcardReasons: {
      ResizeOwnNodeGroups: 'EKS names the node groups\' Auto Scaling groups and their ARNs carry generated ids; the statement '
        + `only applies to groups tagged k8s.io/cluster-autoscaler/enabled=true and k8s.io/cluster-autoscaler/${options.clusterName}=owned.`,
      DiscoverNodeGroups: 'these Auto Scaling and EC2 describe calls support no resource-level scoping; they are reads used to '
        + 'discover the tagged node groups and instance shapes.',
      DescribeOwnNodeGroups: `node group ARNs end in a generated id; the pattern is limited to node groups of ${options.clusterName}.`,
    },
  };
}

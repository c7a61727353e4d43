/**
 * Which controllers a cluster runs, as data (ControllerDefinition, ../controller.ts). The cluster
 * construct maps its plan onto ControllerOptions, calls controllerDefinitions and hands the result to
 * installControllers (../install-controllers.ts); nothing here creates a construct.
 *
 * ```ts
 * const definitions = controllerDefinitions({
 *   clusterName: 'nemo-v3', region: stack.region, vpcId: vpc.vpcId, kubernetesVersion: '1.33',
 *   externalSecrets: { secretArns: [db.secret.secretArn] },
 *   argocd: { imageUpdater: { repositories: [{ name: 'backend', arn: repo.repositoryArn, uri: repo.repositoryUri }] } },
 * });
 * ```
 */
import { Token } from 'aws-cdk-lib';
import type { ControllerDefinition } from '../controller.js';
import { argoCd } from './argo-cd.js';
import { argoCdImageUpdater, type ImageUpdaterOptions } from './argocd-image-updater.js';
import { clusterAutoscaler } from './cluster-autoscaler.js';
import { ControllerConfigError } from './errors.js';
import { externalDns, type ExternalDnsOptions } from './external-dns.js';
import { externalSecrets, type ExternalSecretsOptions } from './external-secrets.js';
import { karpenter, type KarpenterOptions } from './karpenter.js';
import { loadBalancerController } from './load-balancer-controller.js';
import { nvidiaDevicePlugin } from './nvidia-device-plugin.js';

export interface ControllerOptions {
  /**
   * The EKS cluster's name, as a literal: it appears in IAM condition keys and tag keys
   * (`aws:ResourceTag/k8s.io/cluster-autoscaler/<name>`), where CloudFormation cannot resolve a token.
   */
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's VPC id; a token is fine. */
  readonly vpcId: string;
  /** `major.minor`, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /**
   * AWS Load Balancer Controller.
   * @default true
   */
  readonly loadBalancer?: boolean;
  /** @default - no External Secrets Operator */
  readonly externalSecrets?: ExternalSecretsOptions;
  /** @default - no Argo CD */
  readonly argocd?: ArgoCdOptions;
  /** @default - no external-dns */
  readonly externalDns?: ExternalDnsOptions;
  /** @default 'none' */
  readonly autoscaling?: 'none' | 'cluster-autoscaler' | KarpenterOptions;
  /**
   * Whether a GPU node group exists: installs the NVIDIA device plugin, which runs on nodes labelled
   * GPU_NODE_LABELS (the cluster construct puts them on GPU groups).
   * @default false
   */
  readonly gpu?: boolean;
}

export interface ArgoCdOptions {
  /**
   * `chart`: self-hosted from the argo-cd chart. `capability`: the EKS-managed Argo CD, created with
   * argoCdCapability() (needs an IAM Identity Center instance) and passed to installControllers.
   * @default 'chart'
   */
  readonly install?: 'chart' | 'capability';
  /** @default - no Image Updater */
  readonly imageUpdater?: ImageUpdaterOptions;
}

/** The controllers the options enable, in install order. */
export function controllerDefinitions(options: ControllerOptions): ControllerDefinition[] {
  if (Token.isUnresolved(options.clusterName)) {
    throw new ControllerConfigError('E_CLUSTER_NAME_TOKEN', 'controllerDefinitions needs the cluster name as a literal string (it goes into IAM condition keys), '
      + 'not a token such as cluster.clusterName; pass the name from the plan.');
  }
  const { clusterName, region } = options;
  const autoscaling = options.autoscaling ?? 'none';
  return [
    ...((options.loadBalancer ?? true) ? [loadBalancerController({ clusterName, region, vpcId: options.vpcId })] : []),
    ...(options.externalSecrets ? [externalSecrets({ ...options.externalSecrets, region })] : []),
    ...(options.argocd && (options.argocd.install ?? 'chart') === 'chart' ? [argoCd()] : []),
    ...(options.argocd?.imageUpdater ? [argoCdImageUpdater({ ...options.argocd.imageUpdater, region })] : []),
    ...(options.externalDns ? [externalDns({ ...options.externalDns, clusterName, region })] : []),
    ...(autoscaling === 'cluster-autoscaler' ? [clusterAutoscaler({ clusterName, region, kubernetesVersion: options.kubernetesVersion })] : []),
    ...(typeof autoscaling === 'object' ? [karpenter({ ...autoscaling, clusterName, region })] : []),
    ...(options.gpu ? [nvidiaDevicePlugin()] : []),
  ];
}

export { argoCdCapability, type ArgoCdCapability, type ArgoCdCapabilityProps, type ArgoCdRoleMapping } from './argo-cd-capability.js';
export { type GitOpsSource } from './argo-cd-applications.js';
export { type EcrRepositoryRef, type ImageUpdaterOptions, RELEASE_TAG_PATTERN } from './argocd-image-updater.js';
export { ControllerConfigError } from './errors.js';
export { type ExternalDnsOptions } from './external-dns.js';
export { type ExternalSecretsOptions, SECRETS_MANAGER_STORE } from './external-secrets.js';
export { type KarpenterOptions } from './karpenter.js';
export { GPU_NODE_LABELS } from './nvidia-device-plugin.js';

/**
 * EKS managed add-ons: which ones a plinth cluster runs, in what order, with what permissions, and
 * the exact version of each per Kubernetes version. Versions are pinned in code so that the same spec
 * gives the same cluster next year; a newer plinth raises them after they are checked with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
 *
 * Sources are in docs/research/cluster-facts.md §2 unless a line says otherwise. Where a version was
 * found for one Kubernetes version only, it is used for the others only when the add-on is published
 * as one build for every supported Kubernetes version (so the choice is the add-on's, not ours), and
 * the line says so. A missing entry makes that Kubernetes version unsupported for the add-on, which
 * the plan reports as E_ADDON_VERSION.
 */
import type { AddonPhase, KubernetesVersion } from './types.js';

export type AddonName =
  | 'vpc-cni' | 'eks-pod-identity-agent' | 'kube-proxy'
  | 'coredns' | 'aws-ebs-csi-driver' | 'aws-efs-csi-driver' | 'metrics-server';

export interface AddonDefinition {
  readonly name: AddonName;
  /**
   * beforeNodes: DaemonSets a node needs to become Ready (pod networking, service routing, Pod Identity
   * credentials); they go ACTIVE without nodes. afterNodes: Deployments that stay DEGRADED until a node
   * can run them, which would make CloudFormation wait and fail.
   */
  readonly phase: AddonPhase;
  /** The controller's service account and the AWS managed policy (path/name) its Pod Identity role gets. */
  readonly podIdentity?: { readonly serviceAccount: string; readonly managedPolicy: string };
  readonly purpose: string;
}

/**
 * In installation order. vpc-cni has no Pod Identity association on purpose: aws-node must assign pod
 * addresses on a new node before anything else runs there, including the Pod Identity agent that would
 * hand it credentials, so it keeps the AmazonEKS_CNI_Policy on the node role (as EKS itself sets it up).
 */
export const ADDONS: readonly AddonDefinition[] = [
  { name: 'vpc-cni', phase: 'beforeNodes', purpose: 'pod networking: each pod gets a VPC address' },
  { name: 'kube-proxy', phase: 'beforeNodes', purpose: 'Service routing on every node (aws-node reaches the API server through it)' },
  { name: 'eks-pod-identity-agent', phase: 'beforeNodes', purpose: 'hands AWS credentials to pods through Pod Identity' },
  { name: 'coredns', phase: 'afterNodes', purpose: 'cluster DNS' },
  {
    name: 'aws-ebs-csi-driver', phase: 'afterNodes', purpose: 'EBS volumes for PersistentVolumeClaims',
    podIdentity: { serviceAccount: 'ebs-csi-controller-sa', managedPolicy: 'service-role/AmazonEBSCSIDriverPolicy' },
  },
  {
    name: 'aws-efs-csi-driver', phase: 'afterNodes', purpose: 'EFS file systems as ReadWriteMany volumes (only with data.fileSystems)',
    podIdentity: { serviceAccount: 'efs-csi-controller-sa', managedPolicy: 'service-role/AmazonEFSCSIDriverPolicy' },
  },
  { name: 'metrics-server', phase: 'afterNodes', purpose: 'CPU and memory metrics for HorizontalPodAutoscalers and kubectl top' },
];

export const ADDON_VERSIONS: Readonly<Record<AddonName, Partial<Record<KubernetesVersion, string>>>> = {
  // Sourced for 1.33 (2026-07). AWS publishes one VPC CNI build for every supported Kubernetes version
  // (the add-on table in the EKS user guide, managing-vpc-cni, lists the same version for 1.27-1.33), so
  // it is used for 1.32 and 1.34 too. Upgrade one minor version at a time.
  'vpc-cni': { '1.32': 'v1.22.3-eksbuild.1', '1.33': 'v1.22.3-eksbuild.1', '1.34': 'v1.22.3-eksbuild.1' },
  'kube-proxy': { '1.32': 'v1.32.13-eksbuild.16', '1.33': 'v1.33.10-eksbuild.13', '1.34': 'v1.34.6-eksbuild.13' },
  // The agent does not depend on the Kubernetes minor; public aws-eks-v2 code pins v1.3.10-eksbuild.3 for
  // every version from 1.30 to 1.35 (2026), newer than the v1.3.9-eksbuild.1 in
  // docs/research/cluster-facts.md.
  'eks-pod-identity-agent': { '1.32': 'v1.3.10-eksbuild.3', '1.33': 'v1.3.10-eksbuild.3', '1.34': 'v1.3.10-eksbuild.3' },
  coredns: { '1.32': 'v1.11.4-eksbuild.40', '1.33': 'v1.12.4-eksbuild.18', '1.34': 'v1.13.2-eksbuild.11' },
  // v1.66.0-eksbuild.1 is the default for 1.36 (2026-09); the per-version default for 1.32-1.34 is
  // unsourced. The EBS CSI add-on is published as one build for every supported version (public code maps
  // v1.58.0-eksbuild.1 to 1.30-1.35) and the driver supports Kubernetes 1.20+.
  'aws-ebs-csi-driver': { '1.32': 'v1.66.0-eksbuild.1', '1.33': 'v1.66.0-eksbuild.1', '1.34': 'v1.66.0-eksbuild.1' },
  // Newest for 1.36 (2026-09); per-version availability for 1.32-1.34 is unsourced, used on the same
  // grounds as the EBS driver (one build per release for all supported versions).
  'aws-efs-csi-driver': { '1.32': 'v3.4.2-eksbuild.1', '1.33': 'v3.4.2-eksbuild.1', '1.34': 'v3.4.2-eksbuild.1' },
  // The v0.9.0-eksbuild.6 in docs/research/cluster-facts.md is not used: upstream's compatibility matrix
  // for metrics-server 0.9.0 lists Kubernetes 1.34+. v0.8.1-eksbuild.5 is pinned for 1.31-1.35 in public
  // aws-eks-v2 code (2026).
  'metrics-server': { '1.32': 'v0.8.1-eksbuild.5', '1.33': 'v0.8.1-eksbuild.5', '1.34': 'v0.8.1-eksbuild.5' },
};


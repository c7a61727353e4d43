/**
 * EKS managed add-ons: which ones a plinth cluster runs, in what order, with what permissions. The
 * exact build of each per Kubernetes version, with its source, is in the version calendar
 * (calendar/eks.ts); a missing pin makes that version unusable (E_ADDON_VERSION).
 */
import { ADDON_PINS, type AddonName } from './calendar/eks.js';
import type { AddonPhase, KubernetesVersion } from './types.js';

export type { AddonName };

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

/** The pinned build of each add-on per Kubernetes version, with its source in calendar/eks.ts. */
export const ADDON_VERSIONS: Readonly<Record<AddonName, Partial<Record<KubernetesVersion, string>>>> = Object.fromEntries(
  Object.entries(ADDON_PINS).map(([name, pins]) => [name, Object.fromEntries(Object.entries(pins).map(([v, p]) => [v, p.version]))]),
) as Record<AddonName, Partial<Record<KubernetesVersion, string>>>;

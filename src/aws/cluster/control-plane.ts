/**
 * The EKS control plane, from aws-eks-v2's Cluster: authentication mode API (access entries only; the
 * construct has no aws-auth ConfigMap), managed node groups instead of Auto Mode, no self-managed
 * add-ons (plinth installs them as EKS add-ons with pinned versions), KMS envelope encryption of
 * secrets, control-plane logs with a retention, and the support type set explicitly because
 * CloudFormation's default (EXTENDED) bills 6x once standard support ends.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CONTROL_PLANE } from '../../plan/cluster.js';
import type { ClusterLogType, KubernetesVersion } from '../../plan/types.js';
import { acknowledge } from '../acknowledge.js';
import type { PlatformNetwork } from '../platform-network.js';
import { kubectlLayer } from './kubectl-layer.js';

export interface ControlPlaneProps {
  /** The EKS cluster name; also names the control-plane log group. */
  readonly clusterName: string;
  /** Kubernetes minor version; picks the kubectl layer too. */
  readonly version: KubernetesVersion;
  /** Plan subnet ids (SubnetPlan.id) of the control plane's network interfaces. */
  readonly subnets: readonly string[];
  /** The subnets, and the `cluster/controlPlane` security group whose rules come from the plan's flows. */
  readonly network: PlatformNetwork;
  /** The Service CIDR, explicit so the API server's Service address is known at synth. */
  readonly serviceIpv4Cidr: string;
  /** Addresses the public endpoint admits. @default - none: private endpoint only */
  readonly publicAccessCidrs?: readonly string[];
  /** Envelope-encrypt Kubernetes secrets with a key of the cluster's own. @default true */
  readonly secretsEncryption?: boolean;
  /** Control-plane logs sent to CloudWatch Logs. @default - all five */
  readonly logTypes?: readonly ClusterLogType[];
  /** Retention of the control-plane log group. @default 30 */
  readonly logRetentionDays?: number;
  /** EKS support type, explicit because CloudFormation's default (EXTENDED) bills 6x after standard support. @default 'STANDARD' */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  /** Whether anything is applied with kubectl (manifests, Helm charts); only then is the kubectl Lambda created. @default false */
  readonly kubectl?: boolean;
  /** Prefix of descriptions, e.g. `plinth nemo/prod`. */
  readonly label: string;
}

const LOG_TYPES: Record<ClusterLogType, eks.ClusterLoggingTypes> = {
  api: eks.ClusterLoggingTypes.API,
  audit: eks.ClusterLoggingTypes.AUDIT,
  authenticator: eks.ClusterLoggingTypes.AUTHENTICATOR,
  controllerManager: eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  scheduler: eks.ClusterLoggingTypes.SCHEDULER,
};

export function newControlPlane(scope: Construct, props: ControlPlaneProps): eks.Cluster {
  const { clusterName, network } = props;
  const publicAccessCidrs = props.publicAccessCidrs ?? [];
  const logTypes = props.logTypes ?? (Object.keys(LOG_TYPES) as ClusterLogType[]);
  const secretsKey = (props.secretsEncryption ?? true) ? newSecretsKey(scope, clusterName, props.label) : undefined;
  const logGroup = logTypes.length > 0 ? newLogGroup(scope, clusterName, props.logRetentionDays ?? 30) : undefined;

  const cluster = new eks.Cluster(scope, 'Cluster', {
    clusterName,
    version: eks.KubernetesVersion.of(props.version),
    vpc: network.vpc,
    vpcSubnets: [{ subnets: props.subnets.map((id) => network.subnet(id)) }],
    // The control plane's additional security group; its rules come from the plan's flows.
    securityGroup: network.securityGroup(CONTROL_PLANE),
    endpointAccess: publicAccessCidrs.length > 0
      ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...publicAccessCidrs)
      : eks.EndpointAccess.PRIVATE,
    secretsEncryptionKey: secretsKey,
    clusterLogging: logTypes.map((t) => LOG_TYPES[t]),
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
    // Self-managed vpc-cni, kube-proxy and coredns would be replaced by the managed add-ons a minute
    // later; without them, nothing on the cluster runs a version plinth did not pin.
    bootstrapSelfManagedAddons: false,
    serviceIpv4Cidr: props.serviceIpv4Cidr,
    // With a private endpoint the handler runs in the cluster's subnets with the cluster security group.
    kubectlProviderOptions: props.kubectl ? { kubectlLayer: kubectlLayer(scope, 'KubectlLayer', props.version) } : undefined,
  });

  const cfn = cluster.node.defaultChild as eks.CfnCluster;
  cfn.upgradePolicy = { supportType: props.supportType ?? 'STANDARD' };
  if (logGroup) cfn.addResourceDependency(logGroup.node.defaultChild as logs.CfnLogGroup, 'EKS would create the log group itself, without a retention');
  if (secretsKey) {
    // EKS encrypts and decrypts data keys as the cluster role (terraform-aws-eks grants the same four).
    secretsKey.grant(cluster.role, 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants');
    acknowledge(cfn, 'CloudFormation-Validate::W9009', 'EncryptionConfig.Resources: ["secrets"] is what aws-eks-v2 writes and what EKS documents for envelope encryption; '
      + 'the deprecation note in the resource schema has no replacement property yet.');
  }

  acknowledge(cluster.role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
    'AmazonEKSClusterPolicy is the service role policy EKS requires for the control plane; AWS changes it with EKS features.');
  if (logTypes.length < Object.keys(LOG_TYPES).length) {
    acknowledge(cluster, 'AwsSolutions-EKS2', `The spec sends only ${logTypes.join(', ') || 'no'} control-plane logs (cluster.logTypes), trading audit depth for CloudWatch cost; the default is all five.`);
  }
  if (publicAccessCidrs.length > 0) {
    acknowledge(cluster, 'AwsSolutions-EKS1', `The spec opens the public endpoint to ${publicAccessCidrs.join(', ')} only (cluster.publicAccessCidrs); 0.0.0.0/0 is refused by the plan.`);
  }
  return cluster;
}

/** A key of its own, rotated yearly; deleting the cluster schedules it for deletion after 30 days. */
function newSecretsKey(scope: Construct, clusterName: string, label: string): kms.Key {
  return new kms.Key(scope, 'SecretsKey', {
    description: `${label}: envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`,
    enableKeyRotation: true,
    // The secrets it protects live in the cluster's etcd and go with the cluster; 30 days to change one's mind.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(30),
  });
}

/**
 * EKS writes to /aws/eks/<name>/cluster and would create it without expiry. Created here first, with a
 * retention; retained when the stack goes away (audit logs are evidence), but not when the first create
 * rolls back (RetainExceptOnCreate), so a retry does not collide with it. A deploy after a destroy adopts
 * the kept group (`plinth deploy` passes --import-existing-resources).
 */
function newLogGroup(scope: Construct, clusterName: string, retentionDays: number): logs.LogGroup {
  return new logs.LogGroup(scope, 'ControlPlaneLogs', {
    logGroupName: `/aws/eks/${clusterName}/cluster`,
    retention: retentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}

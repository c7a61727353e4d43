/**
 * The contract between the cluster construct and the controllers it runs (AWS Load Balancer
 * Controller, External Secrets, Argo CD, Image Updater, external-dns, Karpenter / Cluster Autoscaler,
 * NVIDIA device plugin). A controller is data: a pinned Helm chart, its values, and the AWS
 * permissions its service account gets through Pod Identity. How it is installed (one CDK Helm step,
 * or an Argo CD Application when the spec has `gitops`) is decided in one place, not per controller.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';

export interface HelmChartRef {
  /** `https://...` chart repository or `oci://...` registry. */
  readonly repository: string;
  readonly chart: string;
  /** An exact chart version: never a range, so synth and deploys are reproducible. */
  readonly version: string;
}

export interface ControllerDefinition {
  /** Release name, e.g. `aws-load-balancer-controller`. */
  readonly name: string;
  readonly namespace: string;
  /** The service account the chart creates; Pod Identity binds the role to it. */
  readonly serviceAccount: string;
  readonly chart: HelmChartRef;
  readonly values: Readonly<Record<string, unknown>>;
  /** Least-privilege statements for the Pod Identity role; none = no role. */
  readonly statements: readonly iam.PolicyStatement[];
  /** AWS managed policies attached instead of statements, where AWS maintains the policy. */
  readonly managedPolicies?: readonly string[];
  /**
   * Why statements need a wildcard resource, by statement sid (`default` for statements without
   * one). The installer acknowledges each cdk-nag IAM5 finding with it, naming the actions and the
   * resource, and refuses a wildcard that has no reason.
   * @default - no wildcard resources allowed
   */
  readonly wildcardReasons?: Readonly<Record<string, string>>;
  /** Why the controller is installed, shown in the README table and in `plinth validate`. */
  readonly purpose: string;
  /**
   * Kubernetes objects that only make sense once the chart runs (a ClusterSecretStore, a NodePool):
   * their kinds come from the chart's CRDs and their admission from its webhooks, so they are applied
   * after every chart, never inside one.
   * @default - none
   */
  readonly manifests?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Fields Argo CD must not compare (argo-cd Application `ignoreDifferences`): values the chart or the
   * controller regenerate on every render, which would otherwise keep the Application OutOfSync and
   * make self-heal rewrite them.
   * @default - none
   */
  readonly ignoreDifferences?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Install order. Lower waves are installed first and, because CloudFormation deletes in reverse
   * dependency order, removed last: the load balancer controller is wave 0 so it is still running when
   * the Ingresses and Services whose load balancers it must delete go away.
   * @default 1
   */
  readonly wave?: number;
  /**
   * Whether the install waits for the chart's pods to be ready: needed when a later step calls the
   * controller's webhooks (Services, ClusterSecretStores) or needs its CRDs and controllers running.
   * @default false
   */
  readonly wait?: boolean;
  /**
   * Installed by a CDK Helm step even when the spec has `gitops`, because Argo CD cannot install
   * itself; every other controller then becomes an Argo CD Application.
   * @default false
   */
  readonly bootstrap?: boolean;
  /**
   * AWS resources the controller needs besides its Pod Identity role (today only Karpenter's).
   * The definition refers to them by these names; the installer creates them.
   * @default - none
   */
  readonly awsResources?: ControllerAwsResources;
}

export interface ControllerAwsResources {
  /** An EC2 role for the nodes the controller launches, with an EC2_LINUX access entry so they join. */
  readonly nodeRole?: NodeRoleRequirement;
  /** An SQS queue that EventBridge rules feed with EC2 and AWS Health events. */
  readonly eventQueue?: EventQueueRequirement;
}

export interface NodeRoleRequirement {
  /** Fixed, because the controller's iam:PassRole statement and its node class name it. */
  readonly roleName: string;
  /** AWS managed policy names (without the `arn:...:policy/` prefix). */
  readonly managedPolicies: readonly string[];
  readonly description: string;
}

export interface EventQueueRequirement {
  /** Fixed, because the chart's values and the controller's SQS statement name it. */
  readonly queueName: string;
  readonly retentionPeriodSeconds: number;
  /** One EventBridge rule per pattern, each targeting the queue. */
  readonly eventPatterns: readonly { readonly id: string; readonly source: string; readonly detailType: string }[];
}

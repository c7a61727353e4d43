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
  /** Why the controller is installed, shown in the README table and in `plinth validate`. */
  readonly purpose: string;
}

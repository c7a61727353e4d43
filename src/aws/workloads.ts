/**
 * The AWS side of the workloads, in the cluster stack:
 *
 * - Pod Identity: a native association of each app's role (app-identities.ts) to the app's
 *   namespace and service account (no IRSA, no Lambda).
 * - Delivery without gitops: a prerequisites manifest step (namespaces with their pod-security labels,
 *   policies, service accounts, ExternalSecrets), one CDK Helm step per service chart (operators first,
 *   explicit timeouts), then one manifest step with the other objects, all depending on the whole
 *   cluster construct. CloudFormation deletes in
 *   reverse dependency order, so Ingresses (and the ALBs the load balancer controller made for them)
 *   are removed while the controller still runs. With gitops the caller passes no manifests or charts:
 *   Argo CD syncs the files `plinth synth` wrote, through the app-of-apps the cluster installs.
 */
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { cdkInstallSteps } from '../k8s/install-graph.js';
import type { ManifestFile } from '../k8s/render.js';
import type { ChartPlan } from '../plan/workloads.js';
import { constructIdOf } from './construct-id.js';
import { serializedManifest } from './serialized-manifest.js';

export interface WorkloadsProps {
  /** The cluster the manifests and charts are applied to. */
  readonly cluster: eks.ICluster;
  /** The cluster's EKS name, as a literal: Pod Identity associations name it. */
  readonly clusterName: string;
  /** Apps, each with the namespace of its service account (named after the app). @default - none */
  readonly apps?: readonly { readonly name: string; readonly namespace: string }[];
  /** Pod Identity roles by app name (app-identities.ts); an app without one gets no association. */
  readonly roles: Readonly<Record<string, iam.IRole>>;
  /**
   * Rendered manifest files to apply (k8s/render.ts).
   * @default - none: with gitops Argo CD syncs the files `plinth synth` wrote instead
   */
  readonly manifests?: readonly ManifestFile[];
  /** Service charts installed by CDK Helm steps, operators first. @default - none (gitops installs them) */
  readonly charts?: readonly ChartPlan[];
  /** The cluster construct: controllers (the load balancer controller first) are installed before any workload. */
  readonly after: IConstruct;
}

export class Workloads extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadsProps) {
    super(scope, id);
    const { cluster } = props;
    for (const app of props.apps ?? []) {
      const role = props.roles[app.name];
      if (!role) continue;
      new eks.CfnPodIdentityAssociation(this, `${constructIdOf(app.name)}Identity`, {
        clusterName: props.clusterName,
        namespace: app.namespace,
        serviceAccount: app.name,
        roleArn: role.roleArn,
      });
    }

    // The install graph (k8s/install-graph.ts): prerequisites, then each chart, then the rest, each
    // step depending on every earlier one; the tests prove the same steps free of install hazards.
    const installed: Construct[] = [];
    for (const step of cdkInstallSteps(props.manifests ?? [], props.charts ?? [])) {
      const resource = step.chart
        ? new eks.HelmChart(this, `Chart${constructIdOf(step.chart.release)}`, {
          cluster,
          chart: step.chart.chart,
          release: step.chart.release,
          repository: step.chart.repository.startsWith('oci://') ? `${step.chart.repository}/${step.chart.chart}` : step.chart.repository,
          version: step.chart.version,
          namespace: step.chart.namespace,
          values: { ...step.chart.values },
          createNamespace: true,
          // Operators must be running before their custom resources are applied.
          wait: step.chart.wait,
          timeout: Duration.minutes(step.chart.timeoutMinutes),
        })
        : step.objects.length > 0 ? serializedManifest(this, step.id, cluster, step.objects) : undefined;
      if (!resource) continue;
      resource.node.addDependency(props.after);
      for (const earlier of installed) resource.node.addDependency(earlier);
      installed.push(resource);
    }
  }
}

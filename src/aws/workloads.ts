/**
 * The AWS side of the workloads, in the cluster stack:
 *
 * - Pod Identity: a native association of each app's role (app-identities.ts) to the app's
 *   namespace and service account (no IRSA, no Lambda).
 * - Delivery without gitops: one CDK Helm step per service chart (operators first), then one manifest
 *   step with every namespace's objects, all depending on the whole cluster construct. CloudFormation deletes in
 *   reverse dependency order, so Ingresses (and the ALBs the load balancer controller made for them)
 *   are removed while the controller still runs. With gitops nothing is applied here: Argo CD syncs the
 *   files `plinth synth` wrote, through the app-of-apps the cluster installs.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { renderWorkloads } from '../k8s/render.js';
import type { Plan } from '../plan/types.js';
import { constructIdOf } from './construct-id.js';

export interface WorkloadsProps {
  readonly plan: Plan;
  readonly cluster: eks.ICluster;
  /** Pod Identity roles by app name (app-identities.ts). */
  readonly roles: Readonly<Record<string, iam.IRole>>;
  /** The cluster construct: controllers (the load balancer controller first) are installed before any workload. */
  readonly after: IConstruct;
}

export class Workloads extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadsProps) {
    super(scope, id);
    const { plan, cluster } = props;
    const workloads = plan.workloads!;
    for (const app of workloads.apps) {
      const role = props.roles[app.name];
      if (!role) continue;
      new eks.CfnPodIdentityAssociation(this, `${constructIdOf(app.name)}Identity`, {
        clusterName: plan.cluster!.name,
        namespace: app.namespace,
        serviceAccount: app.name,
        roleArn: role.roleArn,
      });
    }
    if (plan.cluster?.gitops) return;

    const rendered = renderWorkloads(plan)!;
    const charts = [...workloads.charts].sort((a, b) => a.wave - b.wave || a.release.localeCompare(b.release));
    const installed: Construct[] = [];
    for (const chart of charts) {
      const helm = new eks.HelmChart(this, `Chart${constructIdOf(chart.release)}`, {
        cluster,
        chart: chart.chart,
        release: chart.release,
        repository: chart.repository.startsWith('oci://') ? `${chart.repository}/${chart.chart}` : chart.repository,
        version: chart.version,
        namespace: chart.namespace,
        values: { ...chart.values },
        createNamespace: true,
        // Operators must be running before their custom resources are applied.
        wait: true,
      });
      helm.node.addDependency(props.after);
      for (const earlier of installed) helm.node.addDependency(earlier);
      installed.push(helm);
    }
    // One step for every namespace: each kubectl step is a custom resource, and the order inside
    // (Namespaces and policies first, then workloads) is the file order.
    const objects = rendered.files.filter((f) => f.namespace !== undefined).flatMap((f) => f.objects.map((o) => ({ ...o })));
    const manifest = new eks.KubernetesManifest(this, 'Manifests', { cluster, manifest: objects });
    manifest.node.addDependency(props.after);
    for (const chart of installed) manifest.node.addDependency(chart);
  }
}

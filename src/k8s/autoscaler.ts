/**
 * HorizontalPodAutoscaler (autoscaling/v2): keeps average CPU and/or memory use, as a percentage of
 * the pods' requests, near the target by changing the replica count between min and max. The
 * workload carries no `replicas` unless the spec names an initial count: the Kubernetes docs
 * ("Horizontal Pod Autoscaling", Migrating Deployments and StatefulSets to horizontal autoscaling)
 * warn that every `kubectl apply` of a manifest with spec.replicas scales the pods back to it. With
 * Argo CD delivery the namespace Application ignores and respects that field (k8s/gitops.ts); with
 * CloudFormation delivery the plan warns (W_AUTOSCALE_INITIAL_REAPPLIED).
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan } from '../plan/workloads.js';
import { namespaced } from './metadata.js';

export function addAutoscaler(chart: Chart, app: AppPlan): void {
  const a = app.autoscale;
  if (!a) return;
  const target = (name: 'cpu' | 'memory', percent: number | undefined) => (percent === undefined ? [] : [{
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization: percent } },
  }]);
  new k8s.KubeHorizontalPodAutoscalerV2(chart, `${app.name}-autoscaler`, {
    metadata: namespaced(app.name, app.namespace, app.labels),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: app.kind, name: app.name },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics: [...target('cpu', a.cpuPercent), ...target('memory', a.memoryPercent)],
    },
  });
}

/**
 * HorizontalPodAutoscaler (autoscaling/v2): keeps average CPU and/or memory use, as a percentage of
 * the pods' requests, near the target by changing the replica count between min and max. The
 * workload then carries no `replicas`, so a re-apply never resets what the autoscaler chose.
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

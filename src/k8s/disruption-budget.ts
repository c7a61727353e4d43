/**
 * PodDisruptionBudget: during voluntary disruptions (node drains, upgrades, Karpenter consolidation)
 * at most one pod of the app is evicted at a time. Rendered by default when the app runs more than
 * one pod; with a single pod a budget would block every drain.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan } from '../plan/workloads.js';
import { namespaced, selector } from './metadata.js';

export function addDisruptionBudget(chart: Chart, app: AppPlan): void {
  if (!app.disruptionBudget) return;
  new k8s.KubePodDisruptionBudget(chart, `${app.name}-disruption-budget`, {
    metadata: namespaced(app.name, app.namespace, app.labels),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: selector(app.labels) },
  });
}

/**
 * ServiceAccount: one per app, named after it. Pod Identity associations (src/aws/workloads.ts)
 * bind AWS roles to exactly this name. The Kubernetes API token is never mounted: apps do not call the
 * API, and Pod Identity injects a token of its own.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan } from '../plan/workloads.js';
import { namespaced } from './metadata.js';

export function addServiceAccount(chart: Chart, app: AppPlan): void {
  new k8s.KubeServiceAccount(chart, `${app.name}-service-account`, {
    metadata: namespaced(app.name, app.namespace, app.labels),
    automountServiceAccountToken: false,
  });
}

/**
 * Service: a stable ClusterIP in front of an app's pods, one port per container port. Session
 * affinity (seed 004: `ClientIP` on Tomcat) keeps a client on one pod for the service's life.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan } from '../plan/workloads.js';
import { namespaced, portName } from './metadata.js';

export function addService(chart: Chart, app: AppPlan): void {
  if (app.ports.length === 0) return;
  new k8s.KubeService(chart, `${app.name}-service`, {
    metadata: namespaced(app.name, app.namespace, app.labels),
    spec: {
      type: 'ClusterIP',
      selector: { ...app.labels },
      sessionAffinity: app.sessionAffinity,
      ports: app.ports.map((p) => ({ name: portName(p), port: p, targetPort: k8s.IntOrString.fromNumber(p), protocol: 'TCP' })),
    },
  });
}

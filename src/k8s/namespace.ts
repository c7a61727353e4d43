/**
 * Namespace: the unit plinth isolates. Every namespace that holds a workload gets a default-deny
 * NetworkPolicy (network-policy.ts); the Namespace object itself is rendered unless a team of
 * `cluster.teams` already creates it.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { NamespacePlan } from '../plan/workloads.js';

export function addNamespace(chart: Chart, ns: NamespacePlan): void {
  if (!ns.create) return;
  new k8s.KubeNamespace(chart, `namespace-${ns.name}`, {
    metadata: {
      name: ns.name,
      // Pod Security Admission: reject privileged pods outright, warn on anything short of "restricted".
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
    },
  });
}

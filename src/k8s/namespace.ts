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
      // Pod Security Admission: reject privileged pods outright, warn on anything short of "restricted";
      // privileged only where a chart's own DaemonSet needs host access (NamespacePlan.podSecurity).
      labels: podSecurityLabels(ns),
    },
  });
}

export function podSecurityLabels(ns: NamespacePlan): Record<string, string> {
  return { 'pod-security.kubernetes.io/enforce': ns.podSecurity, 'pod-security.kubernetes.io/warn': 'restricted' };
}

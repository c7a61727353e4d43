/**
 * Names and labels every rendered object shares. `app.kubernetes.io/*` are the recommended labels,
 * so kubectl, Argo CD and verify read them without plinth-specific knowledge.
 */
import type { ApiObjectMetadata } from 'cdk8s';
import type { Labels } from '../plan/workloads.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'plinth' } as const;

/** Metadata of a namespaced object: its name, namespace and labels. */
export function namespaced(name: string, namespace: string, labels: Labels = {}, annotations?: Readonly<Record<string, string>>): ApiObjectMetadata {
  return { name, namespace, labels: { ...labels }, ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}) };
}

/** A label selector matching exactly these labels. */
export function selector(labels: Labels): { matchLabels: Record<string, string> } {
  return { matchLabels: { ...labels } };
}

/** Selects a namespace by the label Kubernetes puts on every namespace. */
export function namespaceSelector(namespace: string): { matchLabels: Record<string, string> } {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** `tcp-8080`: port names must be 15 characters at most. */
export function portName(port: number, protocol = 'tcp'): string {
  return `${protocol}-${port}`;
}

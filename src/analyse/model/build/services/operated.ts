/**
 * What an operator or a chart creates when it runs, which the templates and manifests do not hold:
 * the pods (with the labels NetworkPolicies select them by and the ports they listen on), the
 * Services in front of them, and any NetworkPolicy the operator writes itself. Each reader states
 * where its conventions come from; verify records that it relies on them.
 */
import type { ResourceRef } from '../../assumptions.js';
import type { ContainerPort, NetworkPolicy, PolicyPeer, PolicyRule, Service, Workload } from '../../k8s-types.js';

export interface Operated {
  readonly workloads: Workload[];
  readonly services: Service[];
  readonly policies: NetworkPolicy[];
  /** What verify relies on, said once per service: the operator's or chart's conventions. */
  readonly notes: { readonly text: string; readonly ref: ResourceRef }[];
}

export function emptyOperated(): Operated {
  return { workloads: [], services: [], policies: [], notes: [] };
}

export function tcpPorts(...ports: readonly (readonly [number, string])[]): ContainerPort[] {
  return ports.map(([port, name]) => ({ port, protocol: 'TCP', name }));
}

/** A ClusterIP Service selecting pods by labels, on one port per entry. */
export function clusterIp(name: string, namespace: string, file: string, selector: Readonly<Record<string, string>>, ports: readonly (readonly [number, string])[]): Service {
  return {
    name, namespace, file, type: 'ClusterIP', selector, annotations: {}, sourceRanges: [],
    ports: ports.map(([port, portName]) => ({ port, targetPort: port, nodePort: undefined, protocol: 'TCP', name: portName })),
  };
}

/** An ingress rule on one TCP port; no peers = every source (as Kubernetes reads an empty `from`). */
export function ingressRule(port: number, peers: readonly PolicyPeer[] | undefined): PolicyRule {
  return { peers: peers && peers.length > 0 ? peers : undefined, ports: [{ protocol: 'TCP', port, endPort: undefined }] };
}

export function podPeer(matchLabels: Readonly<Record<string, string>>, namespaceSelector?: Readonly<Record<string, string>>): PolicyPeer {
  return {
    podSelector: { matchLabels, matchExpressions: [] },
    namespaceSelector: namespaceSelector ? { matchLabels: namespaceSelector, matchExpressions: [] } : undefined,
    ipBlock: undefined,
  };
}

/**
 * NetworkPolicy. Semantics first: a pod is open to everything until a policy selects it; once any
 * policy selects it for a direction, only what some policy allows in that direction gets through, and
 * policies add up. So each namespace plinth manages gets:
 *
 *   default-deny   selects every pod, allows nothing in or out except DNS to kube-dns;
 *   <workload>     one policy per app or service: exactly its declared talksTo (egress) and the
 *                  clients that declared it (ingress), the ALB subnets when exposed.
 *
 * Enforcement on EKS needs the VPC CNI network policy agent (`enableNetworkPolicy` in the vpc-cni
 * add-on), which admits the node's own kubelet probes.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Labels, PeerPlan, PeerRulePlan } from '../plan/workloads.js';
import type { PortRange } from '../plan/types.js';
import { namespaced, namespaceSelector, selector } from './metadata.js';

const DNS_PORTS: k8s.NetworkPolicyPort[] = [
  { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
];

const KUBE_DNS: k8s.NetworkPolicyPeer = {
  namespaceSelector: namespaceSelector('kube-system'),
  podSelector: selector({ 'k8s-app': 'kube-dns' }),
};

export function addDefaultDeny(chart: Chart, namespace: string): void {
  new k8s.KubeNetworkPolicy(chart, `default-deny-${namespace}`, {
    metadata: namespaced('default-deny', namespace),
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [KUBE_DNS], ports: DNS_PORTS }],
    },
  });
}

/** A plan peer as NetworkPolicy peers (one per CIDR). */
export function policyPeers(p: PeerPlan): k8s.NetworkPolicyPeer[] {
  if (p.kind === 'pods') return [{ namespaceSelector: namespaceSelector(p.namespace), podSelector: selector(p.labels) }];
  return p.cidrs.map((cidr) => ({
    ipBlock: { cidr, ...(p.except.length > 0 && cidr === '0.0.0.0/0' ? { except: [...p.except] } : {}) },
  }));
}

function ports(ranges: readonly PortRange[]): k8s.NetworkPolicyPort[] | undefined {
  if (ranges.length === 0 || ranges.some((r) => r.protocol === 'all')) return undefined;
  return ranges.map((r) => ({
    protocol: r.protocol === 'udp' ? 'UDP' : 'TCP',
    port: k8s.IntOrString.fromNumber(r.from),
    ...(r.to !== r.from ? { endPort: r.to } : {}),
  }));
}

function rules(list: readonly PeerRulePlan[], key: 'to' | 'from'): k8s.NetworkPolicyEgressRule[] & k8s.NetworkPolicyIngressRule[] {
  return list.map((r) => {
    const p = ports(r.ports);
    return { [key]: policyPeers(r.peer), ...(p ? { ports: p } : {}) };
  }) as k8s.NetworkPolicyEgressRule[] & k8s.NetworkPolicyIngressRule[];
}

export interface WorkloadPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Who the workload's pods are: the policy's pod selector. */
  readonly podLabels: Labels;
  readonly ingress: readonly PeerRulePlan[];
  readonly egress: readonly PeerRulePlan[];
  /** Pods of the same namespace (a service's operator, brokers, sidecars) may talk to each other. */
  readonly sameNamespace?: boolean;
}

export function addWorkloadPolicy(chart: Chart, w: WorkloadPolicy): void {
  const within: k8s.NetworkPolicyPeer[] = [{ podSelector: {} }];
  const ingress = [...(w.sameNamespace ? [{ from: within }] : []), ...rules(w.ingress, 'from')];
  const egress = [...(w.sameNamespace ? [{ to: within }] : []), ...rules(w.egress, 'to')];
  if (ingress.length === 0 && egress.length === 0) return;
  new k8s.KubeNetworkPolicy(chart, `${w.name}-network-policy`, {
    metadata: namespaced(w.name, w.namespace, w.labels),
    spec: {
      podSelector: w.sameNamespace ? {} : selector(w.podLabels),
      policyTypes: [...(ingress.length > 0 ? ['Ingress'] : []), ...(egress.length > 0 ? ['Egress'] : [])],
      ...(ingress.length > 0 ? { ingress } : {}),
      ...(egress.length > 0 ? { egress } : {}),
    },
  });
}

/**
 * Self-managed Kubernetes on servers groups (seed 002): which group is the control plane, which join
 * as workers, the NLB that is the API endpoint, and the node-to-node flows the control plane and the
 * CNI need. This planner wires those flows itself, symmetric between every pair of node groups, so a
 * pod network reply never meets a one-way rule.
 *
 * Ports: kubernetes.io "Ports and Protocols" (6443 API, 2379-2380 etcd, 10250 kubelet, 30000-32767
 * NodePorts); Calico "System requirements" (docs.tigera.io/calico/latest/getting-started/kubernetes/requirements):
 * VXLAN 4789/udp between all nodes, Typha 5473/tcp. BGP (179/tcp) and IP-in-IP are not used: the
 * pool is VXLAN with BGP disabled, which also needs no source/destination check changes on EC2.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import { overlaps, parseCidr } from './cidr.js';
import type { FlowBuilder } from './flows.js';
import { tcp } from './flows.js';
import type { KubeadmPlan, LoadBalancerPlan, NetworkPlan, PortRange } from './types.js';

export const KUBEADM_API_PORT = 6443;
const DEFAULT_POD_CIDR = '192.168.0.0/16';

const range = (protocol: 'tcp' | 'udp', from: number, to = from): PortRange => ({ protocol, from, to });

/** Every node to every node (both directions, each group to itself). */
const BETWEEN_ALL_NODES: readonly [PortRange, string][] = [
  [range('udp', 4789), 'Calico VXLAN'],
  [tcp(5473), 'Calico Typha'],
  [tcp(10250), 'kubelet API'],
  [range('tcp', 30000, 32767), 'NodePorts (kube-proxy forwards to any node)'],
];
/** Every node to the control plane. */
const TO_CONTROL_PLANE: readonly [PortRange, string][] = [[tcp(KUBEADM_API_PORT), 'Kubernetes API server']];
/** Between control-plane nodes only. */
const WITHIN_CONTROL_PLANE: readonly [PortRange, string][] = [[range('tcp', 2379, 2380), 'etcd client and peer']];

export function planKubeadm(
  spec: PlatformSpec,
  network: NetworkPlan,
  loadBalancers: readonly LoadBalancerPlan[],
  flows: FlowBuilder,
  diags: Diagnostics,
): KubeadmPlan | undefined {
  const k = spec.kubeadm;
  if (!k) return undefined;
  const path = ['kubeadm'];
  const serverNames = Object.keys(spec.servers ?? {});
  const checkServer = (name: string, where: (string | number)[]) => {
    if (serverNames.includes(name)) return true;
    diags.error('E_UNKNOWN_SERVER', where, `There is no server "${name}".`, {
      allowed: serverNames.join(', ') || '(no servers defined)', fix: didYouMean(name, serverNames) ?? 'name a group defined under servers',
    });
    return false;
  };
  checkServer(k.controlPlane, [...path, 'controlPlane']);
  const workers = k.workers ?? [];
  workers.forEach((w, i) => {
    checkServer(w, [...path, 'workers', i]);
    if (w === k.controlPlane) {
      diags.error('E_KUBEADM_ROLES', [...path, 'workers', i], `servers/${w} is the control plane; a group cannot also join as workers.`, { fix: 'list only worker groups here' });
    }
  });

  const lbName = /^lb\/([a-z0-9-]+)$/.exec(k.endpoint)?.[1];
  const lb = loadBalancers.find((l) => l.name === lbName);
  if (!lb || lb.type !== 'network') {
    diags.error('E_KUBEADM_ENDPOINT', [...path, 'endpoint'], `"${k.endpoint}" is not a network load balancer of this spec.`, {
      allowed: loadBalancers.filter((l) => l.type === 'network').map((l) => l.ref).join(', ') || '(no network load balancers defined)',
      fix: `define an NLB with a ${KUBEADM_API_PORT} listener forwarding to servers/${k.controlPlane}`,
    });
  } else {
    const listener = lb.listeners.find((l) => l.port === KUBEADM_API_PORT);
    const tg = listener?.action.kind === 'forward' ? lb.targetGroups.find((t) => t.name === (listener.action as { targetGroup: string }).targetGroup) : undefined;
    if (!tg || tg.port !== KUBEADM_API_PORT || !tg.servers.includes(k.controlPlane)) {
      diags.error('E_KUBEADM_ENDPOINT', [...path, 'endpoint'], `${lb.ref} has no ${KUBEADM_API_PORT} listener forwarding to servers/${k.controlPlane}:${KUBEADM_API_PORT}.`, {
        fix: `add listeners: [{ port: ${KUBEADM_API_PORT}, targetGroup: api }] and targetGroups: { api: { servers: [${k.controlPlane}], port: ${KUBEADM_API_PORT}, preserveClientIp: false } }`,
      });
    } else if (tg.preserveClientIp !== false) {
      // AWS: "Internal Network Load Balancers do not support hairpinning or loopback" when targets are
      // registered by instance id with client IP preservation on (ELB docs, "Troubleshoot your Network
      // Load Balancer"); kubernetes/kubeadm#1685 is kubeadm init failing on exactly this.
      diags.error('E_KUBEADM_HAIRPIN', ['loadBalancers', lb.name, 'targetGroups', tg.name, 'preserveClientIp'],
        `The control-plane nodes are clients of ${lb.ref} as well as its targets; with client IP preservation on, a node routed to itself is dropped (NLB hairpinning), so kubeadm init and joins fail at random.`, {
          fix: `set preserveClientIp: false on loadBalancers.${lb.name}.targetGroups.${tg.name}`,
        });
    }
  }

  const podCidr = k.podCidr ?? DEFAULT_POD_CIDR;
  const pods = parseCidr(podCidr);
  const vpc = parseCidr(network.cidr);
  if (pods && vpc && overlaps(pods, vpc)) {
    diags.error('E_POD_CIDR_OVERLAP', [...path, 'podCidr'], `The pod network ${podCidr} overlaps the VPC ${network.cidr}.`, { fix: 'choose a range outside the VPC, e.g. 192.168.0.0/16' });
  }
  if (k.ingressNginx && k.ingressNginx.httpNodePort === k.ingressNginx.httpsNodePort) {
    diags.error('E_NODEPORT_CLASH', [...path, 'ingressNginx', 'httpsNodePort'], 'HTTP and HTTPS need different NodePorts.', { fix: 'e.g. httpNodePort: 30080, httpsNodePort: 30443' });
  }

  const nodes = [k.controlPlane, ...workers].filter((n) => serverNames.includes(n)).map((n) => `servers/${n}`);
  const controlPlane = `servers/${k.controlPlane}`;
  for (const from of nodes) {
    for (const to of nodes) {
      for (const [ports, what] of BETWEEN_ALL_NODES) flows.addFlow({ from, to, ports, origin: [...path, 'cni'], description: `kubeadm: ${what}` });
    }
    if (serverNames.includes(k.controlPlane)) {
      for (const [ports, what] of TO_CONTROL_PLANE) flows.addFlow({ from, to: controlPlane, ports, origin: [...path, 'controlPlane'], description: `kubeadm: ${what}` });
    }
  }
  if (serverNames.includes(k.controlPlane)) {
    for (const [ports, what] of WITHIN_CONTROL_PLANE) flows.addFlow({ from: controlPlane, to: controlPlane, ports, origin: [...path, 'controlPlane'], description: `kubeadm: ${what}` });
  }

  return {
    version: k.version ?? '1.33',
    controlPlane: k.controlPlane,
    workers,
    endpointLb: lbName ?? '',
    cni: k.cni ?? 'calico',
    podCidr,
    ingressNginx: k.ingressNginx,
  };
}

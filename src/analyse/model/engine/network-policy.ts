/**
 * Kubernetes NetworkPolicy semantics: pods are non-isolated until a policy selects them for a
 * direction; then only what some policy's rule allows passes, and policies add up (their allows
 * are unioned; there is no deny). Pod peers are matched by labels (podSelector within the policy's
 * namespace, or namespaceSelector); anything else by address (ipBlock, minus its exceptions).
 *
 * Pods whose labels the manifests do not give (an operator or chart creates them) are selected for
 * certain only by an empty selector; any other selector may or may not match them.
 */
import { Bracket, cidrRange, formatIp, PacketSet, PROTOCOL, type Packet, type Range } from '../packets.js';
import type { K8sModel, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../k8s-types.js';
import { matches } from '../k8s.js';
import type { EniClass } from '../types.js';
import { component, type Component } from './component.js';
import { describePacket, type Axis } from './evaluate.js';

/** The far side of a policy question: pods (matched by labels) or addresses. */
export interface PolicyPeerInfo {
  /** The pods on the far side; `labels` undefined when they are not known. */
  readonly pods: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> | undefined } | undefined;
  /** What the answer depends on when the far side's labels are not known. */
  readonly assumptions?: readonly string[];
  readonly axis: Axis;
  readonly name: string;
}

function protocolRange(p: PolicyPort['protocol']): Range {
  return p === 'UDP' ? [PROTOCOL.udp, PROTOCOL.udp] : p === 'SCTP' ? [132, 132] : [PROTOCOL.tcp, PROTOCOL.tcp];
}

/** Numeric ports of a rule; named ports are added by namedPortsSet. */
function portsSet(rule: PolicyRule): PacketSet {
  if (!rule.ports) return PacketSet.ALL;
  let out = PacketSet.EMPTY;
  for (const p of rule.ports) {
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) continue;
    const range: Range = p.port === undefined ? [0, 65535] : [Number(p.port), p.endPort ?? Number(p.port)];
    out = out.union(PacketSet.box({ protocol: protocolRange(p.protocol), port: range }));
  }
  return out;
}

/** Named ports are resolved against the destination pods' containers. */
function namedPortsSet(rule: PolicyRule, k8s: K8sModel, dest: { namespace: string; name: string } | undefined): PacketSet {
  let out = PacketSet.EMPTY;
  for (const p of rule.ports ?? []) {
    if (typeof p.port !== 'string' || /^\d+$/.test(p.port) || !dest) continue;
    const port = k8s.workloads.find((w) => w.namespace === dest.namespace && w.name === dest.name)?.ports.find((c) => c.name === p.port)?.port;
    if (port !== undefined) out = out.union(PacketSet.box({ protocol: protocolRange(p.protocol), port: [port, port] }));
  }
  return out;
}

export function peerSet(peer: PolicyPeer, policy: NetworkPolicy, k8s: K8sModel, other: PolicyPeerInfo): Bracket {
  if (peer.ipBlock) {
    const range = cidrRange(peer.ipBlock.cidr);
    if (!range) return Bracket.NONE;
    let set = PacketSet.peers(...range);
    for (const e of peer.ipBlock.except) {
      const r = cidrRange(e);
      if (r) set = set.minus(PacketSet.peers(...r));
    }
    if (other.axis.kind === 'peer') return Bracket.exact(set);
    const fixed = PacketSet.peers(...other.axis.range);
    if (set.contains(fixed)) return Bracket.ALL;
    return set.overlaps(fixed) ? Bracket.UNKNOWN : Bracket.NONE;
  }
  if (!other.pods) return Bracket.NONE;
  const nsLabels = k8s.namespaces.get(other.pods.namespace) ?? {};
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels) : other.pods.namespace === policy.namespace;
  if (!nsOk) return Bracket.NONE;
  const podOk = peer.podSelector ? selects(peer.podSelector, other.pods.labels) : true;
  return podOk === true ? Bracket.ALL : podOk === 'unknown' ? Bracket.UNKNOWN : Bracket.NONE;
}

/** Whether a selector matches labels, or `unknown` when the labels are not known and it names any. */
function selects(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean | 'unknown' {
  if (labels) return matches(selector, labels);
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0 ? true : 'unknown';
}

/** The policies of each namespace: one index per model, so a question about pods scans only its own namespace. */
const byNamespace = new WeakMap<K8sModel, Map<string, NetworkPolicy[]>>();

function policiesIn(k8s: K8sModel, namespace: string): readonly NetworkPolicy[] {
  let index = byNamespace.get(k8s);
  if (!index) {
    index = new Map();
    for (const p of k8s.policies) {
      const list = index.get(p.namespace);
      if (list) list.push(p);
      else index.set(p.namespace, [p]);
    }
    byNamespace.set(k8s, index);
  }
  return index.get(namespace) ?? [];
}

/** Policies that certainly select the pods for a direction, and those that may (labels unknown). */
export function selecting(k8s: K8sModel, pods: EniClass, direction: 'ingress' | 'egress'): { sure: NetworkPolicy[]; maybe: NetworkPolicy[] } {
  // Asked on every path to or from the pods: kept per model, one entry per class and direction.
  let bySelected = selectedCache.get(k8s);
  if (!bySelected) selectedCache.set(k8s, (bySelected = new Map()));
  const key = `${pods.key}|${direction}`;
  const hit = bySelected.get(key);
  if (hit) return hit;
  const w = pods.workload!;
  const inNamespace = policiesIn(k8s, w.namespace).filter((p) => p[direction] !== undefined);
  const found = {
    sure: inNamespace.filter((p) => selects(p.podSelector, w.labels) === true),
    maybe: inNamespace.filter((p) => selects(p.podSelector, w.labels) === 'unknown'),
  };
  bySelected.set(key, found);
  return found;
}

const selectedCache = new WeakMap<K8sModel, Map<string, { sure: NetworkPolicy[]; maybe: NetworkPolicy[] }>>();

/**
 * Inbound policies of the destination pods (`direction: 'ingress'`) or outbound policies of the
 * source pods (`'egress'`), against the far side.
 */
export function policyComponent(k8s: K8sModel, pods: EniClass, direction: 'ingress' | 'egress', other: PolicyPeerInfo, destPods: { namespace: string; name: string } | undefined): Component {
  const selected = selecting(k8s, pods, direction);
  const policies = [...selected.sure, ...selected.maybe];
  const step = `NetworkPolicy (${direction})`;
  const ruleSets = policies.flatMap((policy) => policy[direction]!.map((rule, i) => ({ policy, rule, i, sure: selected.sure.includes(policy) })));
  const setOf = ({ policy, rule }: (typeof ruleSets)[number]): Bracket => {
    const ports = portsSet(rule).union(namedPortsSet(rule, k8s, direction === 'ingress' ? pods.workload : destPods));
    if (!rule.peers) return Bracket.exact(ports);
    let peers = Bracket.NONE;
    for (const peer of rule.peers) peers = peers.union(peerSet(peer, policy, k8s, other));
    return peers.restrict(ports);
  };
  return component(step, () => {
    if (policies.length === 0) return { set: Bracket.ALL };
    const assumptions = [...(pods.workload!.labels ? [] : pods.assumptions), ...(other.pods && !other.pods.labels ? other.assumptions ?? [] : [])];
    // Certainly allowed: what the policies that certainly select the pods allow. Possibly allowed: what
    // any selecting policy allows, or everything when no policy is sure to isolate them.
    let sure = PacketSet.EMPTY;
    let maybe = selected.sure.length > 0 ? PacketSet.EMPTY : PacketSet.ALL;
    for (const r of ruleSets) {
      const b = setOf(r);
      if (r.sure) sure = sure.union(b.sure);
      maybe = maybe.union(b.maybe);
    }
    return { set: new Bracket(sure, maybe.union(sure)), assumptions };
  }, (p: Packet) => {
    const w = pods.workload!;
    if (policies.length === 0) {
      return { allows: true, text: `no NetworkPolicy selects ${pods.name} for ${direction}, so its pods are not isolated`, resource: pods.resources[0] };
    }
    for (const r of ruleSets) {
      const s = setOf(r);
      const probe = other.axis.kind === 'peer' ? p : { ...p, peer: 0 };
      if (s.sure.has(probe) || s.maybe.has(probe)) {
        return {
          allows: s.sure.has(probe) && r.sure ? true : 'unknown',
          text: `NetworkPolicy ${r.policy.namespace}/${r.policy.name} ${direction} rule #${r.i + 1} allows ${describePacket(p)} ${direction === 'ingress' ? 'from' : 'to'} ${other.name}`,
          resource: { stack: 'k8s', logicalId: `NetworkPolicy/${r.policy.namespace}/${r.policy.name}`, type: 'Kubernetes NetworkPolicy', file: r.policy.file },
        };
      }
    }
    const names = policies.map((x) => `${x.namespace}/${x.name}`).join(', ');
    const far = other.axis.kind === 'peer' ? formatIp(p.peer) : other.name;
    if (selected.sure.length === 0) {
      return {
        allows: 'unknown', text: `the labels of ${pods.name} are not known, so whether NetworkPolicy ${names} isolates them for ${direction} is unknown`,
        resource: pods.resources[0],
      };
    }
    return {
      allows: false,
      text: `pods of ${w.namespace}/${w.name} are isolated for ${direction} by NetworkPolicy ${names}, and no rule allows ${describePacket(p)} ${direction === 'ingress' ? 'from' : 'to'} ${far}`,
      resource: { stack: 'k8s', logicalId: `NetworkPolicy/${policies[0]!.namespace}/${policies[0]!.name}`, type: 'Kubernetes NetworkPolicy', file: policies[0]!.file },
    };
  }, 1);
}

/** Whether egress-isolated pods may still resolve names (kube-dns in kube-system, port 53). */
export function dnsAllowed(k8s: K8sModel, pods: EniClass): boolean | 'not isolated' {
  const selected = selecting(k8s, pods, 'egress');
  if (selected.sure.length === 0) return 'not isolated';
  const policies = [...selected.sure, ...selected.maybe];
  const dns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
  for (const policy of policies) {
    for (const rule of policy.egress!) {
      const udp53 = !rule.ports || rule.ports.some((p) => p.protocol === 'UDP' && (p.port === undefined || Number(p.port) === 53 || (p.endPort !== undefined && Number(p.port) <= 53 && 53 <= p.endPort)));
      if (!udp53) continue;
      if (!rule.peers) return true;
      for (const peer of rule.peers) {
        if (peer.ipBlock) return true;
        const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': 'kube-system', ...(k8s.namespaces.get('kube-system') ?? {}) }) : policy.namespace === 'kube-system';
        const podOk = peer.podSelector ? matches(peer.podSelector, dns.labels) : true;
        if (nsOk && podOk) return true;
      }
    }
  }
  return false;
}

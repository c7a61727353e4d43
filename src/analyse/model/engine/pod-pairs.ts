/**
 * Pod-to-pod reachability from the NetworkPolicies' selectors instead of one engine question per
 * pair (issue 14: N apps asked pair by pair cost N² engine calls, and the answers filled the heap).
 *
 * A direct path between two pods passes the same network components as any path between their two
 * subnets and security groups (pods carry their nodes' groups), then the source's egress policies,
 * the destination's ingress policies and the destination's listeners (`Engine.internal`). So:
 *
 * - the network part is asked of the engine once per (subnet, groups) on each side, not per pair;
 * - each policy's pod peers are matched against every pod once, so the pods a policy names are
 *   known without asking per pair; N pods under P policies cost O(N · P) selector matches;
 * - a pod no rule of the other side names gets the same policy answer as any other such pod (the
 *   rules without peers, and the ipBlocks): computed once per destination (ingress) and once per
 *   source and destination subnet (egress). Only named pairs are evaluated one by one.
 *
 * The answer for a pair is the same set the engine gives over its direct paths (the same
 * components, intersected; sets are canonical, so the order does not matter).
 * test/analyse/pod-pairs.test.ts compares every pair on the examples and the stress model.
 */
import type { NetworkPolicy, PolicyPeer } from '../k8s-types.js';
import { Bracket } from '../packets.js';
import type { EniClass, Placement } from '../types.js';
import type { Axis, Mode } from './evaluate.js';
import { PEER } from './evaluate.js';
import { peerSet, policyComponent, selecting } from './network-policy.js';
import type { Engine } from './reach.js';

interface IngressIndex {
  /** What the destination's ingress policies let in from a pod none of their rules names. */
  readonly unnamed: Bracket;
  /** Pods some rule may name (their answers are computed when first asked). */
  readonly named: ReadonlySet<string>;
  readonly answers: Map<string, Bracket>;
}

interface EgressIndex {
  /** Pods some rule may name; every destination when a rule uses a named port (resolved per destination). */
  readonly named: ReadonlySet<string> | 'every';
  /** By destination subnet: what the source's egress policies let out to a pod no rule names. */
  readonly unnamed: Map<string, Bracket>;
  readonly answers: Map<string, Bracket>;
}

function isPods(cls: EniClass): boolean {
  return cls.kind === 'pods' && cls.workload !== undefined && !cls.loadBalancer && !cls.clientVpn;
}

function toward(pd: Placement): Axis {
  return { kind: 'fixed', range: pd.subnet.range, text: pd.subnet.cidr };
}

function usesNamedPorts(policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress'): boolean {
  return policies.some((p) => (p[direction] ?? []).some((r) => (r.ports ?? []).some((port) => typeof port.port === 'string' && !/^\d+$/.test(port.port))));
}

export class PodPairs {
  private readonly pods: readonly EniClass[];
  private readonly byPeer = new Map<PolicyPeer, ReadonlySet<string>>();
  /** Pods by one `key=value` label each carries, and the pods whose labels are not known (any selector may match them). */
  private readonly byLabel = new Map<string, EniClass[]>();
  private readonly unlabelled: readonly EniClass[];
  private readonly ingress = new Map<string, IngressIndex>();
  private readonly egress = new Map<string, EgressIndex>();
  private readonly network = new Map<string, Bracket>();
  /** Destinations a network load balancer reaches keeping the client's address: their reach has more than direct paths. */
  private readonly behindBalancers: ReadonlySet<string>;

  public constructor(private readonly engine: Engine) {
    this.pods = engine.model.classes.filter(isPods);
    for (const p of this.pods) {
      for (const [k, v] of Object.entries(p.workload!.labels ?? {})) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(p);
        else this.byLabel.set(key, [p]);
      }
    }
    this.unlabelled = this.pods.filter((p) => p.workload!.labels === undefined);
    const behind = new Set<string>();
    for (const n of engine.model.classes) {
      if (n.loadBalancer?.type !== 'network') continue;
      for (const tg of n.loadBalancer.targetGroups) if (tg.preserveClientIp) for (const t of tg.targets) behind.add(t.classKey);
    }
    this.behindBalancers = behind;
  }

  /**
   * What the direct paths from pods `s` to pods `d` let through (every path but those through a
   * network load balancer), or undefined when either side is not pods (ask the engine).
   */
  public direct(s: EniClass, d: EniClass, mode: Mode = 'may'): Bracket | undefined {
    if (s === d || !isPods(s) || !isPods(d)) return undefined;
    const k8s = this.engine.model.k8s;
    const ingress = k8s ? this.ingressFrom(d, s) : Bracket.ALL;
    if (ingress.isEmpty()) return Bracket.NONE;
    const listeners = Bracket.exact(d.accepts);
    let out = Bracket.NONE;
    for (const pd of d.placements) {
      const egress = k8s ? this.egressTo(s, d, pd) : Bracket.ALL;
      if (egress.isEmpty()) continue;
      const policies = egress.intersect(ingress).intersect(listeners);
      if (policies.isEmpty()) continue;
      for (const ps of s.placements) out = out.union(this.networkPart(s, ps, d, pd, mode).intersect(policies));
    }
    return out;
  }

  /**
   * What `Engine.reach(s, d).allowed` is, when that is the direct paths alone: both sides pods with
   * placements, and no network load balancer keeping the client's address in front of `d`.
   */
  public allowed(s: EniClass, d: EniClass, mode: Mode = 'may'): Bracket | undefined {
    if (s.placements.length === 0 || d.placements.length === 0 || this.behindBalancers.has(d.key)) return undefined;
    return this.direct(s, d, mode);
  }

  private networkPart(s: EniClass, ps: Placement, d: EniClass, pd: Placement, mode: Mode): Bracket {
    const key = `${s.groups.join(',')}|${ps.subnet.key}|${d.groups.join(',')}|${pd.subnet.key}|${mode}`;
    let hit = this.network.get(key);
    if (!hit) this.network.set(key, (hit = this.engine.networkPart(s, ps, d, pd, mode)));
    return hit;
  }

  /** Pods a policy peer may select (pods of an ipBlock peer are matched by address, not here). */
  private selectedBy(policy: NetworkPolicy, peer: PolicyPeer): ReadonlySet<string> {
    let hit = this.byPeer.get(peer);
    if (!hit) {
      const k8s = this.engine.model.k8s!;
      const keys = new Set<string>();
      if (!peer.ipBlock) {
        for (const p of this.candidates(peer)) if (!peerSet(peer, policy, k8s, { pods: p.workload, axis: PEER, name: p.name }).isEmpty()) keys.add(p.key);
      }
      this.byPeer.set(peer, (hit = keys));
    }
    return hit;
  }

  /**
   * Pods a peer's pod selector may match: with a `matchLabels` entry, only the pods carrying that
   * label (and those whose labels are not known); peerSet then decides for each.
   */
  private candidates(peer: PolicyPeer): readonly EniClass[] {
    const first = peer.podSelector ? Object.entries(peer.podSelector.matchLabels)[0] : undefined;
    if (!first) return this.pods;
    return [...(this.byLabel.get(`${first[0]}=${first[1]}`) ?? []), ...this.unlabelled];
  }

  private namedBy(policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress'): Set<string> {
    const out = new Set<string>();
    for (const policy of policies) {
      for (const rule of policy[direction] ?? []) for (const peer of rule.peers ?? []) for (const key of this.selectedBy(policy, peer)) out.add(key);
    }
    return out;
  }

  private ingressFrom(d: EniClass, s: EniClass): Bracket {
    const k8s = this.engine.model.k8s!;
    let index = this.ingress.get(d.key);
    if (!index) {
      const { sure, maybe } = selecting(k8s, d, 'ingress');
      index = {
        unnamed: policyComponent(k8s, d, 'ingress', { pods: undefined, axis: PEER, name: '' }, undefined).set,
        named: this.namedBy([...sure, ...maybe], 'ingress'),
        answers: new Map(),
      };
      this.ingress.set(d.key, index);
    }
    if (!index.named.has(s.key)) return index.unnamed;
    let hit = index.answers.get(s.key);
    if (!hit) index.answers.set(s.key, (hit = policyComponent(k8s, d, 'ingress', { pods: s.workload, axis: PEER, name: s.name, assumptions: s.assumptions }, undefined).set));
    return hit;
  }

  private egressTo(s: EniClass, d: EniClass, pd: Placement): Bracket {
    const k8s = this.engine.model.k8s!;
    let index = this.egress.get(s.key);
    if (!index) {
      const { sure, maybe } = selecting(k8s, s, 'egress');
      const policies = [...sure, ...maybe];
      index = { named: usesNamedPorts(policies, 'egress') ? 'every' : this.namedBy(policies, 'egress'), unnamed: new Map(), answers: new Map() };
      this.egress.set(s.key, index);
    }
    if (index.named !== 'every' && !index.named.has(d.key)) {
      let hit = index.unnamed.get(pd.subnet.key);
      if (!hit) index.unnamed.set(pd.subnet.key, (hit = policyComponent(k8s, s, 'egress', { pods: undefined, axis: toward(pd), name: '' }, undefined).set));
      return hit;
    }
    const exact = () => policyComponent(k8s, s, 'egress', { pods: d.workload, axis: toward(pd), name: d.name, assumptions: d.assumptions }, d.workload).set;
    // Named ports make every destination its own answer; not kept, so the index stays as small as the policies.
    if (index.named === 'every') return exact();
    const key = `${d.key}|${pd.subnet.key}`;
    let hit = index.answers.get(key);
    if (!hit) index.answers.set(key, (hit = exact()));
    return hit;
  }
}

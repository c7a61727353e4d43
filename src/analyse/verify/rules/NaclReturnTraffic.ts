import type { Path, Reach, Source } from '../../model/engine/reach.js';
import { explainPath } from '../../model/engine/reach.js';
import { effectiveRoutes, naclComponent, PEER, type Axis } from '../../model/engine/evaluate.js';
import { endsOf, samplePacket, packetText, type Finding } from '../findings.js';
import type { EniClass, Model, Placement, Subnet } from '../../model/types.js';
import { Bracket, INTERNET, PacketSet } from '../../model/packets.js';
import { findingOf, INTERNET_SOURCE, type RuleContext, type VerifyRule } from './rule.js';

const REPLY_STEP = 'network ACL (reply)';
const SERVICE_PORTS = PacketSet.box({ port: [0, 1023] });

/** What a path lets through when reply filtering is ignored. */
function forwardOnly(path: Path): Bracket {
  let set = Bracket.ALL;
  for (const c of path.components) {
    if (c.step === REPLY_STEP) continue;
    set = set.intersect(c.set);
    if (set.isEmpty()) break;
  }
  return set;
}

/**
 * The peers a class's security groups admit, by address: CIDR rules as written, group references
 * as the subnets where members of the group are placed. Subnet granularity is enough here: the
 * question is which subnets' replies the ACLs must let back.
 *
 * Built once per check: each group's admitted set is computed once and shared by every class that
 * holds the group, and group members' subnets come from one pass over the classes. Rescanning every
 * class for every group-reference rule of every class made this quadratic in classes (issue 14).
 * Unions are set unions, so visiting each member subnet once gives the same sets as before.
 */
function admittedPeersOf(model: Model): (cls: EniClass) => PacketSet {
  const memberSubnets = new Map<string, Set<Subnet>>();
  for (const c of model.classes) {
    for (const key of c.groups) {
      let subnets = memberSubnets.get(key);
      if (!subnets) memberSubnets.set(key, subnets = new Set());
      for (const p of c.placements) subnets.add(p.subnet);
    }
  }
  const byGroup = new Map<string, PacketSet>();
  const groupAdmits = (key: string): PacketSet => {
    const known = byGroup.get(key);
    if (known) return known;
    let set = PacketSet.EMPTY;
    const g = model.groups.get(key);
    if (g && !g.opaque) {
      for (const r of g.rules) {
        if (r.direction !== 'in') continue;
        const services = { protocol: r.protocol, port: r.ports };
        if (r.peer.kind === 'cidr') set = set.union(PacketSet.box({ peer: r.peer.range, ...services }));
        else if (r.peer.kind === 'group') {
          for (const subnet of memberSubnets.get(r.peer.key) ?? []) set = set.union(PacketSet.box({ peer: subnet.range, ...services }));
        }
      }
    }
    byGroup.set(key, set);
    return set;
  };
  return (cls) => {
    let set = PacketSet.EMPTY;
    for (const key of cls.groups) set = set.union(groupAdmits(key));
    return set.intersect(cls.accepts);
  };
}

function fixed(subnet: Subnet): Axis {
  return { kind: 'fixed', range: subnet.range, text: `${subnet.name} (${subnet.cidr})` };
}

/** PV7: network ACLs let the replies of admitted connections back out. */
export const NaclReturnTraffic: VerifyRule = {
  id: 'PV7',
  name: 'NaclReturnTraffic',
  level: 'error',
  cause: 'Connections that routes, security groups and the inbound network ACL rules admit are dropped on the way back, because a network ACL does not allow the replies on every ephemeral port a client may use (1024-65535).',
  why: 'Network ACLs are stateless: unlike security groups they do not remember a connection, so every reply needs its own rule. Forgetting it breaks the service in a way that looks like a timeout.',
  check(ctx) {
    return returnTrafficFindings(ctx, true);
  },
};

/**
 * PV7's findings. `prune` skips, without asking the engine, the subnet pairs and subnets whose
 * ACLs cannot lose a reply for any class (a bound computed once per pair or subnet); without it,
 * every class is asked (test/verify/fast-answers.test.ts compares the two on generated models).
 */
export function returnTrafficFindings({ model, engine }: RuleContext, prune: boolean): Finding[] {
  if ([...model.subnets.values()].every((s) => s.nacl.isDefault)) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  const report = (reach: Reach, lost: PacketSet) => {
    const p = samplePacket(lost);
    if (!p) return;
    const path = reach.paths.find((x) => forwardOnly(x).sure.has(p) && !x.allowed.sure.has(p));
    if (!path) return;
    const hops = explainPath(path, p);
    const culprit = hops.find((h) => h.step === REPLY_STEP && h.verdict.allows !== true);
    const key = culprit?.verdict.text ?? path.title;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(findingOf(NaclReturnTraffic, {
      status: 'violation',
      message: `${path.title}: ${lost.servicesString()} is admitted, but the replies are dropped: ${culprit?.verdict.text ?? 'a network ACL blocks the reply'}.`,
      resource: culprit?.verdict.resource, assumptions: [],
      witness: { from: path.title.split(' → ')[0]!, to: path.title.split(' → ').slice(-1)[0]!, packets: lost.toString(3), packet: packetText(p), path: path.title, hops, ...endsOf(reach), set: lost, sample: p },
    }));
  };
  // Classes by subnet, in model order, found once rather than per class × subnet pair.
  const classesIn = new Map<Subnet, EniClass[]>();
  for (const c of model.classes) {
    for (const subnet of new Set(c.placements.map((p) => p.subnet))) {
      const list = classesIn.get(subnet);
      if (list) list.push(c);
      else classesIn.set(subnet, [c]);
    }
  }
  const admittedPeers = admittedPeersOf(model);
  const sourcesIn = (subnet: Subnet, cls: EniClass): Source[] => [
    ...(classesIn.get(subnet) ?? []).filter((c) => c !== cls).map((c): Source => ({ kind: 'class', cls: c })),
    { kind: 'hosts', name: `any other host in subnet ${subnet.name} (${subnet.cidr})`, subnet, peers: subnet.addresses },
  ];

  // What the two subnets' ACLs admit from the source subnet and lose on the way back, for any
  // class: a class loses its admitted peers within it, `admitted ∩ L` (the same set as intersecting
  // the admitted peers with the ACLs first). Once per subnet pair rather than per class.
  const lossBetween = new Map<Subnet, Map<Subnet, PacketSet>>();
  const lossOf = (pd: Subnet, ps: Subnet): PacketSet => {
    let row = lossBetween.get(pd);
    if (!row) lossBetween.set(pd, (row = new Map()));
    let loss = row.get(ps);
    if (loss) return loss;
    const forward = naclComponent(pd.nacl, 'in', PEER, undefined, pd.name).set
      .intersect(naclComponent(ps.nacl, 'out', fixed(pd), undefined, ps.name).set);
    const replies = naclComponent(pd.nacl, 'out', PEER, 'must', pd.name).set
      .intersect(naclComponent(ps.nacl, 'in', fixed(pd), 'must', ps.name).set);
    loss = ps.addresses.intersect(forward.sure).minus(replies.sure);
    row.set(ps, loss);
    return loss;
  };

  for (const cls of model.classes) {
    if (cls.accepts.isEmpty()) continue;
    let admittedSet: PacketSet | undefined;
    const admitted = () => (admittedSet ??= admittedPeers(cls));
    for (const pd of cls.placements) {
      for (const ps of model.subnets.values()) {
        if (ps === pd.subnet || (ps.nacl.isDefault && pd.subnet.nacl.isDefault)) continue;
        if (prune && lossOf(pd.subnet, ps).isEmpty()) continue;
        const lost = prune ? admitted().intersect(lossOf(pd.subnet, ps)) : lossWithin(admitted(), pd.subnet, ps);
        if (lost.isEmpty()) continue;
        for (const source of sourcesIn(ps, cls)) {
          const reach = engine.reach(source, { kind: 'class', cls }, 'must');
          const l = pathLoss(reach);
          if (!l.isEmpty()) {
            report(reach, l);
            break;
          }
        }
      }
      if (!pd.subnet.nacl.isDefault && internetLoss(cls, pd) && !admitted().isEmpty()) {
        const reach = engine.reach(INTERNET_SOURCE, { kind: 'class', cls }, 'must');
        const l = pathLoss(reach);
        if (!l.isEmpty()) report(reach, l);
      }
    }
  }
  // Connections hosts open to the internet, to service ports: an outbound rule for ports 1024-65535 is
  // there for replies, and connections to those ports are not what anyone meant to allow.
  const internet = { kind: 'external', name: 'internet', peers: INTERNET } as const;
  const natBehindAcl = [...model.natGateways.values()].some((n) => n.subnet && !n.subnet.nacl.isDefault);
  // A class's paths from a subnet lose at most what the subnet's bare paths lose (Engine.subnetOutbound).
  const subnetLoss = new Map<Subnet, boolean>();
  const mayLose = (subnet: Subnet): boolean => {
    let known = subnetLoss.get(subnet);
    if (known === undefined) subnetLoss.set(subnet, (known = !lossOn(engine.subnetOutbound(subnet, internet, 'must')).intersect(SERVICE_PORTS).isEmpty()));
    return known;
  };
  for (const cls of model.classes) {
    if (cls.placements.every((p) => p.subnet.nacl.isDefault) && !natBehindAcl) continue;
    if (prune && !cls.placements.some((p) => mayLose(p.subnet))) continue;
    const reach = engine.reach({ kind: 'class', cls }, internet, 'must');
    const l = pathLoss(reach).intersect(SERVICE_PORTS);
    if (!l.isEmpty()) report(reach, l);
  }
  return out;
}

/** What the ACLs admit from `ps` of a class's admitted peers and lose on the way back, asked directly. */
function lossWithin(admitted: PacketSet, pd: Subnet, ps: Subnet): PacketSet {
  const from = admitted.intersect(ps.addresses);
  if (from.isEmpty()) return from;
  const forward = Bracket.exact(from)
    .intersect(naclComponent(pd.nacl, 'in', PEER, undefined, pd.name).set)
    .intersect(naclComponent(ps.nacl, 'out', fixed(pd), undefined, ps.name).set);
  const replies = naclComponent(pd.nacl, 'out', PEER, 'must', pd.name).set
    .intersect(naclComponent(ps.nacl, 'in', fixed(pd), 'must', ps.name).set);
  return forward.sure.minus(replies.sure);
}

/** Packets some path admits on the way in but loses on the way back. */
function pathLoss(reach: Reach): PacketSet {
  return lossOn(reach.paths);
}

function lossOn(paths: readonly Path[]): PacketSet {
  let lost = PacketSet.EMPTY;
  for (const path of paths) {
    if (!path.components.some((c) => c.step === REPLY_STEP)) continue;
    lost = lost.union(forwardOnly(path).sure.minus(path.allowed.sure));
  }
  return lost;
}

/** Whether the internet could connect to the placement, before replies are considered. */
function internetLoss(cls: EniClass, pd: Placement): boolean {
  return pd.publicIp !== 'no' && effectiveRoutes(pd.subnet.routeTable).some((e) => e.route.target.kind === 'igw' && e.peers.overlaps(INTERNET)) && cls.accepts.overlaps(INTERNET);
}

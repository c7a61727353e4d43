/** The network model's reader of resources with a network presence the model does not read, and the grouping of members into classes. */
import { PacketSet } from '../packets.js';
import type { EniClass, Placement, TargetGroup } from '../types.js';
import { ModelBuilder, MODELLED, dedupeTargets, nameOfClass, type Member } from './builder.js';

export function readUnmodelled(b: ModelBuilder): void {
  for (const [type, resources] of b.byType) {
    if (MODELLED.has(type)) continue;
    // Custom resources too: a provider that is handed subnets or groups creates something in them.
    const networked = resources.filter((r) => /"(SubnetIds?|Subnets|SecurityGroupIds|SecurityGroups|VpcConfig|VPCOptions|VpcId|NetworkConfiguration|subnetIds|securityGroupIds|resourcesVpcConfig)"/.test(JSON.stringify(r.body.Properties ?? {})));
    const nested = type === 'AWS::CloudFormation::Stack';
    if (networked.length === 0 && !nested) continue;
    const rs = nested ? resources : networked;
    b.unmodelled.set(type, rs.map((r) => r.ref));
    for (const r of rs) {
      const id = b.assume(nested
        ? 'Nested stacks are not read; pass their templates to verify as well.'
        : `${type} is not modelled; its network interfaces are not analysed, so whatever reaches them is unknown.`, r);
      // An unplaced member: every reachability check over it answers "unknown", never "holds".
      if (!nested) b.unplaced({ kind: 'network-interface', resource: r.ref, key: r.key, groups: [], accepts: PacketSet.ALL, acceptsText: `any port (${type} is not modelled)` }, id);
    }
  }
}

export function groupClasses(b: ModelBuilder): EniClass[] {
  const byKey = new Map<string, Member[]>();
  for (const m of b.members) {
    // Interfaces are interchangeable when they carry the same groups: across subnets when the groups name
    // one spec endpoint (servers/web spread over AZs), else only within one subnet.
    const refs = [...(m.refs ?? []), ...m.groups.flatMap((g) => b.groups.get(g)?.refs ?? [])];
    const where = refs.length > 0 ? '' : m.placements.map((p) => `${p.subnet.key}:${p.publicIp}`).sort().join(',');
    const key = m.groupingKey ?? `${m.kind}|${[...m.groups].sort().join(',')}|${m.explicitPublicIp ? 'public' : ''}|${refs.join(',')}|${where}`;
    const list = byKey.get(key);
    if (list) list.push(m);
    else byKey.set(key, [m]);
  }
  const classes: EniClass[] = [];
  for (const [key, ms] of byKey) {
    const first = ms[0]!;
    const refs = [...new Set([...(first.refs ?? []), ...first.groups.flatMap((g) => b.groups.get(g)?.refs ?? [])])];
    const placements: Placement[] = [];
    for (const p of ms.flatMap((m) => m.placements)) {
      if (!placements.some((q) => q.subnet === p.subnet && q.publicIp === p.publicIp)) placements.push(p);
    }
    const resources = ms.map((m) => m.resource);
    const classKey = ms.length === 1 ? first.key : key;
    const cls: EniClass = {
      key: classKey, kind: first.kind, name: nameOfClass(refs, resources), refs, resources, placements,
      groups: first.groups, count: ms.reduce((n, m) => n + (m.count ?? 1), 0), accepts: first.accepts, acceptsText: first.acceptsText,
      loadBalancer: first.loadBalancer, clientVpn: first.clientVpn, publicEndpoint: first.publicEndpoint,
      explicitPublicIp: ms.some((m) => m.explicitPublicIp === true), workload: undefined,
      assumptions: ms.flatMap((m) => m.assumptions ?? []),
    };
    classes.push(cls);
    for (const m of ms) b.classOfMember.set(m.key, classKey);
  }
  // Target groups name instances (and auto scaling groups, load balancers); point them at classes.
  for (const cls of classes) {
    for (const tg of cls.loadBalancer?.targetGroups ?? []) {
      const resolved = tg.targets.map((t) => ({ ...t, classKey: resolveMember(b, t.classKey) })).filter((t) => t.classKey !== undefined) as TargetGroup['targets'];
      (tg.targets as TargetGroup['targets'][number][]).splice(0, tg.targets.length, ...dedupeTargets(resolved));
    }
  }
  return classes;
}

export function resolveMember(b: ModelBuilder, key: string): string | undefined {
  return b.classOfMember.get(key);
}

/** The network model's reader of security groups and their standalone ingress/egress rules. */
import { ResourceToken, type StackResource, type Value } from '../resolve.js';
import type { SecurityGroup, SgPeer, SgRule } from '../types.js';
import { list, obj, portRange, protocolRange, reasonOf, str, tags, tokenKey } from '../values.js';
import { ModelBuilder, ALL_PORTS, ALL_PROTOCOLS } from './builder.js';

export function readSecurityGroups(b: ModelBuilder): void {
  const sgs = b.resources('AWS::EC2::SecurityGroup');
  const pending: [StackResource, SgRule[]][] = [];
  for (const r of sgs) {
    const description = str(b.prop(r, 'GroupDescription')) ?? '';
    const t = tags(b.prop(r, 'Tags'));
    const endpoint = t['plinth:endpoint'] ?? /^plinth [^:]+: (\S+)$/.exec(description)?.[1];
    const rules: SgRule[] = [];
    b.groups.set(r.key, {
      key: r.key, name: t.Name ?? r.logicalId, refs: endpoint ? [endpoint] : [], rules, resource: r.ref, synthetic: undefined, opaque: undefined,
      nameTag: t.Name, vpcKey: tokenKey(b.prop(r, 'VpcId')),
    });
    if (b.prop(r, 'VpcId') === undefined) b.assume('The group names no VpcId, so it would be created in the default VPC, which verify does not model.', r);
    pending.push([r, rules]);
  }
  // Inline rules after every group exists, so references between groups resolve either way.
  for (const [r, rules] of pending) {
    list(b.prop(r, 'SecurityGroupIngress')).forEach((rule, i) => addRule(b, r, rules, 'in', obj(rule) ?? {}, i));
    const egress = list(b.prop(r, 'SecurityGroupEgress'));
    egress.forEach((rule, i) => addRule(b, r, rules, 'out', obj(rule) ?? {}, i));
    if (egress.length === 0) {
      rules.push({
        direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: ALL_PROTOCOLS, ports: ALL_PORTS,
        description: 'default egress rule (the group lists no egress rules)', resource: r.ref, index: egress.length, assumption: undefined,
      });
    }
  }
  for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
    for (const r of b.resources(type)) {
      const groupValue = b.prop(r, 'GroupId') ?? groupByName(b, b.prop(r, 'GroupName'));
      const key = groupValue === undefined ? undefined : b.groupKey(r, groupValue);
      const group = key ? b.groups.get(key) : undefined;
      if (!group || group.opaque) continue;
      const props: Record<string, Value> = {};
      for (const k of ['IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName',
        'SourcePrefixListId', 'DestinationSecurityGroupId', 'DestinationPrefixListId', 'Description', 'SourceSecurityGroupOwnerId']) {
        const v = b.prop(r, k);
        if (v !== undefined) props[k] = v;
      }
      addRule(b, r, group.rules as SgRule[], direction, props, -1);
    }
  }
}

export function groupByName(b: ModelBuilder, v: Value | undefined): Value | undefined {
  const name = str(v);
  if (name === undefined) return undefined;
  const found = b.resources('AWS::EC2::SecurityGroup').find((r) => str(b.prop(r, 'GroupName')) === name);
  return found ? new ResourceToken(found.key, undefined) : name;
}

export function addRule(b: ModelBuilder, r: StackResource, rules: SgRule[], direction: 'in' | 'out', rule: Record<string, Value>, index: number): void {
  const protocol = protocolRange(rule.IpProtocol);
  const ports = protocol ? portRange(protocol, rule.FromPort, rule.ToPort) : ALL_PORTS;
  let peer: SgPeer;
  let assumption: string | undefined;
  const groupRef = direction === 'in' ? rule.SourceSecurityGroupId ?? groupByName(b, rule.SourceSecurityGroupName) : rule.DestinationSecurityGroupId;
  const prefixList = direction === 'in' ? rule.SourcePrefixListId : rule.DestinationPrefixListId;
  if (rule.CidrIp !== undefined) {
    const c = b.cidr(r, rule.CidrIp, `The CidrIp of an ${direction === 'in' ? 'inbound' : 'outbound'} rule`);
    peer = 'range' in c ? { kind: 'cidr', range: c.range, text: c.text } : { kind: 'unknown', reason: reasonOf(rule.CidrIp) };
    if ('unknown' in c) assumption = c.unknown;
  } else if (groupRef !== undefined) {
    const key = b.groupKey(r, groupRef);
    peer = key ? { kind: 'group', key } : { kind: 'unknown', reason: reasonOf(groupRef) };
    if (rule.SourceSecurityGroupOwnerId !== undefined) {
      assumption = b.assume('The rule names a security group in another account; its members are unknown.', r);
      peer = { kind: 'unknown', reason: 'a group in another account' };
    }
  } else if (prefixList !== undefined) {
    peer = { kind: 'prefix-list', id: str(prefixList) ?? reasonOf(prefixList) };
    assumption = b.assume(`A rule allows the prefix list ${str(prefixList) ?? reasonOf(prefixList)}, whose addresses verify cannot list; it may match any address.`, r);
  } else if (rule.CidrIpv6 !== undefined) {
    b.assume('IPv6 security group rules are not modelled; verify analyses IPv4 only.', r);
    return;
  } else {
    peer = { kind: 'unknown', reason: 'no peer' };
    assumption = b.assume('A security group rule names no peer verify can read.', r);
  }
  if (!protocol) assumption ??= b.assume(`A rule's protocol ${reasonOf(rule.IpProtocol)} cannot be resolved; treated as every protocol.`, r);
  rules.push({
    direction, peer, protocol: protocol ?? ALL_PROTOCOLS, ports, description: str(rule.Description), resource: r.ref,
    index: index >= 0 ? index : rules.length, assumption,
  });
}

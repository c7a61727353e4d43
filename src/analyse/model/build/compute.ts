/** The network model's reader of EC2 instances, network interfaces, auto scaling groups (with launch configurations and templates) and Lambda functions in a VPC. */
import type { StackResource, Value } from '../resolve.js';
import { PacketSet } from '../packets.js';
import type { PublicIp, Subnet } from '../types.js';
import { bool, list, num, obj, reasonOf, str, tokenKey } from '../values.js';
import { ModelBuilder } from './builder.js';
import { groupByName } from './security-groups.js';

export function publicIpOf(b: ModelBuilder, memberKey: string, subnet: Subnet, associate: boolean | undefined): { publicIp: PublicIp; by: string | undefined; explicit: boolean } {
  const eip = b.elasticIps.get(memberKey);
  if (eip) return { publicIp: 'yes', by: `Elastic IP ${eip.logicalId}`, explicit: true };
  if (associate !== undefined) return { publicIp: associate ? 'yes' : 'no', by: associate ? 'AssociatePublicIpAddress: true' : undefined, explicit: associate };
  return subnet.mapPublicIp ? { publicIp: 'yes', by: `subnet ${subnet.name} assigns public IPs on launch`, explicit: false } : { publicIp: 'no', by: undefined, explicit: false };
}

/** SecurityGroupIds / NetworkInterfaces of a launch template, by the value that names it. */
export function launchTemplate(b: ModelBuilder, r: StackResource, spec: Value | undefined): { groups?: Value; subnet?: Value; associate?: boolean; resource?: StackResource } {
  const s = obj(spec);
  // EC2 and Auto Scaling name them LaunchTemplateId/Name; EKS node groups Id/Name.
  const id = s?.LaunchTemplateId ?? s?.LaunchTemplateName ?? s?.Id ?? s?.Name;
  if (id === undefined) return {};
  const key = tokenKey(id);
  const lt = key ? b.resolver.resource(key) : b.resources('AWS::EC2::LaunchTemplate').find((x) => str(b.prop(x, 'LaunchTemplateName')) === str(id));
  if (!lt) {
    b.assume(`The launch template ${reasonOf(id)} is not in the templates; groups it may add are unknown.`, r);
    return {};
  }
  const data = obj(b.prop(lt, 'LaunchTemplateData'));
  const nic = obj(list(data?.NetworkInterfaces).find((n) => (num(obj(n)?.DeviceIndex) ?? 0) === 0));
  return {
    groups: nic?.Groups ?? data?.SecurityGroupIds ?? (data?.SecurityGroups !== undefined ? groupNames(b, data.SecurityGroups) : undefined),
    subnet: nic?.SubnetId,
    associate: bool(nic?.AssociatePublicIpAddress),
    resource: lt,
  };
}

export function groupNames(b: ModelBuilder, v: Value): Value {
  return list(v).map((n) => groupByName(b, n) ?? n);
}

export function readInstances(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::Instance')) {
    const lt = launchTemplate(b, r, b.prop(r, 'LaunchTemplate'));
    const nics = list(b.prop(r, 'NetworkInterfaces')).map(obj).filter((n) => n !== undefined);
    const primary = nics.find((n) => (num(n.DeviceIndex) ?? 0) === 0);
    let subnetValue = primary?.SubnetId ?? b.prop(r, 'SubnetId') ?? lt.subnet;
    let groupsValue = primary?.GroupSet ?? b.prop(r, 'SecurityGroupIds') ?? (b.prop(r, 'SecurityGroups') !== undefined ? groupNames(b, b.prop(r, 'SecurityGroups')!) : undefined) ?? lt.groups;
    let memberKey = r.key;
    const eniKey = tokenKey(primary?.NetworkInterfaceId);
    const eni = eniKey ? b.resolver.resource(eniKey) : undefined;
    if (eni) {
      subnetValue = b.prop(eni, 'SubnetId');
      groupsValue = b.prop(eni, 'GroupSet');
      memberKey = eni.key;
      b.attachedInterfaces.add(eni.key);
    }
    const accepts = { kind: 'instance' as const, resource: r.ref, key: r.key, accepts: PacketSet.ALL, acceptsText: 'any port (a host may listen anywhere)' };
    if (subnetValue === undefined) {
      const id = b.assume('The instance names no subnet, so it would launch in the default VPC, which verify does not model; who reaches it is unknown.', r);
      b.unplaced({ ...accepts, groups: groupsValue === undefined ? [] : b.groupsOf(r, groupsValue) }, id);
      continue;
    }
    const subnet = b.subnetOf(r, subnetValue, 'The instance');
    if (!subnet) {
      b.unplaced({ ...accepts, groups: groupsValue === undefined ? [] : b.groupsOf(r, groupsValue) }, b.lastUnplaced);
      continue;
    }
    const pub = publicIpOf(b, r.key, subnet, bool(primary?.AssociatePublicIpAddress) ?? lt.associate);
    const eip = b.elasticIps.get(memberKey);
    const publicIp = eip ? { publicIp: 'yes' as const, by: `Elastic IP ${eip.logicalId}`, explicit: true } : pub;
    const groups = groupsValue === undefined ? [subnet.vpc.defaultGroup] : b.groupsOf(r, groupsValue);
    if (bool(b.prop(r, 'SourceDestCheck')) === false || (eni && bool(b.prop(eni, 'SourceDestCheck')) === false)) {
      b.routers.set(r.key, { name: r.logicalId, resource: r.ref });
      if (eni) b.routers.set(eni.key, { name: r.logicalId, resource: r.ref });
    }
    b.members.push({
      kind: 'instance', resource: r.ref, key: r.key, groups, accepts: PacketSet.ALL, acceptsText: 'any port (a host may listen anywhere)',
      placements: [{ subnet, publicIp: publicIp.publicIp, publicIpBy: publicIp.by }], explicitPublicIp: publicIp.explicit,
    });
  }
}

export function readNetworkInterfaces(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EC2::NetworkInterface')) {
    if (b.attachedInterfaces.has(r.key)) continue;
    const subnet = b.subnetOf(r, b.prop(r, 'SubnetId'), 'The network interface');
    const groupsValue = b.prop(r, 'GroupSet');
    if (!subnet) {
      b.unplaced({ kind: 'network-interface', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [] : b.groupsOf(r, groupsValue), accepts: PacketSet.ALL, acceptsText: 'any port' }, b.lastUnplaced);
      continue;
    }
    const pub = publicIpOf(b, r.key, subnet, undefined);
    if (bool(b.prop(r, 'SourceDestCheck')) === false) b.routers.set(r.key, { name: r.logicalId, resource: r.ref });
    b.members.push({
      kind: 'network-interface', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnet.vpc.defaultGroup] : b.groupsOf(r, groupsValue),
      accepts: PacketSet.ALL, acceptsText: 'any port', placements: [{ subnet, publicIp: pub.publicIp, publicIpBy: pub.by }], explicitPublicIp: pub.explicit,
    });
  }
}

export function readAutoScalingGroups(b: ModelBuilder): void {
  for (const r of b.resources('AWS::AutoScaling::AutoScalingGroup')) {
    const spec = b.prop(r, 'LaunchTemplate') ?? obj(obj(obj(b.prop(r, 'MixedInstancesPolicy'))?.LaunchTemplate)?.LaunchTemplateSpecification);
    const lt = launchTemplate(b, r, spec);
    let groupsValue = lt.groups;
    let associate = lt.associate;
    const lcKey = tokenKey(b.prop(r, 'LaunchConfigurationName'));
    const lc = lcKey ? b.resolver.resource(lcKey) : undefined;
    if (lc) {
      groupsValue = groupNames(b, b.prop(lc, 'SecurityGroups') ?? []);
      associate = bool(b.prop(lc, 'AssociatePublicIpAddress'));
    }
    const named = list(b.prop(r, 'VPCZoneIdentifier'));
    const subnets = named.map((s) => b.subnetOf(r, s, 'The auto scaling group')).filter((s) => s !== undefined);
    const count = num(b.prop(r, 'DesiredCapacity')) ?? num(b.prop(r, 'MinSize')) ?? 1;
    if (subnets.length === 0) {
      // Never dropped: an unplaced class makes every check over it "unknown" (issue 14: world-open SSH passed this way).
      const why = named.length === 0
        ? b.assume('The auto scaling group names no subnet (VPCZoneIdentifier), so it launches in the default VPC, which verify does not model; who reaches it is unknown.', r)
        : b.lastUnplaced;
      b.unplaced({ kind: 'auto-scaling-group', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [] : b.groupsOf(r, groupsValue), accepts: PacketSet.ALL, acceptsText: 'any port', count }, why);
      continue;
    }
    const groups = groupsValue === undefined || list(groupsValue).length === 0 ? [subnets[0]!.vpc.defaultGroup] : b.groupsOf(r, groupsValue);
    const placements = subnets.map((subnet) => {
      const pub = publicIpOf(b, r.key, subnet, associate);
      return { subnet, publicIp: pub.publicIp, publicIpBy: pub.by };
    });
    b.members.push({
      kind: 'auto-scaling-group', resource: r.ref, key: r.key, groups, accepts: PacketSet.ALL, acceptsText: 'any port',
      placements, count, explicitPublicIp: associate === true,
      groupingKey: r.key,
    });
  }
}

export function readLambdas(b: ModelBuilder): void {
  for (const r of b.resources('AWS::Lambda::Function')) {
    const config = obj(b.prop(r, 'VpcConfig'));
    if (!config) continue;
    const subnets = list(config.SubnetIds).map((s) => b.subnetOf(r, s, 'The function')).filter((s) => s !== undefined);
    if (subnets.length === 0) {
      b.unplaced({ kind: 'lambda', resource: r.ref, key: r.key, groups: b.groupsOf(r, config.SecurityGroupIds), accepts: PacketSet.EMPTY, acceptsText: 'nothing (functions only call out)' }, b.lastUnplaced);
      continue;
    }
    b.members.push({
      kind: 'lambda', resource: r.ref, key: r.key, groups: b.groupsOf(r, config.SecurityGroupIds), accepts: PacketSet.EMPTY,
      acceptsText: 'nothing (functions only call out)', placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })),
      groupingKey: r.key,
    });
  }
}

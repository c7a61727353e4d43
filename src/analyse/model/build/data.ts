/** The network model's reader of databases (RDS instances and clusters) and EFS mount targets. */
import type { StackResource } from '../resolve.js';
import { PacketSet } from '../packets.js';
import type { PublicIp } from '../types.js';
import { bool, list, num, reasonOf, str, tokenKey } from '../values.js';
import { ModelBuilder, TCP, ENGINE_PORTS } from './builder.js';

export function readDatabases(b: ModelBuilder): void {
  const clusters = new Map<string, StackResource>();
  for (const r of b.resources('AWS::RDS::DBCluster')) clusters.set(r.key, r);
  const clustersWithInstances = new Set<string>();
  const instances = b.resources('AWS::RDS::DBInstance');
  for (const r of [...instances, ...clusters.values()]) {
    const isInstance = r.body.Type === 'AWS::RDS::DBInstance';
    const clusterKey = isInstance ? tokenKey(b.prop(r, 'DBClusterIdentifier')) : undefined;
    const cluster = clusterKey ? clusters.get(clusterKey) : undefined;
    if (cluster) clustersWithInstances.add(cluster.key);
    if (!isInstance && clustersWithInstances.has(r.key)) continue;
    const source = cluster ?? r;
    const subnetGroupKey = tokenKey(b.prop(source, 'DBSubnetGroupName'));
    const subnetGroup = subnetGroupKey ? b.resolver.resource(subnetGroupKey) : undefined;
    const engine = (str(b.prop(source, 'Engine')) ?? '').toLowerCase();
    const port = num(b.prop(source, 'Port')) ?? ENGINE_PORTS.find(([re]) => re.test(engine))?.[1];
    const unplacedDatabase = (id: string | undefined) => b.unplaced({
      kind: 'database', resource: r.ref, key: r.key, groups: [], accepts: port === undefined ? PacketSet.ALL : PacketSet.box({ protocol: TCP, port: [port, port] }),
      acceptsText: port === undefined ? 'any port' : `tcp/${port}`,
    }, id);
    if (!subnetGroup) {
      const named = b.prop(source, 'DBSubnetGroupName');
      unplacedDatabase(b.assume(named === undefined
        ? 'The database names no subnet group, so it would be created in the default VPC, which verify does not model; who reaches it is unknown.'
        : `The database's subnet group ${reasonOf(named)} is not in the templates; who reaches it is unknown.`, r));
      continue;
    }
    const subnets = list(b.prop(subnetGroup, 'SubnetIds')).map((s) => b.subnetOf(subnetGroup, s, 'The DB subnet group')).filter((s) => s !== undefined);
    if (subnets.length === 0) {
      unplacedDatabase(b.lastUnplaced);
      continue;
    }
    const assumptions: string[] = [];
    if (port === undefined) assumptions.push(b.assume(`The database port cannot be resolved (engine ${engine || 'unknown'}); every port is considered.`, r));
    const groupsValue = b.prop(source, isInstance && !cluster ? 'VPCSecurityGroups' : 'VpcSecurityGroupIds') ?? b.prop(r, 'VPCSecurityGroups');
    const groups = groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : b.groupsOf(r, groupsValue);
    const publicly = bool(b.prop(r, 'PubliclyAccessible')) ?? bool(b.prop(source, 'PubliclyAccessible')) ?? false;
    const placements = subnets.map((subnet) => ({
      subnet, publicIp: (publicly ? 'yes' : 'no') as PublicIp, publicIpBy: publicly ? `PubliclyAccessible: true on ${r.logicalId}` : undefined,
    }));
    const accepts = port === undefined ? PacketSet.ALL : PacketSet.box({ protocol: TCP, port: [port, port] });
    b.members.push({
      kind: 'database', resource: r.ref, key: r.key, groups, accepts, acceptsText: port === undefined ? 'any port' : `tcp/${port}`,
      placements, explicitPublicIp: publicly, groupingKey: cluster?.key ?? r.key, assumptions,
    });
  }
}

export function readFileSystems(b: ModelBuilder): void {
  for (const r of b.resources('AWS::EFS::MountTarget')) {
    const fs = tokenKey(b.prop(r, 'FileSystemId')) ?? str(b.prop(r, 'FileSystemId')) ?? r.key;
    const subnet = b.subnetOf(r, b.prop(r, 'SubnetId'), 'The mount target');
    if (!subnet) continue;
    const groupsValue = b.prop(r, 'SecurityGroups');
    b.members.push({
      kind: 'file-system', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnet.vpc.defaultGroup] : b.groupsOf(r, groupsValue),
      accepts: PacketSet.box({ protocol: TCP, port: [2049, 2049] }), acceptsText: 'tcp/2049 (NFS)',
      placements: [{ subnet, publicIp: 'no', publicIpBy: undefined }], groupingKey: `efs:${fs}`,
    });
  }
}

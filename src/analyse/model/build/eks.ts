/** The network model's reader of EKS clusters (their control-plane interfaces and public endpoint) and managed node groups. */
import { Unknown, type StackResource, type Value } from '../resolve.js';
import { cidrRange, PacketSet, type Range } from '../packets.js';
import type { SgRule } from '../types.js';
import { bool, list, num, obj, str, tokenKey } from '../values.js';
import { ModelBuilder, TCP } from './builder.js';
import { publicIpOf, launchTemplate } from './compute.js';

export function readEks(b: ModelBuilder): void {
  // aws-cdk-lib's older aws-eks module creates the cluster through a custom resource whose Config is passed
  // as is to EKS CreateCluster (aws-eks/lib/cluster-resource.ts): the same fields, in the API's camelCase.
  const clusters = [
    ...b.resources('AWS::EKS::Cluster').map((r) => ({ r, config: obj(b.prop(r, 'ResourcesVpcConfig')) ?? {} })),
    ...b.resources('Custom::AWSCDK-EKS-Cluster').map((r) => ({ r, config: pascalCase(obj(obj(b.prop(r, 'Config'))?.resourcesVpcConfig) ?? {}) })),
  ];
  for (const { r, config } of clusters) {
    const subnets = list(config.SubnetIds).map((s) => b.subnetOf(r, s, 'The EKS control plane')).filter((s) => s !== undefined);
    const publicAccess = bool(config.EndpointPublicAccess) ?? true;
    const privateAccess = bool(config.EndpointPrivateAccess) ?? false;
    const cidrs = config.PublicAccessCidrs === undefined ? ['0.0.0.0/0'] : list(config.PublicAccessCidrs).map((c) => str(c) ?? '');
    let publicEndpoint: PacketSet | undefined;
    if (publicAccess) {
      publicEndpoint = PacketSet.EMPTY;
      for (const c of cidrs) {
        const range = cidrRange(c);
        if (range) publicEndpoint = publicEndpoint.union(PacketSet.box({ peer: range, protocol: TCP, port: [443, 443] }));
        else b.assume(`The public endpoint CIDR ${c} cannot be resolved.`, r);
      }
    }
    const groups = [b.eksClusterGroup(r.key), ...b.groupsOf(r, config.SecurityGroupIds)];
    b.members.push({
      kind: 'eks-control-plane', resource: r.ref, key: r.key, groups, refs: ['cluster/controlPlane'],
      accepts: privateAccess ? PacketSet.box({ protocol: TCP, port: [443, 443] }) : PacketSet.EMPTY,
      acceptsText: privateAccess ? 'tcp/443 (private API endpoint)' : 'nothing inside the VPC (private endpoint access is off)',
      publicEndpoint, placements: subnets.map((subnet) => ({ subnet, publicIp: 'no' as const, publicIpBy: undefined })), groupingKey: r.key,
    });
  }
  for (const r of b.resources('AWS::EKS::Nodegroup')) {
    const clusterValue = b.prop(r, 'ClusterName');
    const clusterKey = tokenKey(clusterValue) ?? b.resources('AWS::EKS::Cluster').find((c) => str(b.prop(c, 'Name')) === str(clusterValue))?.key;
    const lt = launchTemplate(b, r, b.prop(r, 'LaunchTemplate'));
    const subnets = list(b.prop(r, 'Subnets')).map((s) => b.subnetOf(r, s, 'The node group')).filter((s) => s !== undefined);
    let groups: string[];
    if (lt.groups !== undefined && list(lt.groups).length > 0) {
      groups = b.groupsOf(r, lt.groups);
    } else if (clusterKey) {
      groups = [b.eksClusterGroup(clusterKey)];
    } else {
      groups = [b.groupKey(r, new Unknown('the EKS cluster security group of a cluster outside the templates'))!];
    }
    const remote = obj(b.prop(r, 'RemoteAccess'));
    if (remote && lt.resource === undefined) groups.push(remoteAccessGroup(b, r, remote));
    const scaling = obj(b.prop(r, 'ScalingConfig'));
    if (subnets.length === 0) {
      b.unplaced({ kind: 'eks-nodes', resource: r.ref, key: r.key, groups, refs: ['cluster/nodes'], accepts: PacketSet.ALL, acceptsText: 'any port (kubelet, NodePorts, pods)', count: num(scaling?.DesiredSize) ?? 1 }, b.lastUnplaced);
      continue;
    }
    b.members.push({
      kind: 'eks-nodes', resource: r.ref, key: r.key, groups, refs: ['cluster/nodes'], accepts: PacketSet.ALL, acceptsText: 'any port (kubelet, NodePorts, pods)',
      count: num(scaling?.DesiredSize) ?? num(scaling?.MinSize) ?? 1, groupingKey: r.key,
      placements: subnets.map((subnet) => {
        const pub = publicIpOf(b, r.key, subnet, lt.associate);
        return { subnet, publicIp: pub.publicIp, publicIpBy: pub.by };
      }),
    });
  }
}

/** EKS opens SSH on managed nodes when RemoteAccess names a key: to its source groups, or to everyone. */
export function remoteAccessGroup(b: ModelBuilder, r: StackResource, remote: Record<string, Value>): string {
  const key = `${r.key}#remote-access-sg`;
  const sources = list(remote.SourceSecurityGroups);
  const base = { direction: 'in' as const, protocol: TCP, ports: [22, 22] as Range, resource: r.ref, assumption: undefined };
  const rules: SgRule[] = sources.length === 0
    ? [{ ...base, peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, description: 'EKS remote access: SSH from anywhere (no SourceSecurityGroups)', index: 0 }]
    : sources.map((s, i) => ({ ...base, peer: { kind: 'group' as const, key: b.groupKey(r, s)! }, description: 'EKS remote access: SSH', index: i }));
  b.groups.set(key, { key, name: `remote access group of ${r.logicalId}`, refs: [], rules, resource: r.ref, synthetic: 'created by EKS for RemoteAccess', opaque: undefined });
  return key;
}

function pascalCase(config: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]));
}

/** The network model's reader of application, network and classic load balancers, their listeners and target groups. */
import type { StackResource, Value } from '../resolve.js';
import { PacketSet } from '../packets.js';
import type { LoadBalancer, Listener, TargetGroup } from '../types.js';
import { list, num, obj, reasonOf, str, tokenKey, transportOf } from '../values.js';
import { ModelBuilder, TCP } from './builder.js';

export function readLoadBalancers(b: ModelBuilder): void {
  const targetGroups = new Map<string, TargetGroup>();
  for (const r of b.resources('AWS::ElasticLoadBalancingV2::TargetGroup')) targetGroups.set(r.key, targetGroup(b, r));
  const lbs = new Map<string, LoadBalancer>();
  for (const r of b.resources('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const type = (str(b.prop(r, 'Type')) ?? 'application') as LoadBalancer['type'];
    const scheme = str(b.prop(r, 'Scheme')) === 'internal' ? 'internal' : 'internet-facing';
    const lb: LoadBalancer = { key: r.key, type, scheme, listeners: [], targetGroups: [] };
    lbs.set(r.key, lb);
    const mappings = list(b.prop(r, 'SubnetMappings')).map((m) => obj(m)?.SubnetId);
    const subnets = [...list(b.prop(r, 'Subnets')), ...mappings].map((s) => b.subnetOf(r, s, 'The load balancer')).filter((s) => s !== undefined);
    if (subnets.length === 0) {
      b.unplaced({ kind: 'load-balancer', resource: r.ref, key: r.key, groups: [], loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', explicitPublicIp: scheme === 'internet-facing' }, b.lastUnplaced);
      continue;
    }
    const groupsValue = b.prop(r, 'SecurityGroups');
    const groups = groupsValue !== undefined ? b.groupsOf(r, groupsValue) : type === 'application' ? [subnets[0]!.vpc.defaultGroup] : [];
    b.members.push({
      kind: 'load-balancer', resource: r.ref, key: r.key, groups, loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', groupingKey: r.key,
      placements: subnets.map((subnet) => ({
        subnet, publicIp: scheme === 'internet-facing' ? 'yes' as const : 'no' as const,
        publicIpBy: scheme === 'internet-facing' ? `Scheme: internet-facing on ${r.logicalId}` : undefined,
      })),
      explicitPublicIp: scheme === 'internet-facing',
    });
  }
  for (const r of b.resources('AWS::ElasticLoadBalancingV2::Listener')) {
    const lbKey = tokenKey(b.prop(r, 'LoadBalancerArn'));
    const lb = lbKey ? lbs.get(lbKey) : undefined;
    if (!lb) {
      b.assume('The listener belongs to a load balancer outside the templates; it is ignored.', r);
      continue;
    }
    const port = num(b.prop(r, 'Port'));
    const protocol = str(b.prop(r, 'Protocol')) ?? (lb.type === 'application' ? 'HTTP' : 'TCP');
    if (port === undefined) {
      b.assume('The listener port cannot be resolved; the listener is ignored.', r);
      continue;
    }
    const listener: Listener = { port, protocols: transportOf(protocol), protocolName: protocol, targetGroups: forwardTargets(b, b.prop(r, 'DefaultActions')), resource: r.ref };
    lb.listeners.push(listener);
    b.listeners.set(r.key, { lb: lb.key, listener });
  }
  for (const r of b.resources('AWS::ElasticLoadBalancingV2::ListenerRule')) {
    const found = b.listeners.get(tokenKey(b.prop(r, 'ListenerArn')) ?? '');
    if (found) found.listener.targetGroups.push(...forwardTargets(b, b.prop(r, 'Actions')));
  }
  for (const lb of lbs.values()) {
    const keys = new Set(lb.listeners.flatMap((l) => l.targetGroups));
    lb.targetGroups.push(...[...keys].map((k) => targetGroups.get(k)).filter((t) => t !== undefined));
  }
  // Auto scaling groups register their instances with target groups themselves.
  for (const r of b.resources('AWS::AutoScaling::AutoScalingGroup')) {
    for (const tg of list(b.prop(r, 'TargetGroupARNs'))) {
      const group = targetGroups.get(tokenKey(tg) ?? '');
      group?.targets.push({ classKey: r.key, port: group.targets[0]?.port ?? num(b.prop(b.resolver.resource(tokenKey(tg)!)!, 'Port')) ?? 80 });
    }
  }
  readClassicLoadBalancers(b);
  finishLoadBalancerMembers(b);
}

export function forwardTargets(b: ModelBuilder, actions: Value | undefined): string[] {
  const out: string[] = [];
  for (const a of list(actions).map(obj)) {
    if (!a || str(a.Type) !== 'forward') continue;
    const direct = tokenKey(a.TargetGroupArn);
    if (direct) out.push(direct);
    for (const t of list(obj(a.ForwardConfig)?.TargetGroups)) {
      const k = tokenKey(obj(t)?.TargetGroupArn);
      if (k) out.push(k);
    }
  }
  return out;
}

export function targetGroup(b: ModelBuilder, r: StackResource): TargetGroup {
  const targetType = str(b.prop(r, 'TargetType')) ?? 'instance';
  const port = num(b.prop(r, 'Port'));
  const protocol = str(b.prop(r, 'Protocol'));
  const attributes = Object.fromEntries(list(b.prop(r, 'TargetGroupAttributes')).map((a) => [str(obj(a)?.Key) ?? '', str(obj(a)?.Value) ?? '']));
  const preserveDefault = targetType === 'instance' || targetType === 'alb' || (protocol ?? '').toUpperCase().includes('UDP');
  const preserveClientIp = attributes['preserve_client_ip.enabled'] === undefined ? preserveDefault : attributes['preserve_client_ip.enabled'] === 'true';
  const healthPort = str(b.prop(r, 'HealthCheckPort'));
  const targets: TargetGroup['targets'] = [];
  for (const t of list(b.prop(r, 'Targets')).map(obj)) {
    const id = t?.Id;
    const key = tokenKey(id);
    const targetPort = num(t?.Port) ?? port;
    if (key && targetPort !== undefined) targets.push({ classKey: key, port: targetPort });
    else if (targetType !== 'lambda') b.assume(`The target ${reasonOf(id)} is not a resource in the templates; traffic to it is not analysed.`, r);
  }
  return {
    key: r.key, name: r.logicalId, targetType, protocols: transportOf(protocol), targets, preserveClientIp, resource: r.ref,
    healthCheckPort: healthPort === undefined || healthPort === 'traffic-port' ? undefined : num(healthPort),
  };
}

export function readClassicLoadBalancers(b: ModelBuilder): void {
  for (const r of b.resources('AWS::ElasticLoadBalancing::LoadBalancer')) {
    const scheme = str(b.prop(r, 'Scheme')) === 'internal' ? 'internal' : 'internet-facing';
    const subnets = list(b.prop(r, 'Subnets')).map((s) => b.subnetOf(r, s, 'The classic load balancer')).filter((s) => s !== undefined);
    if (subnets.length === 0) {
      b.assume('The classic load balancer names no subnets (EC2-Classic or the default VPC); it is not analysed.', r);
      continue;
    }
    const instances = list(b.prop(r, 'Instances')).map(tokenKey).filter((k) => k !== undefined);
    const lb: LoadBalancer = { key: r.key, type: 'classic', scheme, listeners: [], targetGroups: [] };
    for (const [i, l] of list(b.prop(r, 'Listeners')).map(obj).entries()) {
      const port = num(l?.LoadBalancerPort);
      const instancePort = num(l?.InstancePort);
      if (port === undefined || instancePort === undefined) continue;
      const tg: TargetGroup = {
        key: `${r.key}#listener${i}`, name: `${r.logicalId} port ${instancePort}`, targetType: 'instance', protocols: transportOf(str(l?.InstanceProtocol)),
        targets: instances.map((k) => ({ classKey: k, port: instancePort })), healthCheckPort: undefined, preserveClientIp: false, resource: r.ref,
      };
      lb.targetGroups.push(tg);
      lb.listeners.push({ port, protocols: transportOf(str(l?.Protocol)), protocolName: str(l?.Protocol) ?? 'TCP', targetGroups: [tg.key], resource: r.ref });
    }
    const groupsValue = b.prop(r, 'SecurityGroups');
    b.members.push({
      kind: 'load-balancer', resource: r.ref, key: r.key, groups: groupsValue === undefined ? [subnets[0]!.vpc.defaultGroup] : b.groupsOf(r, groupsValue),
      loadBalancer: lb, accepts: PacketSet.EMPTY, acceptsText: '', groupingKey: r.key, explicitPublicIp: scheme === 'internet-facing',
      placements: subnets.map((subnet) => ({ subnet, publicIp: scheme === 'internet-facing' ? 'yes' as const : 'no' as const, publicIpBy: scheme === 'internet-facing' ? `Scheme: internet-facing on ${r.logicalId}` : undefined })),
    });
  }
}

/** A load balancer accepts exactly its listeners' ports; set once the listeners are read. */
export function finishLoadBalancerMembers(b: ModelBuilder): void {
  for (const [i, m] of b.members.entries()) {
    if (!m.loadBalancer) continue;
    let accepts = PacketSet.EMPTY;
    for (const l of m.loadBalancer.listeners) for (const p of l.protocols) accepts = accepts.union(PacketSet.box({ protocol: p, port: [l.port, l.port] }));
    const text = m.loadBalancer.listeners.map((l) => `${l.protocolName} ${l.port}`).join(', ') || 'nothing (no listeners)';
    b.members[i] = { ...m, accepts, acceptsText: `listeners ${text}` };
  }
}

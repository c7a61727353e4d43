/**
 * What a node says about itself besides its name: instance types and counts, engines, listeners,
 * versions. Read from the templates' properties (resolved by verify's resolver), never from the
 * spec, so templates plinth did not write are described the same way.
 */
import { Assumptions } from '../../model/assumptions.js';
import { Resolver, type StackResource, type Value } from '../../model/resolve.js';
import type { StackTemplate } from '../../input/templates.js';
import type { EniClass } from '../../model/types.js';
import { trustedGroupIdOf } from '../../model/stated-network.js';

export class Describer {
  private readonly resolver: Resolver;
  private readonly byKey = new Map<string, StackResource>();

  public constructor(templates: readonly StackTemplate[]) {
    this.resolver = new Resolver(templates, new Assumptions());
    for (const r of this.resolver.all()) this.byKey.set(r.key, r);
  }

  /** Resources of a type, in template order (stack, then logical id). */
  public resources(type: string): StackResource[] {
    return this.resolver.all().filter((r) => r.body?.Type === type).sort((a, b) => a.key.localeCompare(b.key));
  }

  public resource(key: string): StackResource | undefined {
    return this.byKey.get(key);
  }

  public prop(r: StackResource, name: string): Value | undefined {
    return this.resolver.property(r, name);
  }

  public text(r: StackResource, name: string): string | undefined {
    const v = this.prop(r, name);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }

  /** The construct path's last meaningful part (`Registry/backend/Resource` → `backend`), else the logical id. */
  public shortName(r: StackResource): string {
    const path = (r.body as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'];
    if (typeof path === 'string') {
      const parts = path.split('/').filter((p) => p !== 'Resource' && p !== 'Default');
      const last = parts[parts.length - 1];
      if (last && parts.length > 1) return last;
    }
    return r.logicalId;
  }

  /** Lines under a class's name. */
  public classLines(cls: EniClass): string[] {
    const first = this.byKey.get(`${cls.resources[0]?.stack}/${cls.resources[0]?.logicalId}`);
    switch (cls.kind) {
      case 'instance':
      case 'auto-scaling-group': {
        const type = first ? this.instanceType(first) : undefined;
        return [type ? `EC2 ${type}` : 'EC2'];
      }
      case 'eks-nodes': {
        if (!first) return ['EKS node group'];
        const types = this.list(first, 'InstanceTypes').join(', ');
        const scaling = this.prop(first, 'ScalingConfig') as Record<string, Value> | undefined;
        const min = scaling?.MinSize;
        const max = scaling?.MaxSize;
        const range = typeof min === 'number' && typeof max === 'number' && min !== max ? ` (${min}–${max})` : '';
        return [`EKS nodes ${types || 'managed'}${range}`];
      }
      case 'eks-control-plane': {
        const version = first ? this.text(first, 'Version') : undefined;
        const access = cls.publicEndpoint ? 'public + private API' : 'private API endpoint';
        return [`EKS ${version ?? ''} control plane`.replace(/\s+/g, ' '), access];
      }
      case 'database': {
        if (!first) return ['RDS'];
        const engine = this.text(first, 'Engine') ?? 'database';
        const version = this.text(first, 'EngineVersion');
        const size = this.text(first, 'DBInstanceClass');
        const multiAz = this.prop(first, 'MultiAZ') === true || this.prop(first, 'MultiAZ') === 'true';
        return [`RDS ${engineName(engine)}${version ? ` ${version}` : ''}${size ? ` · ${size}` : ''}`, multiAz ? 'primary + standby (Multi-AZ)' : 'single AZ'];
      }
      case 'file-system':
        return ['EFS · NFS 2049/tcp'];
      case 'load-balancer': {
        const lb = cls.loadBalancer;
        if (!lb) return ['load balancer'];
        const type = lb.type === 'application' ? 'ALB' : lb.type === 'network' ? 'NLB' : lb.type === 'gateway' ? 'GWLB' : 'CLB';
        const listeners = lb.listeners.map((l) => `${l.protocolName} ${l.port}`).join(', ');
        return [`${lb.scheme} ${type}`, ...(listeners ? [listeners] : [])];
      }
      case 'client-vpn':
        return ['Client VPN endpoint', ...(cls.clientVpn ? [`clients ${cls.clientVpn.clientCidr}`] : [])];
      case 'interface-endpoint': {
        const service = first ? this.text(first, 'ServiceName') : undefined;
        return [`VPC endpoint ${service?.replace(/^com\.amazonaws\.[^.]+\./, '') ?? ''}`.trim()];
      }
      case 'lambda': {
        const runtime = first ? this.text(first, 'Runtime') : undefined;
        return [`Lambda${runtime ? ` ${runtime}` : ''}`];
      }
      case 'network-interface':
        // The members of an existing group the spec trusts (network.trustedGroups): no template holds them.
        return trustedGroupIdOf(cls.key) ? [`existing group ${trustedGroupIdOf(cls.key)}`, 'members where the spec says (assumed)'] : ['network interface'];
      case 'pods':
        return cls.workload ? [`pods of ${cls.workload.namespace}/${cls.workload.name}`] : ['pods'];
    }
  }

  private instanceType(r: StackResource): string | undefined {
    const direct = this.text(r, 'InstanceType');
    if (direct) return direct;
    const lt = this.prop(r, 'LaunchTemplate') as Record<string, Value> | undefined;
    const id = lt?.LaunchTemplateId ?? lt?.Id;
    const key = id && typeof id === 'object' && 'key' in id ? (id as { key: string }).key : undefined;
    const template = key ? this.byKey.get(key) : undefined;
    const data = template ? (this.prop(template, 'LaunchTemplateData') as Record<string, Value> | undefined) : undefined;
    return typeof data?.InstanceType === 'string' ? data.InstanceType : undefined;
  }

  private list(r: StackResource, name: string): string[] {
    const v = this.prop(r, name);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

function engineName(engine: string): string {
  const names: Record<string, string> = { mysql: 'MySQL', postgres: 'PostgreSQL', mariadb: 'MariaDB', 'aurora-mysql': 'Aurora MySQL', 'aurora-postgresql': 'Aurora PostgreSQL' };
  return names[engine.toLowerCase()] ?? engine;
}

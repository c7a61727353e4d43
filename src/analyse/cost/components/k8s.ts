/** The shape of runtime rules: cost of what controllers create from rendered Kubernetes manifests. */
import type { K8sObject } from '../model.js';
import type { CostContext } from '../rule.js';
import type { CostComponent, Layer } from '../types.js';

export interface RuntimeResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly layer: Layer;
  readonly components: readonly CostComponent[];
  readonly flags: readonly string[];
  readonly free?: string;
}

export interface RuntimeRule {
  readonly kinds: readonly string[];
  cost(objects: readonly K8sObject[], ctx: CostContext): RuntimeResource[];
}

export function annotation(o: K8sObject, key: string): string | undefined {
  return o.metadata.annotations?.[key];
}

export function objectName(o: K8sObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name ?? '?'}`;
}

/** Distinct AZs of the subnets the AWS Load Balancer Controller discovers for a scheme (role tags). */
export function discoveredAzs(ctx: CostContext, internetFacing: boolean): number {
  const role = internetFacing ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
  const azs = new Set<unknown>();
  for (const s of ctx.resolver.ofType('AWS::EC2::Subnet')) {
    const tags = Array.isArray(s.properties.Tags) ? (s.properties.Tags as { Key: string; Value: unknown }[]) : [];
    if (tags.some((t) => t.Key === role && t.Value === '1')) azs.add(s.properties.AvailabilityZone);
  }
  return azs.size;
}

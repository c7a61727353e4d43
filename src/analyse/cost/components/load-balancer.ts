/**
 * AWS::ElasticLoadBalancingV2::LoadBalancer: ALB or NLB hours, capacity units from the usage file,
 * and one public IPv4 address per AZ when internet-facing. Runtime load balancers (Ingress, Service)
 * reuse loadBalancerLines.
 */
import { str } from '../model.js';
import { hourlyLine, unpricedLine, usageLine, type CostContext, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';

export function loadBalancerLines(ctx: CostContext, kind: 'application' | 'network' | string, internetFacing: boolean, azs: number, address: string): CostComponent[] {
  if (kind !== 'application' && kind !== 'network') return [unpricedLine(`${kind} load balancer hours`, 'hours', 730, `plinth prices application and network load balancers only, not ${kind}`)];
  const alb = kind === 'application';
  const lines = [
    hourlyLine(ctx, alb ? 'Application load balancer' : 'Network load balancer', alb ? 'elb.alb.hour' : 'elb.nlb.hour', 1),
    alb
      ? usageLine(ctx, 'Load balancer capacity units', 'LCU-hours', 'elb.alb.lcu', 'loadBalancer.lcu', address, (q) => q * 730)
      : usageLine(ctx, 'Network load balancer capacity units', 'NLCU-hours', 'elb.nlb.nlcu', 'loadBalancer.nlcu', address, (q) => q * 730),
  ];
  if (internetFacing) lines.push(hourlyLine(ctx, `Public IPv4 addresses (one per AZ × ${azs})`, 'vpc.publicIpv4.hour', azs, { notes: ['an internet-facing load balancer holds one public IPv4 address in each of its AZs'] }));
  return lines;
}

export const loadBalancer: CostRule = {
  types: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  layer: 'edge',
  cost(r, ctx) {
    const p = r.properties;
    const kind = str(p.Type) ?? 'application';
    const scheme = str(p.Scheme) ?? 'internet-facing';
    const subnets = Array.isArray(p.Subnets) ? p.Subnets.length : Array.isArray(p.SubnetMappings) ? p.SubnetMappings.length : 0;
    const azs = new Set((Array.isArray(p.Subnets) ? p.Subnets : []).map((s) => ctx.resolver.target(r.stack, s)?.properties.AvailabilityZone ?? JSON.stringify(s))).size || subnets || 1;
    return { components: loadBalancerLines(ctx, kind, scheme === 'internet-facing', azs, r.address) };
  },
};

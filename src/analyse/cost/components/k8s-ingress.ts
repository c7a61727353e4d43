/**
 * Ingress (networking.k8s.io/v1) handled by the AWS Load Balancer Controller: one ALB per
 * IngressGroup (annotation alb.ingress.kubernetes.io/group.name), or per Ingress without a group.
 * Scheme from alb.ingress.kubernetes.io/scheme (controller default: internal); an internet-facing
 * ALB holds one public IPv4 per AZ of the subnets tagged kubernetes.io/role/elb.
 */
import type { K8sObject } from '../model.js';
import { annotation, discoveredAzs, objectName, type RuntimeRule } from './k8s.js';
import { loadBalancerLines } from './load-balancer.js';

function isAlb(o: K8sObject): boolean | undefined {
  const cls = (o.spec?.ingressClassName as string | undefined) ?? annotation(o, 'kubernetes.io/ingress.class');
  return cls === undefined ? undefined : cls === 'alb';
}

export const k8sIngress: RuntimeRule = {
  kinds: ['Ingress'],
  cost(objects, ctx) {
    const groups = new Map<string, K8sObject[]>();
    for (const o of objects) {
      if (o.kind !== 'Ingress' || isAlb(o) === false) continue;
      const group = annotation(o, 'alb.ingress.kubernetes.io/group.name');
      const key = group ? `group ${group}` : `ingress ${objectName(o)}`;
      groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    return [...groups].map(([key, members]) => {
      const schemes = new Set(members.map((m) => annotation(m, 'alb.ingress.kubernetes.io/scheme') ?? 'internal'));
      const internetFacing = schemes.has('internet-facing');
      const explicitSubnets = members.map((m) => annotation(m, 'alb.ingress.kubernetes.io/subnets')).find(Boolean);
      const azs = explicitSubnets ? explicitSubnets.split(',').length : discoveredAzs(ctx, internetFacing) || 2;
      const flags: string[] = [];
      if (schemes.size > 1) flags.push(`the group mixes schemes (${[...schemes].join(', ')}); the controller rejects this, priced as internet-facing`);
      if (members.some((m) => isAlb(m) === undefined)) flags.push('an Ingress names no ingress class; assumed to be handled by the AWS Load Balancer Controller (alb)');
      const components = loadBalancerLines(ctx, 'application', internetFacing, azs, `k8s/${key}`);
      return {
        address: `k8s/alb/${key.replace(/^(group|ingress) /, '')}`,
        type: 'K8s::Ingress (ALB)',
        name: `${internetFacing ? 'internet-facing' : 'internal'} ALB for ${members.map(objectName).join(', ')}`,
        layer: 'edge' as const,
        components,
        flags,
      };
    });
  },
};

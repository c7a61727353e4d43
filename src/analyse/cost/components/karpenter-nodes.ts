/**
 * Karpenter NodePool: the nodes Karpenter launches at run time are in no template, so they are
 * estimated. What the apps request (CPU requests × replicas: autoscaling minimums for the low profile,
 * replicas for base, autoscaling maximums for high), less what the managed node groups hold at their
 * desired size, is packed onto the cheapest instance type the NodePool's requirements allow that the
 * price table prices, capped by the NodePool's CPU limit. Spot is priced from the table's sourced Spot
 * snapshot, never from an assumed discount: without one, the line is unpriced and says so.
 *
 * Requirement keys and capacity-type behaviour: https://karpenter.sh/docs/concepts/nodepools/ (well-known
 * labels karpenter.k8s.aws/instance-category, -family, -generation, -size; karpenter.sh/capacity-type;
 * "Karpenter prioritizes Spot offerings if the NodePool allows Spot and on-demand instances").
 */
import { ALLOCATABLE_CPU_FRACTION, INSTANCE_TYPES } from '../../../plan/instance-types.js';
import type { K8sObject } from '../model.js';
import { num, str } from '../model.js';
import { price } from '../prices.js';
import { derivedUsageLine, round, type CostContext } from '../rule.js';
import { HOURS_PER_MONTH, type CostComponent, type Profile } from '../types.js';
import type { RuntimeResource, RuntimeRule } from './k8s.js';
import { spotPrices } from './ec2-instance.js';
import { storageGB } from './k8s-persistent-volume-claim.js';

interface Requirement { readonly key: string; readonly operator: string; readonly values?: readonly string[] }
type Capacity = 'spot' | 'on-demand';
const each = (f: (p: Profile) => number): Record<Profile, number> => ({ low: f('low'), base: f('base'), high: f('high') });

export const karpenterNodes: RuntimeRule = {
  kinds: ['NodePool'],
  cost(objects, ctx) {
    const all = [...objects, ...templateManifestObjects(ctx)];
    const pools = all.filter((o) => o.kind === 'NodePool' && String(o.apiVersion ?? '').startsWith('karpenter.sh/'));
    if (pools.length === 0) return [];
    const demand = appDemand(all);
    const held = nodeGroupCapacity(ctx);
    const nodeClasses = new Map(all.filter((o) => o.kind === 'EC2NodeClass').map((o) => [o.metadata.name, o]));
    return pools.map((pool) => poolCost(pool, demand, held, nodeClasses, ctx, pools.length));
  },
};

function poolCost(pool: K8sObject, demand: Demand, held: Held, nodeClasses: ReadonlyMap<string | undefined, K8sObject>, ctx: CostContext, poolCount: number): RuntimeResource {
  const name = pool.metadata.name ?? 'default';
  const base = { address: `k8s/karpenter/${name}`, type: 'K8s::Karpenter NodePool', name: `Karpenter NodePool ${name}`, layer: 'cluster' as const };
  const template = ((pool.spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec ?? {});
  const requirements = (Array.isArray(template.requirements) ? template.requirements : []) as Requirement[];
  const capacity = capacityTypes(requirements);
  const { types, ignored } = allowedTypes(requirements, ctx, capacity);
  const limitCpu = num((pool.spec?.limits as Record<string, unknown> | undefined)?.cpu);
  const want = each((p) => Math.max(0, demand.cpu[p] - held.cpu));
  const assumptions = [
    'estimated: Karpenter launches these nodes at run time, so they are in no template',
    `the apps request ${fmt(demand.cpu.low)} / ${fmt(demand.cpu.base)} / ${fmt(demand.cpu.high)} vCPU (low: autoscaling minimums, base: replicas, high: autoscaling maximums); `
      + `the managed node groups hold ${fmt(held.cpu)} vCPU allocatable at their desired size (${held.groups.join(', ') || 'none'}); Karpenter adds the rest`,
    `CPU requests only: memory requests, DaemonSets and system pods are not counted${demand.unrequested.length ? `; ${demand.unrequested.join(', ')} request no CPU and are not counted` : ''}`,
    ...(poolCount > 1 ? [`${poolCount} NodePools: each is priced as if it took all the demand`] : []),
    ...ignored.map((k) => `requirement ${k} is not modelled: the cheapest type may not satisfy it`),
  ];
  const largest = demand.largestPod;
  const fits = types.filter((t) => t.vcpus * ALLOCATABLE_CPU_FRACTION >= largest);
  if (fits.length === 0) {
    const why = types.length === 0
      ? `no instance type the NodePool allows has a sourced ${capacity.join(' and ')} price in the ${ctx.table.region} table${capacity.includes('spot') ? ' (Spot is unpriced without a sourced Spot snapshot)' : ''}`
      : `no priced type holds the largest pod (${fmt(largest)} vCPU)`;
    return { ...base, components: [{ name: `Karpenter nodes (${capacity.join(' or ')})`, unit: 'hours', quantity: each(() => 0), kind: 'usage', notes: [...assumptions, why] }], flags: [] };
  }
  const chosen = fits.sort((a, b) => a.perVcpu - b.perVcpu || a.type.localeCompare(b.type))[0]!;
  const perNode = chosen.vcpus * ALLOCATABLE_CPU_FRACTION;
  const maxNodes = limitCpu === undefined ? Infinity : Math.floor(limitCpu / chosen.vcpus);
  const nodes = each((p) => Math.min(Math.ceil(round(want[p] / perNode)), maxNodes));
  const flags = Number.isFinite(maxNodes) && Math.ceil(round(want.high / perNode)) > maxNodes
    ? [`the NodePool's CPU limit (${limitCpu} vCPU) stops Karpenter at ${maxNodes} ${chosen.type} nodes: at the autoscaling maximums some pods stay Pending`]
    : [];
  const rate = rates(chosen, capacity);
  const component: CostComponent = {
    name: `Karpenter nodes (${chosen.type}, ${capacity.join(' or ')})`,
    unit: 'hours',
    priceKey: rate.key,
    unitPrice: rate.price.base,
    quantity: each((p) => nodes[p] * HOURS_PER_MONTH),
    monthly: each((p) => round(nodes[p] * HOURS_PER_MONTH * rate.price[p])),
    kind: 'usage',
    notes: [
      ...assumptions,
      `${nodes.low} / ${nodes.base} / ${nodes.high} nodes of ${chosen.type}, the cheapest allowed type with a sourced price per allocatable vCPU (${Math.round(ALLOCATABLE_CPU_FRACTION * 100)}% of ${chosen.vcpus} vCPUs); Karpenter may pick other types`,
      rate.note,
      ...(Number.isFinite(maxNodes) ? [`NodePool CPU limit ${limitCpu}: at most ${maxNodes} ${chosen.type} nodes`] : []),
    ],
  };
  const disk = rootVolumeGiB(nodeClasses.get(nodeClassName(template)));
  const volumes = derivedUsageLine(ctx, `Karpenter node root volumes (gp3, ${disk} GB each)`, 'GB-month', 'ebs.gp3.storage', each((p) => nodes[p] * disk), ['from the EC2NodeClass blockDeviceMappings (20 GB when it sets none)']);
  return { ...base, components: [component, volumes], flags };
}

/** Price per profile: Spot when allowed (cheapest zone for low, dearest for base), on-demand for high when allowed (Karpenter's fallback). */
function rates(t: Candidate, capacity: readonly Capacity[]): { key: string; price: Record<Profile, number>; note: string } {
  const spot = capacity.includes('spot') ? t.spot : undefined;
  const onDemand = capacity.includes('on-demand') ? t.onDemand : undefined;
  if (spot && onDemand !== undefined) {
    return { key: `ec2.spot.${t.type}.high`, price: { low: spot.low, base: spot.high, high: onDemand },
      note: `Spot and on-demand allowed: low at the cheapest Spot zone ($${spot.low}/h), base at the dearest ($${spot.high}/h), high at on-demand ($${onDemand}/h), where Karpenter falls back when Spot capacity is short` };
  }
  if (spot) return { key: `ec2.spot.${t.type}.high`, price: { low: spot.low, base: spot.high, high: spot.high }, note: `Spot only: $${spot.low}–$${spot.high} an hour by zone in the table's Spot snapshot; Spot prices move with the market` };
  return { key: `ec2.instance.${t.type}`, price: each(() => onDemand!), note: `on-demand only: $${onDemand}/h` };
}

interface Candidate { readonly type: string; readonly vcpus: number; readonly onDemand?: number; readonly spot?: { low: number; high: number }; readonly perVcpu: number }

/** Types in the instance table that the requirements allow and the price table prices for every allowed capacity type. */
function allowedTypes(requirements: readonly Requirement[], ctx: CostContext, capacity: readonly Capacity[]): { types: Candidate[]; ignored: string[] } {
  const known = new Set(['kubernetes.io/arch', 'kubernetes.io/os', 'karpenter.sh/capacity-type', 'node.kubernetes.io/instance-type',
    'karpenter.k8s.aws/instance-category', 'karpenter.k8s.aws/instance-family', 'karpenter.k8s.aws/instance-generation', 'karpenter.k8s.aws/instance-size']);
  const ignored = requirements.map((r) => r.key).filter((k) => !known.has(k));
  const types: Candidate[] = [];
  for (const [type, info] of INSTANCE_TYPES) {
    const m = /^(([a-z]+)(\d+)([a-z-]*))\.(.+)$/.exec(type);
    if (!m) continue;
    const [, family, category, generation, suffix, size] = m;
    const labels: Record<string, string> = {
      'kubernetes.io/arch': family === 'a1' || /g/.test(suffix!) ? 'arm64' : 'amd64', 'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': type, 'karpenter.k8s.aws/instance-category': category!, 'karpenter.k8s.aws/instance-family': family!,
      'karpenter.k8s.aws/instance-generation': generation!, 'karpenter.k8s.aws/instance-size': size!,
    };
    if (!requirements.every((r) => r.key === 'karpenter.sh/capacity-type' || !(r.key in labels) || satisfies(labels[r.key]!, r))) continue;
    const onDemand = price(ctx.table, `ec2.instance.${type}`)?.usd;
    const spot = spotPrices(ctx, type);
    if (capacity.includes('on-demand') && onDemand === undefined) continue;
    if (capacity.includes('spot') && !spot) continue;
    const ranking = capacity.includes('spot') ? spot!.high : onDemand!;
    types.push({ type, vcpus: info.vcpus, onDemand, spot, perVcpu: ranking / (info.vcpus * ALLOCATABLE_CPU_FRACTION) });
  }
  return { types, ignored };
}

function satisfies(value: string, r: Requirement): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return values.includes(value);
    case 'NotIn': return !values.includes(value);
    case 'Gt': return Number(value) > Number(values[0]);
    case 'Lt': return Number(value) < Number(values[0]);
    case 'Exists': return true;
    case 'DoesNotExist': return false;
    default: return true;
  }
}

/** karpenter.sh/capacity-type In [...]; Karpenter launches on-demand when a NodePool does not say. */
function capacityTypes(requirements: readonly Requirement[]): Capacity[] {
  const r = requirements.find((x) => x.key === 'karpenter.sh/capacity-type' && x.operator === 'In');
  const allowed = (r?.values ?? ['on-demand']).filter((v): v is Capacity => v === 'spot' || v === 'on-demand');
  return allowed.length ? [...new Set(allowed)].sort().reverse() as Capacity[] : ['on-demand'];
}

interface Demand { readonly cpu: Record<Profile, number>; readonly largestPod: number; readonly unrequested: string[] }

/** CPU the workloads request: Deployments and StatefulSets × their replicas (an HPA's minimum and maximum for low and high). */
function appDemand(objects: readonly K8sObject[]): Demand {
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const cpu = each(() => 0);
  let largestPod = 0;
  const unrequested: string[] = [];
  const seen = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
    const id = `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const pod = ((o.spec?.template as { spec?: { containers?: { resources?: { requests?: { cpu?: unknown } } }[] } } | undefined)?.spec?.containers ?? [])
      .reduce((sum, c) => sum + cores(c.resources?.requests?.cpu), 0);
    if (pod === 0) { unrequested.push(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`); continue; }
    largestPod = Math.max(largestPod, pod);
    const hpa = hpas.find((h) => {
      const ref = h.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
      return ref?.kind === o.kind && ref.name === o.metadata.name && (h.metadata.namespace ?? 'default') === (o.metadata.namespace ?? 'default');
    });
    const replicas = num(o.spec?.replicas) ?? 1;
    const min = num(hpa?.spec?.minReplicas) ?? (hpa ? 1 : replicas);
    const max = num(hpa?.spec?.maxReplicas) ?? replicas;
    cpu.low += min * pod;
    cpu.base += Math.max(min, Math.min(replicas, max)) * pod;
    cpu.high += max * pod;
  }
  return { cpu, largestPod, unrequested };
}

interface Held { readonly cpu: number; readonly groups: string[] }

/** Allocatable vCPUs of the untainted managed node groups at their desired size (Karpenter does not move them). */
function nodeGroupCapacity(ctx: CostContext): Held {
  let cpu = 0;
  const groups: string[] = [];
  for (const g of ctx.resolver.ofType('AWS::EKS::Nodegroup')) {
    const p = g.properties;
    if (Array.isArray(p.Taints) && p.Taints.length > 0) continue;
    const desired = num((p.ScalingConfig as Record<string, unknown> | undefined)?.DesiredSize) ?? num((p.ScalingConfig as Record<string, unknown> | undefined)?.MinSize) ?? 1;
    const type = Array.isArray(p.InstanceTypes) ? str(p.InstanceTypes[0]) : undefined;
    const vcpus = type ? INSTANCE_TYPES.get(type)?.vcpus : undefined;
    if (vcpus === undefined) continue;
    cpu += desired * vcpus * ALLOCATABLE_CPU_FRACTION;
    groups.push(`${desired} × ${type}`);
  }
  return { cpu, groups };
}

function nodeClassName(template: Record<string, unknown>): string | undefined {
  return str((template.nodeClassRef as Record<string, unknown> | undefined)?.name);
}

function rootVolumeGiB(nodeClass: K8sObject | undefined): number {
  const mappings = (nodeClass?.spec?.blockDeviceMappings ?? []) as { ebs?: { volumeSize?: unknown } }[];
  return Math.round(storageGB(mappings[0]?.ebs?.volumeSize) ?? 20);
}

/** Kubernetes CPU quantity → cores (`500m`, `1`, `1.5`); 0 when absent. */
function cores(quantity: unknown): number {
  const q = String(quantity ?? '');
  if (/^\d+m$/.test(q)) return Number(q.slice(0, -1)) / 1000;
  return /^\d+(\.\d+)?$/.test(q) ? Number(q) : 0;
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * Kubernetes objects inside CDK manifest custom resources (Custom::AWSCDK-EKS-KubernetesResource): the
 * Manifest property is a JSON array, often an Fn::Join whose tokens (subnet and security group ids)
 * sit inside JSON strings, so a placeholder keeps the text parseable.
 */
function templateManifestObjects(ctx: CostContext): K8sObject[] {
  const out: K8sObject[] = [];
  for (const r of ctx.resolver.ofType('Custom::AWSCDK-EKS-KubernetesResource')) {
    const text = joinedText(r.properties.Manifest);
    if (text === undefined) continue;
    try {
      const parsed = JSON.parse(text) as unknown;
      for (const o of Array.isArray(parsed) ? parsed : [parsed]) if (o && typeof o === 'object' && 'kind' in o) out.push(o as K8sObject);
    } catch {
      // A token outside a JSON string: not a manifest this rule can read.
    }
  }
  return out;
}

function joinedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const join = (value as Record<string, unknown> | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
  return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'plinth-token')).join(join[0]);
}

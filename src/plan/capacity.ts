/**
 * Instance types against the bundled table, and what the apps may ask for against what the node
 * groups can hold: the CPU requests of every app at its autoscaling maximum (or fixed replicas)
 * versus the allocatable vCPUs of the nodes that can exist. Node groups without an autoscaler stay
 * at their desired size; with cluster-autoscaler they may reach their maximum; Karpenter is bounded
 * by its own CPU limit and not checked here.
 */
import { didYouMean, type Diagnostics, type SpecPath } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import { ALLOCATABLE_CPU_FRACTION, INSTANCE_TYPES, instanceTypeInfo } from './instance-types.js';
import type { ClusterPlan } from './types.js';
import type { WorkloadsPlan } from './workloads.js';

export function checkInstanceTypes(spec: PlatformSpec, diags: Diagnostics): void {
  const named: [SpecPath, string | undefined][] = [
    [['access', 'bastion', 'instanceType'], spec.access?.bastion?.instanceType],
    ...Object.entries(spec.access?.management ?? {}).map(([n, m]): [SpecPath, string | undefined] => [['access', 'management', n, 'instanceType'], m.instanceType]),
    ...Object.entries(spec.servers ?? {}).map(([n, s]): [SpecPath, string | undefined] => [['servers', n, 'instanceType'], s.instanceType]),
    ...Object.entries(spec.cluster?.nodeGroups ?? {}).flatMap(([n, g]) => g.instanceTypes.map((t, i): [SpecPath, string] => [['cluster', 'nodeGroups', n, 'instanceTypes', i], t])),
  ];
  for (const [path, type] of named) {
    if (type === undefined || instanceTypeInfo(type)) continue;
    const family = type.split('.')[0]!;
    const sizes = [...INSTANCE_TYPES.keys()].filter((t) => t.startsWith(`${family}.`));
    diags.error('E_INSTANCE_TYPE', path, sizes.length > 0
      ? `${type} is not a size of the ${family} family.`
      : `${type} is not an instance type plinth knows (src/plan/instance-types.ts).`, {
      allowed: sizes.length > 0 ? sizes.join(', ') : 'families t2, t3, t3a, t4g, m5-m8g, c5-c8g, r5-r8g, g4dn, g5, g5g, g6, p4d, p5, inf2, trn1',
      fix: didYouMean(type, INSTANCE_TYPES.keys()) ?? 'choose a type from the table',
    });
  }
}

/** Millicores of a Kubernetes CPU quantity (`500m`, `1`, `1.5`). */
function millicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

export function checkWorkloadCapacity(cluster: ClusterPlan, workloads: WorkloadsPlan, diags: Diagnostics): void {
  if (cluster.autoscaling === 'karpenter') return;
  const nodes = cluster.nodeGroups.map((g) => {
    const count = cluster.autoscaling === 'cluster-autoscaler' ? g.maxSize : g.desiredSize;
    const vcpus = Math.min(...g.instanceTypes.map((t) => instanceTypeInfo(t)?.vcpus ?? Infinity));
    return { name: g.name, count, milli: Number.isFinite(vcpus) ? count * vcpus * 1000 * ALLOCATABLE_CPU_FRACTION : Infinity, scheduling: g.taints.length === 0 };
  }).filter((n) => n.scheduling);
  const capacity = nodes.reduce((sum, n) => sum + n.milli, 0);
  if (!Number.isFinite(capacity) || nodes.length === 0) return;
  const demand = workloads.apps.map((a) => ({ app: a, pods: a.autoscale?.max ?? a.replicas ?? 0, milli: millicores(a.resources.cpu) }));
  const total = demand.reduce((sum, d) => sum + d.pods * d.milli, 0);
  if (total <= capacity) return;
  const scaling = demand.filter((d) => d.app.autoscale).sort((x, y) => y.pods * y.milli - x.pods * x.milli)[0];
  const where: SpecPath = scaling ? ['apps', scaling.app.name, 'autoscale', 'max'] : ['cluster', 'nodeGroups'];
  const fmt = (m: number) => `${(m / 1000).toFixed(1)} vCPU`;
  diags.warning('W_CAPACITY', where, `At their maximum the apps request ${fmt(total)} (${demand.filter((d) => d.pods > 0).map((d) => `${d.app.name} ${d.pods} × ${d.milli}m`).join(', ')}), `
    + `and the node groups hold about ${fmt(capacity)} allocatable (${nodes.map((n) => `${n.name}: ${n.count} node${n.count === 1 ? '' : 's'}`).join(', ')}${cluster.autoscaling === 'none' ? ', fixed: no autoscaler moves them off their desired size' : ', at their maximum size'}), `
    + 'before system pods and controllers: pods beyond that stay Pending.', {
    fix: cluster.autoscaling === 'none' ? 'set cluster.autoscaling: cluster-autoscaler (or karpenter), raise the desired size, or lower autoscale.max' : 'raise the node groups\' max, or lower autoscale.max',
  });
}

/**
 * CloudFormation (resolved) → network model. One reader per resource family (build/*.ts), run in
 * dependency order: VPCs and gateways, subnets, routing, network ACLs, security groups, then every
 * resource that owns network interfaces, grouped into classes. Whatever cannot be resolved is
 * recorded as an assumption on the spot, with the resource it came from.
 */
import type { StackTemplate } from '../input/templates.js';
import { ModelBuilder, type BuildOptions } from './build/builder.js';
import { groupClasses, readUnmodelled } from './build/classes.js';
import { readAutoScalingGroups, readInstances, readLambdas, readNetworkInterfaces } from './build/compute.js';
import { readDatabases, readFileSystems } from './build/data.js';
import { readEks } from './build/eks.js';
import { readClientVpns, readVpcEndpoints } from './build/endpoints.js';
import { readLoadBalancers } from './build/load-balancers.js';
import { addLocalRoutes, readElasticIps, readGateways, readNacls, readNatGateways, readRouting, readSubnets, readVpcs } from './build/network.js';
import { readSecurityGroups } from './build/security-groups.js';
import { withOperatedWorkloads } from './build/services/index.js';
import { readStatedSubnets, readStatedVpc, readTrustedGroups } from './build/stated.js';
import { addKubernetes } from './k8s.js';
import type { Model } from './types.js';

export type { BuildOptions } from './build/builder.js';

const READERS: readonly ((b: ModelBuilder) => void)[] = [
  readStatedVpc, readVpcs, readGateways, readSubnets, readStatedSubnets, readRouting, readNacls, readTrustedGroups, readSecurityGroups, readNatGateways, readElasticIps,
  readInstances, readNetworkInterfaces, readAutoScalingGroups, readDatabases, readFileSystems, readVpcEndpoints,
  readClientVpns, readEks, readLambdas, readLoadBalancers, readUnmodelled, addLocalRoutes,
];

export function buildModel(templates: readonly StackTemplate[], options: BuildOptions = {}): Model {
  const b = new ModelBuilder(templates, options);
  for (const read of READERS) read(b);
  const classes = groupClasses(b);
  const k8s = withOperatedWorkloads(options.k8s, b);
  const model: Model = {
    vpcs: b.vpcs, subnets: b.subnets, routeTables: b.routeTables, nacls: b.nacls, groups: b.groups,
    classes, natGateways: b.natGateways, routers: b.routers, k8s,
    assumptions: [], unmodelled: b.unmodelled,
  };
  if (k8s) addKubernetes(model, k8s, b.assumptions);
  return { ...model, assumptions: b.assumptions.all };
}

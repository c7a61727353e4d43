/**
 * What `plinth destroy` must do, known from the synthesized templates before any AWS call, so that a
 * destroy finishes instead of ending in DELETE_FAILED:
 *
 * - A database whose DeletionPolicy is Snapshot and whose DeletionProtection is on: CloudFormation's
 *   delete calls DeleteDBInstance (with a final snapshot), which RDS refuses while deletion protection
 *   is on ("The database can't be deleted when deletion protection is enabled", RDS API reference,
 *   DBInstance.DeletionProtection). Its data is kept by that final snapshot (CloudFormation "DeletionPolicy
 *   attribute": Snapshot "saves a snapshot of the resource before deleting it"), so destroy turns the
 *   protection off just before deleting its stack. A database kept by Retain is never touched.
 * - A kept resource that lives in the VPC (a retained database, instance, mount target...): it keeps
 *   network interfaces in the VPC's subnets and a reference to its security group, so deleting the
 *   subnets (EC2 DeleteSubnet: "You must terminate all running instances in the subnet before you can
 *   delete the subnet") and the security group (DependencyViolation while a network interface uses it)
 *   fails. The stacks holding them are kept; every other stack is deleted.
 */
import { keptOnDelete } from './resources.js';
import type { CfnResourceBody, PlanStack } from './types.js';

/** A database destroy turns deletion protection off for, just before deleting its stack. */
export interface Unprotect {
  readonly stack: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly path: string;
  /** DBInstanceIdentifier when the template fixes it. */
  readonly identifier: string | undefined;
}

/** A kept resource with network interfaces in the VPC. */
export interface VpcResident {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly path: string;
  readonly name: string | undefined;
}

/** A stack destroy keeps because kept resources still sit in its subnets or security groups. */
export interface HeldStack {
  readonly stack: string;
  readonly stackName: string;
  readonly heldBy: readonly VpcResident[];
  /** Resources of the kept stack that bill by the hour while it stays. */
  readonly billable: readonly { readonly type: string; readonly count: number }[];
}

export interface DestroyPlan {
  /** Stack ids to delete (all of them when nothing is held). */
  readonly delete: readonly string[];
  readonly held: readonly HeldStack[];
  readonly unprotect: readonly Unprotect[];
}

/**
 * Kept types that place network interfaces in the VPC's subnets (RDS instances and clusters, EC2
 * instances, EFS mount targets, caches, Lambda functions in a VPC). aws-cdk-lib never retains an EFS
 * mount target: FileSystem applies its removal policy to the file system only, so a kept file system
 * leaves nothing in the subnets (pinned by test/ops/destroy-plan.test.ts on video-platform).
 */
const IN_VPC: ReadonlySet<string> = new Set([
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::EC2::Instance', 'AWS::EC2::NetworkInterface', 'AWS::EFS::MountTarget',
  'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::OpenSearchService::Domain', 'AWS::MSK::Cluster',
]);

/** What a kept network stack costs while it stays (hourly charges), by type. */
const BILLABLE: Readonly<Record<string, (r: CfnResourceBody) => boolean>> = {
  'AWS::EC2::NatGateway': () => true,
  'AWS::EC2::VPCEndpoint': (r) => r.Properties?.VpcEndpointType === 'Interface',
  'AWS::EC2::ClientVpnEndpoint': () => true,
  'AWS::EC2::VPNConnection': () => true,
  'AWS::EC2::TransitGatewayAttachment': () => true,
  'AWS::EC2::EIP': () => true,
};

/** A stack that owns subnets or security groups: what an in-VPC resource blocks. */
const holdsNetwork = (s: PlanStack) => Object.values(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::EC2::Subnet' || r.Type === 'AWS::EC2::SecurityGroup' || r.Type === 'AWS::EC2::VPC');

export function planDestroy(stacks: readonly PlanStack[]): DestroyPlan {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const unprotect: Unprotect[] = [];
  const heldBy = new Map<string, VpcResident[]>();
  for (const s of stacks) {
    for (const [logicalId, r] of Object.entries(s.template.Resources ?? {})) {
      const outcome = keptOnDelete(r);
      const path = s.paths[logicalId] ?? logicalId;
      if (r.Type === 'AWS::RDS::DBInstance' && outcome === 'snapshot' && r.Properties?.DeletionProtection === true) {
        const id = r.Properties?.DBInstanceIdentifier;
        unprotect.push({ stack: s.id, stackName: s.stackName, logicalId, path, identifier: typeof id === 'string' ? id : undefined });
      }
      if (outcome !== 'kept' || !IN_VPC.has(r.Type)) continue;
      const name = r.Properties?.DBInstanceIdentifier ?? r.Properties?.DBClusterIdentifier;
      const resident: VpcResident = { stack: s.id, logicalId, type: r.Type, path, name: typeof name === 'string' ? name : undefined };
      // The stacks whose subnets or security groups it uses: its own (if it holds any) and those it is deployed after.
      for (const id of [s.id, ...upstream(s.id, byId)]) {
        if (holdsNetwork(byId.get(id)!)) heldBy.set(id, [...(heldBy.get(id) ?? []), resident]);
      }
    }
  }
  const held = [...heldBy.entries()].map(([id, by]): HeldStack => ({ stack: id, stackName: byId.get(id)!.stackName, heldBy: by, billable: billable(byId.get(id)!) }));
  // A kept stack keeps what it is deployed after too (deleting those would fail on its imports).
  const keep = new Set(held.flatMap((h) => [h.stack, ...upstream(h.stack, byId)]));
  return { delete: stacks.filter((s) => !keep.has(s.id)).map((s) => s.id), held, unprotect };
}

/** The stacks `id` is deployed after, transitively. */
export function upstreamOf(id: string, stacks: readonly PlanStack[]): string[] {
  return upstream(id, new Map(stacks.map((s) => [s.id, s])));
}

function upstream(id: string, byId: ReadonlyMap<string, PlanStack>): string[] {
  const seen = new Set<string>();
  const walk = (x: string) => {
    for (const d of byId.get(x)?.dependsOn ?? []) if (byId.has(d) && !seen.has(d)) { seen.add(d); walk(d); }
  };
  walk(id);
  return [...seen];
}

function billable(s: PlanStack): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of Object.values(s.template.Resources ?? {})) if (BILLABLE[r.Type]?.(r)) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
  return [...counts.entries()].map(([type, count]) => ({ type, count }));
}

/**
 * The destroy decision (src/analyse/plan/destroy-plan.ts) checked against the account: a stack the
 * templates say a kept in-VPC resource holds is released once that resource is gone (the user deleted
 * it, as the first destroy said to), so the second `plinth destroy` deletes the network too.
 */
import type { DestroyPlan, HeldStack, VpcResident } from '../analyse/plan/destroy-plan.js';
import { upstreamOf } from '../analyse/plan/destroy-plan.js';
import type { PlanStack } from '../analyse/plan/types.js';
import { stillExists, type SnapshotClients } from './snapshot-databases.js';

export interface StackSelection {
  readonly held: readonly HeldStack[];
  /** Stack ids to delete, in assembly order. */
  readonly toDelete: readonly string[];
}

export async function selectStacks(decision: DestroyPlan, stacks: readonly PlanStack[], c: SnapshotClients): Promise<StackSelection> {
  const held: HeldStack[] = [];
  for (const h of decision.held) {
    const by: VpcResident[] = [];
    for (const r of h.heldBy) if (await stillExists(c, { ...r, stackName: stacks.find((s) => s.id === r.stack)!.stackName })) by.push(r);
    if (by.length > 0) held.push({ ...h, heldBy: by });
  }
  const keep = new Set(held.flatMap((h) => [h.stack, ...upstreamOf(h.stack, stacks)]));
  return { held, toDelete: stacks.filter((s) => !keep.has(s.id)).map((s) => s.id) };
}

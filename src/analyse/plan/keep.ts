/** What `plinth destroy` leaves in the account: every resource whose DeletionPolicy keeps it. */
import { deleteCommand, keptOnDelete, physicalName } from './resources.js';
import type { KeptResource, PlanStack } from './types.js';

export function keptByDestroy(stacks: readonly PlanStack[], region?: string): KeptResource[] {
  const out: KeptResource[] = [];
  for (const s of stacks) {
    for (const [logicalId, r] of Object.entries(s.template.Resources ?? {})) {
      const outcome = keptOnDelete(r);
      if (outcome === 'deleted') continue;
      const name = physicalName(r);
      const path = s.paths[logicalId] ?? logicalId;
      const id = name ?? `<physical id of ${logicalId}: aws cloudformation describe-stack-resource --stack-name ${s.stackName} --logical-resource-id ${logicalId}>`;
      out.push({
        stack: s.id, logicalId, type: r.Type, path, policy: r.DeletionPolicy!, name,
        deleteCommand: outcome === 'snapshot'
          ? `aws rds delete-db-snapshot --db-snapshot-identifier <final snapshot of ${logicalId}: aws rds describe-db-snapshots --snapshot-type manual>${region ? ` --region ${region}` : ''}`
          : deleteCommand(r.Type, id, region),
      });
    }
  }
  return out;
}

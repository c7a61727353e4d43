/**
 * Plain `plinth destroy` and databases whose DeletionPolicy is Snapshot (src/analyse/plan/destroy-plan.ts):
 * CloudFormation's delete calls DeleteDBInstance with a final snapshot, which RDS refuses while deletion
 * protection is on; the data is kept by that snapshot, so the protection is turned off just before the
 * stack goes, and afterwards the kept list names the snapshot CloudFormation took.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, paginateDescribeDBInstances, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import type { Unprotect } from '../analyse/plan/destroy-plan.js';
import { keptData } from './delete-data.js';

export interface SnapshotClients {
  readonly cloudFormation: CloudFormationClient;
  readonly rds: RDSClient;
  /** Between polls while the modification applies. @default 5 s */
  readonly pollMs?: number;
  /** @default 60 */
  readonly maxPolls?: number;
}

export interface UnprotectedDatabase extends Unprotect {
  readonly physicalId: string;
  /** Whether protection was on and destroy turned it off (false: it was already off). */
  readonly turnedOff: boolean;
}

/**
 * Turns deletion protection off for each database (resolving its id from its stack), then waits until
 * RDS reports it off and the instance `available`, so CloudFormation's DeleteDBInstance is not refused.
 * A stack never deployed (or gone) has nothing to turn off.
 */
export async function unprotectSnapshotDatabases(targets: readonly Unprotect[], c: SnapshotClients): Promise<UnprotectedDatabase[]> {
  const out: UnprotectedDatabase[] = [];
  for (const t of targets) {
    const [resolved] = await keptData(c.cloudFormation, t.stackName, [{ stack: t.stack, logicalId: t.logicalId, type: 'AWS::RDS::DBInstance', path: t.path, policy: 'Snapshot', name: t.identifier, deleteCommand: '' }]);
    if (!resolved) continue;
    const id = resolved.physicalId;
    const found = await describe(c.rds, id);
    if (!found) continue;
    if (found.DeletionProtection) {
      await c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
      for (let poll = 0; ; poll++) {
        const now = await describe(c.rds, id);
        if (!now || (!now.DeletionProtection && now.DBInstanceStatus === 'available')) break;
        if (poll >= (c.maxPolls ?? 60)) throw new Error(`database ${id}: deletion protection still on (status ${now.DBInstanceStatus}) after waiting; its stack was not deleted`);
        await new Promise((r) => setTimeout(r, c.pollMs ?? 5000));
      }
    }
    out.push({ ...t, physicalId: id, turnedOff: found.DeletionProtection === true });
  }
  return out;
}

async function describe(rds: RDSClient, id: string) {
  try {
    return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  } catch (e) {
    if ((e as Error).name === 'DBInstanceNotFoundFault') return undefined;
    throw e;
  }
}

/** The manual snapshots of the instance taken since the destroy began: CloudFormation's final snapshot. */
export async function finalSnapshotsSince(rds: RDSClient, id: string, since: Date): Promise<string[]> {
  const taken: string[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds }, { DBInstanceIdentifier: id, SnapshotType: 'manual' })) {
    for (const s of page.DBSnapshots ?? []) if (s.SnapshotCreateTime && s.SnapshotCreateTime >= since) taken.push(s.DBSnapshotIdentifier!);
  }
  return taken;
}

/**
 * Whether a kept in-VPC resource the templates name still exists, so a second `plinth destroy` (after
 * the user deleted it) releases the network. While its stack exists, the stack's resource list answers;
 * once the stack is gone, a kept RDS instance or cluster is found by the tags CloudFormation puts on
 * every resource it creates (aws:cloudformation:stack-name and aws:cloudformation:logical-id, "Resource
 * tag" in the CloudFormation user guide). Other kinds are assumed to still be there.
 */
export async function stillExists(c: SnapshotClients, r: { readonly stackName: string; readonly logicalId: string; readonly type: string; readonly name: string | undefined }): Promise<boolean> {
  const [resolved] = await keptData(c.cloudFormation, r.stackName, [{ stack: '', logicalId: r.logicalId, type: r.type, path: '', policy: 'Retain', name: undefined, deleteCommand: '' }]);
  if (resolved) return true;
  if (r.type !== 'AWS::RDS::DBInstance') return true;
  const tagged = (tags: readonly { Key?: string; Value?: string }[] | undefined) => {
    const t = new Map((tags ?? []).map((x) => [x.Key, x.Value]));
    return t.get('aws:cloudformation:stack-name') === r.stackName && t.get('aws:cloudformation:logical-id') === r.logicalId;
  };
  for await (const page of paginateDescribeDBInstances({ client: c.rds }, {})) {
    if ((page.DBInstances ?? []).some((d) => d.DBInstanceIdentifier === r.name || tagged(d.TagList))) return true;
  }
  return false;
}

/**
 * Plain `plinth destroy` against recorded AWS SDK responses (aws-sdk-client-mock): a Snapshot database's
 * deletion protection goes off (and destroy waits until RDS reports it off) before its stack is deleted;
 * the final snapshot CloudFormation took is named afterwards; a kept in-VPC database is found again by
 * CloudFormation's tags once its stack is gone, so a second destroy releases the network only when it is.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DestroyPlan, Unprotect } from '../../src/analyse/plan/destroy-plan.js';
import type { PlanStack } from '../../src/analyse/plan/index.js';
import { selectStacks } from '../../src/ops/held-stacks.js';
import { finalSnapshotsSince, stillExists, unprotectSnapshotDatabases, type SnapshotClients } from '../../src/ops/snapshot-databases.js';

const region = 'ap-northeast-2';
const cfn = mockClient(CloudFormationClient);
const rds = mockClient(RDSClient);
const clients: SnapshotClients = { cloudFormation: new CloudFormationClient({ region }), rds: new RDSClient({ region }), pollMs: 0, maxPolls: 3 };
const target: Unprotect = { stack: 'Data', stackName: 'nemo-prod-data', logicalId: 'DataDatabasesmainInstanceCF5BB7BD', path: 'Data/Databases/main/Instance', identifier: undefined };
const notFound = Object.assign(new Error('DBInstance db-gone not found.'), { name: 'DBInstanceNotFoundFault' });
const stackGone = Object.assign(new Error('Stack with id nemo-prod-data does not exist'), { name: 'ValidationError' });

beforeEach(() => {
  cfn.reset();
  rds.reset();
});

describe('unprotectSnapshotDatabases', () => {
  it('resolves the instance from its stack, turns protection off, and waits until RDS reports it off and available', async () => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: target.logicalId, PhysicalResourceId: 'nemo-prod-data-db-1a2b', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    rds.on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'nemo-prod-data-db-1a2b', DeletionProtection: true, DBInstanceStatus: 'available' }] })
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'nemo-prod-data-db-1a2b', DeletionProtection: true, DBInstanceStatus: 'modifying' }] })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'nemo-prod-data-db-1a2b', DeletionProtection: false, DBInstanceStatus: 'available' }] });
    const done = await unprotectSnapshotDatabases([target], clients);
    expect(done).toEqual([{ ...target, physicalId: 'nemo-prod-data-db-1a2b', turnedOff: true }]);
    expect(rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: 'nemo-prod-data-db-1a2b', DeletionProtection: false, ApplyImmediately: true }]);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
  });

  it('leaves an instance already unprotected as it is, and skips a stack never deployed', async () => {
    cfn.on(ListStackResourcesCommand, { StackName: 'nemo-prod-data' }).resolves({ StackResourceSummaries: [{ LogicalResourceId: target.logicalId, PhysicalResourceId: 'db-1', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    cfn.on(ListStackResourcesCommand, { StackName: 'nemo-dev-data' }).rejects(stackGone);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'db-1', DeletionProtection: false, DBInstanceStatus: 'available' }] });
    const done = await unprotectSnapshotDatabases([target, { ...target, stackName: 'nemo-dev-data' }], clients);
    expect(done.map((d) => [d.physicalId, d.turnedOff])).toEqual([['db-1', false]]);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('skips an instance its stack still lists but RDS no longer has', async () => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: target.logicalId, PhysicalResourceId: 'db-gone', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    rds.on(DescribeDBInstancesCommand).rejects(notFound);
    expect(await unprotectSnapshotDatabases([target], clients)).toEqual([]);
  });

  it('gives up (before the stack is deleted) when protection never goes off', async () => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: target.logicalId, PhysicalResourceId: 'db-1', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'db-1', DeletionProtection: true, DBInstanceStatus: 'modifying' }] });
    await expect(unprotectSnapshotDatabases([target], clients)).rejects.toThrow('database db-1: deletion protection still on (status modifying)');
  });
});

describe('finalSnapshotsSince', () => {
  it('names only the manual snapshots taken since the destroy began, over every page', async () => {
    const since = new Date('2026-12-05T16:00:00Z');
    rds.on(DescribeDBSnapshotsCommand)
      .resolvesOnce({ DBSnapshots: [{ DBSnapshotIdentifier: 'old-manual', SnapshotCreateTime: new Date('2026-11-01T00:00:00Z') }], Marker: 'm2' })
      .resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 'nemo-prod-data-snapshot-db-1', SnapshotCreateTime: new Date('2026-12-05T16:20:00Z') }] });
    expect(await finalSnapshotsSince(clients.rds, 'db-1', since)).toEqual(['nemo-prod-data-snapshot-db-1']);
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0]!.args[0].input).toMatchObject({ DBInstanceIdentifier: 'db-1', SnapshotType: 'manual' });
  });
});

describe('stillExists', () => {
  const resident = { stackName: 'nemo-prod-data', logicalId: 'DataDatabasesmainInstanceCF5BB7BD', type: 'AWS::RDS::DBInstance', name: undefined };

  it('is true while its stack still lists it', async () => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: resident.logicalId, PhysicalResourceId: 'db-1', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    expect(await stillExists(clients, resident)).toBe(true);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
  });

  it('after its stack went: found by the CloudFormation tags it kept, or gone once the user deleted it', async () => {
    cfn.on(ListStackResourcesCommand).rejects(stackGone);
    const tags = [{ Key: 'aws:cloudformation:stack-name', Value: 'nemo-prod-data' }, { Key: 'aws:cloudformation:logical-id', Value: resident.logicalId }];
    rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'other' }], Marker: 'p2' }).resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'db-1', TagList: tags }] });
    expect(await stillExists(clients, resident)).toBe(true);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'other', TagList: [{ Key: 'aws:cloudformation:stack-name', Value: 'nemo-dev-data' }, tags[1]!] }] });
    expect(await stillExists(clients, resident)).toBe(false);
  });
});

describe('selectStacks', () => {
  const stack = (id: string, dependsOn: string[]): PlanStack => ({ id, stackName: `nemo-prod-${id.toLowerCase()}`, template: {}, dependsOn, paths: {} });
  const stacks = [stack('Network', []), stack('Data', ['Network']), stack('Cluster', ['Data', 'Network'])];
  const resident = { stack: 'Data', logicalId: 'DataDatabasesmainInstanceCF5BB7BD', type: 'AWS::RDS::DBInstance', path: 'Data/Databases/main/Instance', name: undefined };
  const decision: DestroyPlan = { delete: ['Data', 'Cluster'], held: [{ stack: 'Network', stackName: 'nemo-prod-network', heldBy: [resident], billable: [] }], unprotect: [] };

  it('first destroy: the retained database exists, so the network stays and the others go', async () => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: resident.logicalId, PhysicalResourceId: 'db-1', ResourceType: 'AWS::RDS::DBInstance', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    const s = await selectStacks(decision, stacks, clients);
    expect(s.held.map((h) => h.stackName)).toEqual(['nemo-prod-network']);
    expect(s.toDelete).toEqual(['Data', 'Cluster']);
  });

  it('second destroy, after the user deleted the database: nothing holds the network, every stack goes', async () => {
    cfn.on(ListStackResourcesCommand).rejects(stackGone);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    const s = await selectStacks(decision, stacks, clients);
    expect(s.held).toEqual([]);
    expect(s.toDelete).toEqual(['Network', 'Data', 'Cluster']);
  });
});

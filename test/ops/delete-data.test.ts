/**
 * `plinth destroy --delete-data` against recorded AWS SDK responses (aws-sdk-client-mock): physical ids
 * read before the stacks go, deletion protection turned off, then each kept kind deleted the way its
 * API requires (a versioned bucket emptied over two pages, a zone's records, mount targets first), the
 * final-snapshot choice, and the typed confirmation that guards it all.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteVolumeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeleteRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DeleteFileSystemCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, EFSClient } from '@aws-sdk/client-efs';
import {
  DeleteDBInstanceCommand, DeleteDBSnapshotCommand, DeleteDBSubnetGroupCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, ModifyDBInstanceCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeptResource } from '../../src/analyse/plan/types.js';
import { confirmDataDeletion } from '../../src/cli/commands/destroy.js';
import { deleteKeptData, keptData, unprotectDatabases, type DataClients, type KeptData } from '../../src/ops/delete-data.js';

const region = 'ap-northeast-2';
const mocks = {
  cfn: mockClient(CloudFormationClient), rds: mockClient(RDSClient), s3: mockClient(S3Client), efs: mockClient(EFSClient), ecr: mockClient(ECRClient),
  logs: mockClient(CloudWatchLogsClient), route53: mockClient(Route53Client), secrets: mockClient(SecretsManagerClient), ec2: mockClient(EC2Client),
};
const clients: DataClients = {
  cloudFormation: new CloudFormationClient({ region }), rds: new RDSClient({ region }), s3: new S3Client({ region }), efs: new EFSClient({ region }),
  ecr: new ECRClient({ region }), logs: new CloudWatchLogsClient({ region }), route53: new Route53Client({ region }),
  secrets: new SecretsManagerClient({ region }), ec2: new EC2Client({ region }), pollMs: 0, databaseWait: { pollMs: 0, maxPolls: 3 },
};
const dbGone = Object.assign(new Error('DBInstance db1 not found.'), { name: 'DBInstanceNotFoundFault' });

const kept = (logicalId: string, type: string, policy: string, name?: string): KeptResource => ({
  stack: 'Data', logicalId, type, path: `Data/${logicalId}`, policy, name, deleteCommand: `aws ... ${logicalId}`,
});
const item = (k: KeptResource, physicalId: string): KeptData => ({ ...k, stackName: 'nemo-prod-data', physicalId });
const SINCE = new Date('2026-12-05T16:00:00Z');

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
});

describe('keptData', () => {
  it('reads each kept resource\'s physical id from the stack, over every page, before the stack goes', async () => {
    mocks.cfn.on(ListStackResourcesCommand).callsFake(({ NextToken }: { NextToken?: string }) => (!NextToken
      ? { StackResourceSummaries: [{ LogicalResourceId: 'Bucket1', PhysicalResourceId: 'nemo-prod-data-bucket1-abc' }], NextToken: 'p2' }
      : { StackResourceSummaries: [{ LogicalResourceId: 'ZoneA', PhysicalResourceId: 'Z0123456789' }] }));
    const items = await keptData(clients.cloudFormation, 'nemo-prod-data', [
      kept('Bucket1', 'AWS::S3::Bucket', 'RetainExceptOnCreate'), kept('ZoneA', 'AWS::Route53::HostedZone', 'RetainExceptOnCreate'),
      kept('Gone', 'AWS::Logs::LogGroup', 'RetainExceptOnCreate'),
    ]);
    expect(items.map((i) => [i.logicalId, i.physicalId])).toEqual([['Bucket1', 'nemo-prod-data-bucket1-abc'], ['ZoneA', 'Z0123456789']]);
  });

  it('a stack that does not exist keeps nothing', async () => {
    mocks.cfn.on(ListStackResourcesCommand).rejects(new Error('Stack with id nemo-prod-data does not exist'));
    expect(await keptData(clients.cloudFormation, 'nemo-prod-data', [kept('Bucket1', 'AWS::S3::Bucket', 'Retain')])).toEqual([]);
  });
});

describe('unprotectDatabases', () => {
  it('turns deletion protection off only where it is on, so the data stack can delete the instance', async () => {
    mocks.rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'nemo-db-instance' }).resolves({ DBInstances: [{ DBInstanceIdentifier: 'nemo-db-instance', DeletionProtection: true }] });
    mocks.rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'other' }).resolves({ DBInstances: [{ DBInstanceIdentifier: 'other', DeletionProtection: false }] });
    mocks.rds.on(ModifyDBInstanceCommand).resolves({});
    const done = await unprotectDatabases([
      item(kept('Db', 'AWS::RDS::DBInstance', 'Snapshot'), 'nemo-db-instance'), item(kept('Db2', 'AWS::RDS::DBInstance', 'Snapshot'), 'other'),
      item(kept('B', 'AWS::S3::Bucket', 'Retain'), 'b'),
    ], clients);
    expect(done).toEqual(['nemo-db-instance']);
    expect(mocks.rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: 'nemo-db-instance', DeletionProtection: false, ApplyImmediately: true }]);
  });
});

describe('deleteKeptData', () => {
  it('empties a versioned bucket over two pages (versions and delete markers), then deletes it', async () => {
    mocks.s3.on(ListObjectVersionsCommand).callsFake(({ KeyMarker }: { KeyMarker?: string }) => (!KeyMarker
      ? { Versions: [{ Key: 'a.mp4', VersionId: 'v1' }, { Key: 'a.mp4', VersionId: 'v2' }], DeleteMarkers: [{ Key: 'b.mp4', VersionId: 'm1' }], IsTruncated: true, NextKeyMarker: 'b.mp4', NextVersionIdMarker: 'm1' }
      : { Versions: [{ Key: 'c.mp4', VersionId: 'v9' }], IsTruncated: false }));
    mocks.s3.on(DeleteObjectsCommand).resolves({});
    mocks.s3.on(DeleteBucketCommand).resolves({});
    const [outcome] = await deleteKeptData([item(kept('Videos', 'AWS::S3::Bucket', 'RetainExceptOnCreate'), 'vidgen-videos')], clients, { finalSnapshot: true, since: SINCE });
    expect(outcome).toMatchObject({ done: 'emptied (4 object versions and delete markers) and deleted' });
    expect(mocks.s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects)).toEqual([
      [{ Key: 'a.mp4', VersionId: 'v1' }, { Key: 'a.mp4', VersionId: 'v2' }, { Key: 'b.mp4', VersionId: 'm1' }],
      [{ Key: 'c.mp4', VersionId: 'v9' }],
    ]);
    expect(mocks.s3.commandCalls(DeleteBucketCommand)).toHaveLength(1);
  });

  it('a bucket whose objects cannot all be deleted is left, with the reason and the command', async () => {
    mocks.s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'locked', VersionId: 'v1' }], IsTruncated: false });
    mocks.s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'locked', Message: 'Access Denied because object protected by object lock' }] });
    const [outcome] = await deleteKeptData([item(kept('Videos', 'AWS::S3::Bucket', 'Retain'), 'vidgen-videos')], clients, { finalSnapshot: true, since: SINCE });
    expect(outcome).toMatchObject({ left: expect.stringMatching(/object lock.*by hand: aws \.\.\. Videos/) });
    expect(mocks.s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
  });

  it('deletes a zone\'s records except the apex NS and SOA, then the zone', async () => {
    mocks.route53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: false,
      ResourceRecordSets: [
        { Name: 'vidgen.dev.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }] },
        { Name: 'vidgen.dev.', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }] },
        { Name: '_abc.vidgen.dev.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: '_x.acm-validations.aws.' }] },
        { Name: 'www.vidgen.dev.', Type: 'A', AliasTarget: { HostedZoneId: 'ZWKZPGTI48KDX', DNSName: 'k8s-alb.ap-northeast-2.elb.amazonaws.com.', EvaluateTargetHealth: true } },
      ],
    });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});
    mocks.route53.on(DeleteHostedZoneCommand).resolves({});
    const [outcome] = await deleteKeptData([item(kept('Zone', 'AWS::Route53::HostedZone', 'RetainExceptOnCreate'), 'Z0123456789')], clients, { finalSnapshot: true, since: SINCE });
    expect(outcome).toMatchObject({ done: 'deleted after its 2 records' });
    const changes = mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch!.Changes!;
    expect(changes.map((c) => [c.Action, c.ResourceRecordSet!.Name, c.ResourceRecordSet!.Type])).toEqual([['DELETE', '_abc.vidgen.dev.', 'CNAME'], ['DELETE', 'www.vidgen.dev.', 'A']]);
    expect(mocks.route53.commandCalls(DeleteHostedZoneCommand)[0]!.args[0].input).toEqual({ Id: 'Z0123456789' });
  });

  it('deletes a file system\'s mount targets, waits until they are gone, then the file system', async () => {
    let described = 0;
    mocks.efs.on(DescribeMountTargetsCommand).callsFake(() => ({ MountTargets: described++ < 2 ? [{ MountTargetId: 'fsmt-1' }, { MountTargetId: 'fsmt-2' }] : [] }));
    mocks.efs.on(DeleteMountTargetCommand).resolves({});
    mocks.efs.on(DeleteFileSystemCommand).resolves({});
    const [outcome] = await deleteKeptData([item(kept('Fs', 'AWS::EFS::FileSystem', 'RetainExceptOnCreate'), 'fs-0123')], clients, { finalSnapshot: true, since: SINCE });
    expect(outcome).toMatchObject({ done: 'deleted after its 2 mount targets' });
    expect(mocks.efs.commandCalls(DeleteMountTargetCommand)).toHaveLength(2);
    expect(described).toBe(3);
  });

  it('a retained database: protection off, deleted with a final snapshot by default, or with none when chosen; waited for until RDS no longer lists it', async () => {
    mocks.rds.on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'db1', DeletionProtection: true }] })
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'db1', DBInstanceStatus: 'deleting' }] })
      .rejects(dbGone);
    mocks.rds.on(ModifyDBInstanceCommand).resolves({});
    mocks.rds.on(DeleteDBInstanceCommand).resolves({});
    const db = item(kept('Db', 'AWS::RDS::DBInstance', 'RetainExceptOnCreate'), 'db1');
    expect((await deleteKeptData([db], clients, { finalSnapshot: true, since: SINCE }))[0]).toMatchObject({ done: 'deleted, final snapshot db1-final-20261205160000 kept' });
    expect(mocks.rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
    expect(mocks.rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'db1', FinalDBSnapshotIdentifier: 'db1-final-20261205160000', DeleteAutomatedBackups: true });
    mocks.rds.reset();
    mocks.rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'db1', DeletionProtection: false }] }).rejects(dbGone);
    mocks.rds.on(DeleteDBInstanceCommand).resolves({});
    expect((await deleteKeptData([db], clients, { finalSnapshot: false, since: SINCE }))[0]).toMatchObject({ done: 'deleted, no final snapshot' });
    expect(mocks.rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'db1', SkipFinalSnapshot: true, DeleteAutomatedBackups: true });
  });

  it('a retained database\'s subnet group goes last, once the database is gone (DeleteDBSubnetGroup refuses one in use)', async () => {
    const order: string[] = [];
    mocks.rds.on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'db1', DeletionProtection: false }] })
      .callsFakeOnce(() => { order.push('still there'); return { DBInstances: [{ DBInstanceIdentifier: 'db1', DBInstanceStatus: 'deleting' }] }; })
      .callsFake(() => { order.push('gone'); throw dbGone; });
    mocks.rds.on(DeleteDBInstanceCommand).callsFake(() => { order.push('delete instance'); return {}; });
    mocks.rds.on(DeleteDBSubnetGroupCommand).callsFake(() => { order.push('delete subnet group'); return {}; });
    const group = item(kept('DbSubnets', 'AWS::RDS::DBSubnetGroup', 'RetainExceptOnCreate'), 'nemo-prod-data-dbsubnets-1x2y');
    const outcomes = await deleteKeptData([group, item(kept('Db', 'AWS::RDS::DBInstance', 'RetainExceptOnCreate'), 'db1')], clients, { finalSnapshot: true, since: SINCE });
    expect(order).toEqual(['delete instance', 'still there', 'gone', 'delete subnet group']);
    expect(outcomes.map((o) => [o.path, 'done' in o ? o.done : o.left])).toEqual([
      ['Data/Db', 'deleted, final snapshot db1-final-20261205160000 kept'], ['Data/DbSubnets', 'deleted'],
    ]);
  });

  it('a database still deleting when the wait runs out: left with the command to wait, and its subnet group left too', async () => {
    mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'db1', DBInstanceStatus: 'deleting' }] });
    mocks.rds.on(DeleteDBInstanceCommand).resolves({});
    const outcomes = await deleteKeptData([
      item(kept('Db', 'AWS::RDS::DBInstance', 'RetainExceptOnCreate'), 'db1'), item(kept('DbSubnets', 'AWS::RDS::DBSubnetGroup', 'RetainExceptOnCreate'), 'grp'),
    ], clients, { finalSnapshot: true, since: SINCE });
    expect(outcomes.map((o) => 'left' in o ? o.left : o.done)).toEqual([
      expect.stringMatching(/^still deleting after 0 minutes .*aws rds wait db-instance-deleted --db-instance-identifier db1 returns, run plinth destroy --delete-data again$/),
      'its database is still deleting; aws ... DbSubnets',
    ]);
    expect(mocks.rds.commandCalls(DeleteDBSubnetGroupCommand)).toHaveLength(0);
    expect(mocks.rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1 + 4);
  });

  it('a snapshotted database: CloudFormation\'s final snapshot is kept, or deleted on request; older manual snapshots never', async () => {
    mocks.rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [
      { DBSnapshotIdentifier: 'before-upgrade', SnapshotCreateTime: new Date('2026-11-01T00:00:00Z') },
      { DBSnapshotIdentifier: 'nemo-prod-data-db-final-xyz', SnapshotCreateTime: new Date('2026-12-05T16:20:00Z') },
    ] });
    mocks.rds.on(DeleteDBSnapshotCommand).resolves({});
    const db = item(kept('Db', 'AWS::RDS::DBInstance', 'Snapshot'), 'nemo-db-instance');
    expect((await deleteKeptData([db], clients, { finalSnapshot: true, since: SINCE }))[0]).toMatchObject({ done: expect.stringContaining('final snapshot nemo-prod-data-db-final-xyz kept') });
    expect(mocks.rds.commandCalls(DeleteDBSnapshotCommand)).toHaveLength(0);
    await deleteKeptData([db], clients, { finalSnapshot: false, since: SINCE });
    expect(mocks.rds.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input.DBSnapshotIdentifier)).toEqual(['nemo-prod-data-db-final-xyz']);
  });

  it('repositories with their images, secrets without recovery, log groups (and their streams), retained volumes; other kinds left with their command', async () => {
    mocks.ecr.on(DeleteRepositoryCommand).resolves({});
    mocks.secrets.on(DeleteSecretCommand).resolves({});
    mocks.logs.on(DeleteLogGroupCommand).resolves({});
    mocks.ec2.on(DeleteVolumeCommand).resolves({});
    const outcomes = await deleteKeptData([
      item(kept('Repo', 'AWS::ECR::Repository', 'RetainExceptOnCreate', 'ai'), 'ai'),
      item(kept('Secret', 'AWS::SecretsManager::Secret', 'RetainExceptOnCreate'), 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:db-main-AbC'),
      item(kept('Logs', 'AWS::Logs::LogGroup', 'RetainExceptOnCreate'), '/plinth/vpn'),
      item(kept('Stream', 'AWS::Logs::LogStream', 'RetainExceptOnCreate'), 'connections'),
      item(kept('Vol', 'AWS::EC2::Volume', 'Retain'), 'vol-1'),
      item(kept('Key', 'AWS::KMS::Key', 'Retain'), 'key-1'),
    ], clients, { finalSnapshot: true, since: SINCE });
    expect(outcomes.map((o) => ('done' in o ? o.done : `left: ${o.left}`))).toEqual([
      'deleted with its images', 'deleted without a recovery window', 'deleted', 'deleted with its log group', 'deleted', 'left: not a kind plinth deletes; aws ... Key',
    ]);
    expect(mocks.ecr.commandCalls(DeleteRepositoryCommand)[0]!.args[0].input).toEqual({ repositoryName: 'ai', force: true });
    expect(mocks.secrets.commandCalls(DeleteSecretCommand)[0]!.args[0].input.ForceDeleteWithoutRecovery).toBe(true);
  });
});

describe('the typed confirmation', () => {
  const asked: string[] = [];
  const typing = (line: string) => async (q: string) => {
    asked.push(q);
    return line;
  };

  it('Compliance: the exact name typed at the prompt, or --confirm with it', async () => {
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: undefined, yes: false, ask: typing('nemo-prod\n') })).toBe(true);
    expect(asked.at(-1)).toContain('(nemo-prod)');
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: 'nemo-prod', yes: true, ask: undefined })).toBe(true);
  });

  it('Noncompliance: a wrong name, --yes alone, or no terminal → nothing deleted, saying what to pass', async () => {
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: undefined, yes: false, ask: typing('nemo') })).toMatch(/^Nothing deleted: "nemo" is not nemo-prod/);
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: 'nemo-dev', yes: true, ask: undefined })).toMatch(/pass --confirm nemo-prod exactly/);
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: undefined, yes: true, ask: typing('nemo-prod') })).toMatch(/--yes does not confirm deleting data; add --confirm nemo-prod/);
    expect(await confirmDataDeletion({ expected: 'nemo-prod', confirm: undefined, yes: false, ask: undefined })).toMatch(/no terminal to confirm on; pass --confirm nemo-prod/);
  });
});

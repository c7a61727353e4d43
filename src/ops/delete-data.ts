/**
 * `plinth destroy --delete-data`: deletes what destroy otherwise keeps on purpose (src/analyse/plan/keep.ts).
 *
 * Each kept resource's physical id is read from CloudFormation before its stack goes (ListStackResources),
 * since afterwards only the stack id could find it. Then, once the stacks are deleted:
 * - a database kept by `Retain` is deleted with a final snapshot unless the user chose none
 *   (deletion protection is turned off first: DeleteDBInstance refuses a protected instance), and waited
 *   for until RDS no longer lists it: its subnet group (kept with it) and the network it sits in can
 *   only go after it (DeleteDBSubnetGroup refuses a group "associated with any DB instances");
 * - a kept DB subnet group is deleted last, once the databases are gone;
 *   one with `DeletionPolicy: Snapshot` was deleted by CloudFormation, which took a final snapshot; that
 *   snapshot (the instance's manual snapshots created since the destroy began, never older ones) is
 *   deleted only when the user chose no final snapshot;
 * - a bucket is emptied of every object version and delete marker first (DeleteBucket refuses a
 *   non-empty bucket, and a versioned bucket keeps old versions after a plain delete);
 * - a file system loses its mount targets first (DeleteFileSystem refuses one that has any);
 * - a hosted zone loses every record but its apex NS and SOA first (DeleteHostedZone refuses otherwise);
 * - repositories (with their images), secrets (without the recovery window), log groups and volumes go as they are.
 * Anything else is left, with the command that deletes it.
 */
import { paginateListStackResources, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteVolumeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DeleteRepositoryCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DeleteFileSystemCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, type EFSClient } from '@aws-sdk/client-efs';
import { DeleteLogGroupCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteDBInstanceCommand, DeleteDBSnapshotCommand, DeleteDBSubnetGroupCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, paginateDescribeDBSnapshots, type RDSClient,
} from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, type ListResourceRecordSetsCommandInput, type ResourceRecordSet, type Route53Client,
} from '@aws-sdk/client-route-53';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, type DeleteObjectsCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KeptResource } from '../analyse/plan/types.js';

export interface DataClients {
  readonly cloudFormation: CloudFormationClient;
  readonly rds: RDSClient;
  readonly s3: S3Client;
  readonly efs: EFSClient;
  readonly ecr: ECRClient;
  readonly logs: CloudWatchLogsClient;
  readonly route53: Route53Client;
  readonly secrets: SecretsManagerClient;
  readonly ec2: EC2Client;
  /** Between polls while mount targets go. @default 5 s */
  readonly pollMs?: number;
  /** @default 60 */
  readonly maxPolls?: number;
  /**
   * How long to wait for a retained database's deletion (RDS takes minutes, more for large
   * instances). @default 15 s between polls, 160 polls (40 minutes)
   */
  readonly databaseWait?: { readonly pollMs: number; readonly maxPolls: number };
}

/** A kept resource with the id its delete call takes. */
export interface KeptData extends KeptResource {
  readonly stackName: string;
  readonly physicalId: string;
}

export interface DeleteOptions {
  /** Keep a final snapshot of each database (CloudFormation's, or one taken now for a retained instance). */
  readonly finalSnapshot: boolean;
  /** When the destroy began: the final snapshots CloudFormation took are the ones created since. */
  readonly since: Date;
}

export type DataOutcome = { readonly path: string; readonly type: string; readonly id: string; readonly done: string } | { readonly path: string; readonly type: string; readonly id: string; readonly left: string };

/** Resolves the physical id of each kept resource of one stack (before the stack is deleted). */
export async function keptData(cfn: CloudFormationClient, stackName: string, kept: readonly KeptResource[]): Promise<KeptData[]> {
  const ids = new Map<string, string>();
  try {
    for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName })) {
      for (const r of page.StackResourceSummaries ?? []) if (r.PhysicalResourceId) ids.set(r.LogicalResourceId!, r.PhysicalResourceId);
    }
  } catch (e) {
    // A stack never deployed (or already gone) keeps nothing.
    if (/does not exist/.test((e as Error).message)) return [];
    throw e;
  }
  return kept.flatMap((k) => {
    const physicalId = ids.get(k.logicalId) ?? k.name;
    return physicalId ? [{ ...k, stackName, physicalId }] : [];
  });
}

/** Before the stacks go: a protected database would fail its stack's deletion; the user asked for it to go. */
export async function unprotectDatabases(items: readonly KeptData[], clients: DataClients): Promise<string[]> {
  const done: string[] = [];
  for (const k of items.filter((i) => i.type === 'AWS::RDS::DBInstance')) {
    const found = (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: k.physicalId }))).DBInstances?.[0];
    if (!found?.DeletionProtection) continue;
    await clients.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: k.physicalId, DeletionProtection: false, ApplyImmediately: true }));
    done.push(k.physicalId);
  }
  return done;
}

/**
 * After the stacks went: deletes each kept resource; returns what was done and what was left (and why).
 * Databases first, then everything else, then (once the databases are gone) their subnet groups.
 */
export async function deleteKeptData(items: readonly KeptData[], clients: DataClients, options: DeleteOptions): Promise<DataOutcome[]> {
  const out: DataOutcome[] = [];
  // A log stream goes with the kept log group of its stack (the client VPN's connection log).
  const groups = new Set(items.filter((i) => i.type === 'AWS::Logs::LogGroup').map((i) => i.stack));
  const last = (k: KeptData) => k.type === 'AWS::RDS::DBSubnetGroup';
  const deleting: { readonly item: KeptData; readonly at: number }[] = [];
  for (const k of items.filter((i) => !last(i))) {
    const base = { path: k.path, type: k.type, id: k.physicalId };
    try {
      const done = await deleteOne(k, clients, options, groups);
      if (k.type === 'AWS::RDS::DBInstance' && k.policy !== 'Snapshot') deleting.push({ item: k, at: out.length });
      out.push(done === undefined ? { ...base, left: `not a kind plinth deletes; ${k.deleteCommand}` } : { ...base, done });
    } catch (e) {
      out.push({ ...base, left: `${(e as Error).name}: ${(e as Error).message}; by hand: ${k.deleteCommand}` });
    }
  }
  let waited = true;
  for (const { item, at } of deleting) {
    const before = out[at]!;
    let left: string | undefined;
    try {
      if (!await waitUntilDeleted(clients, item.physicalId)) {
        const wait = clients.databaseWait ?? DATABASE_WAIT;
        left = `still deleting after ${Math.round(wait.pollMs * wait.maxPolls / 60_000)} minutes (RDS goes on deleting it); `
          + `once aws rds wait db-instance-deleted --db-instance-identifier ${item.physicalId} returns, run plinth destroy --delete-data again`;
      }
    } catch (e) {
      left = `deletion asked, but its end could not be checked (${(e as Error).name}: ${(e as Error).message}); run plinth destroy --delete-data again once it is gone`;
    }
    if (!('done' in before)) continue;
    if (left !== undefined) waited = false;
    out[at] = left === undefined ? { ...before, done: before.done.replace(/^deleting/, 'deleted') } : { path: before.path, type: before.type, id: before.id, left };
  }
  for (const k of items.filter(last)) {
    const base = { path: k.path, type: k.type, id: k.physicalId };
    if (!waited) {
      out.push({ ...base, left: `its database is still deleting; ${k.deleteCommand}` });
      continue;
    }
    try {
      await clients.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: k.physicalId }));
      out.push({ ...base, done: 'deleted' });
    } catch (e) {
      out.push({ ...base, left: `${(e as Error).name}: ${(e as Error).message}; by hand: ${k.deleteCommand}` });
    }
  }
  return out;
}

const DATABASE_WAIT = { pollMs: 15_000, maxPolls: 160 };

/** Polls until RDS no longer knows the instance (DBInstanceNotFoundFault); false when the wait runs out. */
async function waitUntilDeleted(c: DataClients, id: string): Promise<boolean> {
  const { pollMs, maxPolls } = c.databaseWait ?? DATABASE_WAIT;
  for (let poll = 0; poll <= maxPolls; poll++) {
    try {
      await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    } catch (e) {
      if ((e as Error).name === 'DBInstanceNotFoundFault') return true;
      throw e;
    }
    if (poll < maxPolls) await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}

async function deleteOne(k: KeptData, c: DataClients, o: DeleteOptions, groups: ReadonlySet<string>): Promise<string | undefined> {
  const id = k.physicalId;
  switch (k.type) {
    case 'AWS::RDS::DBInstance':
      return k.policy === 'Snapshot' ? finalSnapshots(c.rds, id, o) : deleteDatabase(c.rds, id, o);
    case 'AWS::S3::Bucket': {
      const versions = await emptyBucket(c.s3, id);
      await c.s3.send(new DeleteBucketCommand({ Bucket: id }));
      return `emptied (${versions} object versions and delete markers) and deleted`;
    }
    case 'AWS::EFS::FileSystem':
      return deleteFileSystem(c, id);
    case 'AWS::ECR::Repository':
      await c.ecr.send(new DeleteRepositoryCommand({ repositoryName: id, force: true }));
      return 'deleted with its images';
    case 'AWS::Route53::HostedZone':
      return deleteZone(c.route53, id);
    case 'AWS::SecretsManager::Secret':
      await c.secrets.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
      return 'deleted without a recovery window';
    case 'AWS::Logs::LogGroup':
      await c.logs.send(new DeleteLogGroupCommand({ logGroupName: id }));
      return 'deleted';
    case 'AWS::Logs::LogStream':
      return groups.has(k.stack) ? 'deleted with its log group' : undefined;
    case 'AWS::EC2::Volume':
      if (k.policy === 'Snapshot') return undefined;
      await c.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
      return 'deleted';
    default:
      return undefined;
  }
}

async function deleteDatabase(rds: RDSClient, id: string, o: DeleteOptions): Promise<string> {
  const found = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  if (found?.DeletionProtection) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
  const snapshot = `${id}-final-${o.since.toISOString().slice(0, 19).replace(/[^0-9]/g, '')}`;
  await rds.send(new DeleteDBInstanceCommand(o.finalSnapshot
    ? { DBInstanceIdentifier: id, FinalDBSnapshotIdentifier: snapshot, DeleteAutomatedBackups: true }
    : { DBInstanceIdentifier: id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }));
  return o.finalSnapshot ? `deleting, final snapshot ${snapshot} kept` : 'deleting, no final snapshot';
}

/** CloudFormation deleted the instance with a final snapshot: keep it, or delete only that one. */
async function finalSnapshots(rds: RDSClient, id: string, o: DeleteOptions): Promise<string> {
  const taken: string[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds }, { DBInstanceIdentifier: id, SnapshotType: 'manual' })) {
    for (const s of page.DBSnapshots ?? []) if (s.SnapshotCreateTime && s.SnapshotCreateTime >= o.since) taken.push(s.DBSnapshotIdentifier!);
  }
  if (o.finalSnapshot) return `deleted by CloudFormation; final snapshot ${taken.join(', ') || '(not found yet)'} kept`;
  for (const s of taken) await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: s }));
  return `deleted by CloudFormation; final snapshot ${taken.join(', ') || '(none found)'} deleted`;
}

/**
 * Deletes every object version and delete marker, a page (up to 1,000, DeleteObjects' limit) at a time.
 * ListObjectVersions has no SDK paginator: it pages by KeyMarker and VersionIdMarker while IsTruncated.
 */
async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let count = 0;
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    const result: DeleteObjectsCommandOutput = objects.length === 0 ? { $metadata: {} } : await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if ((result.Errors ?? []).length > 0) throw new Error(`could not delete ${result.Errors!.length} object versions, e.g. ${result.Errors![0]!.Key}: ${result.Errors![0]!.Message}`);
    count += objects.length;
    if (!page.IsTruncated) return count;
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}

async function deleteFileSystem(c: DataClients, id: string): Promise<string> {
  const targets = async () => (await c.efs.send(new DescribeMountTargetsCommand({ FileSystemId: id }))).MountTargets ?? [];
  const first = await targets();
  for (const t of first) await c.efs.send(new DeleteMountTargetCommand({ MountTargetId: t.MountTargetId }));
  for (let poll = 0; first.length > 0 && (await targets()).length > 0; poll++) {
    if (poll >= (c.maxPolls ?? 60)) throw new Error(`mount targets of ${id} still deleting`);
    await new Promise((r) => setTimeout(r, c.pollMs ?? 5000));
  }
  await c.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  return first.length > 0 ? `deleted after its ${first.length} mount target${first.length === 1 ? '' : 's'}` : 'deleted';
}

async function deleteZone(route53: Route53Client, id: string): Promise<string> {
  const records: ResourceRecordSet[] = [];
  let apex: string | undefined;
  // ListResourceRecordSets has no SDK paginator: it pages by the next record's name, type and identifier.
  let input: ListResourceRecordSetsCommandInput = { HostedZoneId: id };
  for (;;) {
    const page = await route53.send(new ListResourceRecordSetsCommand(input));
    for (const r of page.ResourceRecordSets ?? []) {
      if (r.Type === 'SOA') apex = r.Name;
      records.push(r);
    }
    if (!page.IsTruncated) break;
    input = { HostedZoneId: id, StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
  }
  const removable = records.filter((r) => !((r.Type === 'NS' || r.Type === 'SOA') && r.Name === apex));
  // A change batch holds at most 1,000 changes.
  for (let i = 0; i < removable.length; i += 500) {
    await route53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: id, ChangeBatch: { Comment: 'plinth destroy --delete-data', Changes: removable.slice(i, i + 500).map((r) => ({ Action: 'DELETE', ResourceRecordSet: r })) },
    }));
  }
  await route53.send(new DeleteHostedZoneCommand({ Id: id }));
  return `deleted after its ${removable.length} record${removable.length === 1 ? '' : 's'}`;
}

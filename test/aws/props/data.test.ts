/** DataStores from its narrow props: a database, a file system and a bucket in a bare stack, no Plan. */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DataStores } from '../../../src/aws/data.js';
import type { BucketPlan, DatabasePlan, FileSystemPlan } from '../../../src/plan/types.js';
import { bareNetwork, bareStack } from './bare.js';

const database: DatabasePlan = {
  ref: 'db/orders', name: 'orders', engine: 'postgres', version: '16', instanceClass: 'db.t4g.micro', storageGiB: 20,
  maxStorageGiB: undefined, multiAz: false, databaseName: 'orders', username: 'app', identifier: undefined, port: 5432,
  tier: 'isolated', backupRetentionDays: 7, deletionProtection: true, removal: 'snapshot',
  engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
};
const fileSystem: FileSystemPlan = { ref: 'fs/shared', name: 'shared', tier: 'isolated', throughputMode: 'elastic', removal: 'retain' };
const bucket: BucketPlan = { ref: 's3/assets', name: 'assets', versioned: true, removal: 'destroy', expireNoncurrentDays: 30 };

function synth(props: Partial<ConstructorParameters<typeof DataStores>[2]> = {}) {
  const stack = bareStack('Data');
  const stores = new DataStores(stack, 'Data', {
    network: bareNetwork(stack, { isolated: ['eu-west-1a', 'eu-west-1b'] }),
    platformName: 'shop', environment: 'prod', namePrefix: 'shop', ...props,
  });
  return { stores, template: Template.fromStack(stack) };
}

describe('DataStores', () => {
  it('GIVEN one database WHEN synthesized THEN its secret has the fixed name apps read, and both follow its removal', () => {
    const { stores, template } = synth({ databases: [database] });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'RetainExceptOnCreate', Properties: { Name: 'shop-prod/db/orders' } });
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      Properties: { Engine: 'postgres', EngineVersion: '16', StorageEncrypted: true, PubliclyAccessible: false, MultiAZ: false },
    });
    expect(Object.keys(stores.databases)).toEqual(['orders']);
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('GIVEN a file system THEN it is named with the prefix, encrypted and kept', () => {
    const { template } = synth({ fileSystems: [fileSystem], namePrefix: 'shop-staging' });
    template.hasResource('AWS::EFS::FileSystem', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: { Encrypted: true, ThroughputMode: 'elastic', FileSystemTags: [{ Key: 'Name', Value: 'shop-staging-shared' }] },
    });
  });

  it('GIVEN a bucket THEN it logs into one shared access-log bucket kept for the given days', () => {
    const { stores, template } = synth({ buckets: [bucket], accessLogRetentionDays: 30 });
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: { VersioningConfiguration: { Status: 'Enabled' }, LoggingConfiguration: { LogFilePrefix: 'assets/' } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] } });
    expect(stores.accessLogBucket).toBeDefined();
  });

  it('GIVEN nothing to store THEN no resources and no access-log bucket', () => {
    const { stores, template } = synth();
    expect(Object.keys(template.toJSON().Resources ?? {})).toEqual([]);
    expect(stores.accessLogBucket).toBeUndefined();
  });
});

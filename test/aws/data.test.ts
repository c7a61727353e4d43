import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStores } from '../../src/aws/data.js';
import { DnsZone } from '../../src/aws/dns.js';
import { Registry } from '../../src/aws/registry.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan, planFromYaml } from '../support.js';
import type { TestPlatform } from './fake-network.js';
import { acknowledgements, allResources, validationFindings, testPlatform } from './fake-network.js';

/** The data stack of app.ts: stores, registry and zone, around a fake network. */
function dataPlatform(plan: Plan, extra?: (data: Stack) => void) {
  let stores!: DataStores;
  let registry!: Registry;
  let dns!: DnsZone;
  const platform = testPlatform(plan, ({ data, network }) => {
    stores = new DataStores(data, 'Data', {
      network,
      databases: plan.databases,
      fileSystems: plan.fileSystems,
      buckets: plan.buckets,
      platformName: plan.platform.name,
      environment: plan.platform.environment,
      namePrefix: plan.platform.namePrefix,
    });
    registry = new Registry(data, 'Registry', { repositories: plan.repositories });
    dns = new DnsZone(data, 'Dns', { dns: plan.dns, comment: 'plinth test' });
    extra?.(data);
  }, { cloudFormationValidation: true });
  return { platform, stores, registry, dns };
}

const INLINE = `
platform: { name: acme, region: eu-west-1, environment: test }
network:
  cidr: 10.1.0.0/16
  azs: [eu-west-1a, eu-west-1b]
  subnets:
    public: {}
    private: {}
    isolated: {}
data:
  databases:
    pg: { engine: postgres, version: "16", maxStorageGiB: 100, backupRetentionDays: 14, removal: retain, allowFrom: [vpc] }
    scratch: { engine: mysql, version: "8.4", removal: destroy, deletionProtection: false, multiAz: false }
  fileSystems:
    shared: { allowFrom: [vpc] }
    cache: { throughputMode: bursting, removal: destroy }
  buckets:
    artifacts: {}
    tmp: { versioned: false, removal: destroy }
registry:
  repositories:
    api: { mutableTags: true, scanOnPush: false, untaggedExpireDays: 3, removal: destroy }
dns: { zone: acme.example, zoneId: Z0123456789ABC }
`;

function noCustomResourcesOrLambdas(platform: TestPlatform): void {
  const types = allResources(platform).map(([, , r]) => r.Type);
  expect(types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  expect(types.filter((t) => t.startsWith('AWS::Lambda::') || t.startsWith('AWS::Serverless::'))).toEqual([]);
}

function noSecurityGroupRules(platform: TestPlatform): void {
  const resources = allResources(platform);
  expect(resources.filter(([, , r]) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
  for (const [, , r] of resources.filter(([, , r]) => r.Type === 'AWS::EC2::SecurityGroup')) {
    expect(r.Properties?.SecurityGroupIngress).toBeUndefined();
  }
}

describe('DataStores, Registry and DnsZone on the nemo v3 seed', () => {
  let nemo: ReturnType<typeof dataPlatform>;
  let template: Template;
  beforeAll(() => {
    // GIVEN the nemo seed  WHEN the data stack is synthesized
    nemo = dataPlatform(examplePlan('nemo-v3'));
    template = Template.fromStack(nemo.platform.data);
  });

  it('creates the seed RDS MySQL 8.0 instance: db.t3.micro, 20 GiB, Multi-AZ, encrypted, private, protected', () => {
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({
        Engine: 'mysql',
        EngineVersion: '8.0',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        MultiAZ: true,
        StorageEncrypted: true,
        PubliclyAccessible: false,
        DeletionProtection: true,
        DBName: 'prod_db',
        MasterUsername: 'prod',
        Port: '3306',
        BackupRetentionPeriod: 7,
        EnableIAMDatabaseAuthentication: true,
        AutoMinorVersionUpgrade: true,
        CopyTagsToSnapshot: true,
        EnableCloudwatchLogsExports: ['error'],
        VPCSecurityGroups: [{ 'Fn::ImportValue': Match.stringLikeRegexp('Sgdbmain') }],
      }),
    });
  });

  it('generates the master password into a retained Secrets Manager secret for user prod', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(1);
    const [secretId, secret] = Object.entries(secrets)[0]!;
    expect(secret.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({ username: 'prod' });
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:password::}}']] },
    });
  });

  it('places the database in the private tier through a DB subnet group', () => {
    const privateIds = nemo.platform.network.subnetsOf('private').map((s) => s.subnetId);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: privateIds });
  });

  it('creates the backend, frontend and ai repositories with immutable tags, scan on push and the keep rule, retained', () => {
    for (const name of ['backend', 'frontend', 'ai']) {
      const repos = template.findResources('AWS::ECR::Repository', { Properties: { RepositoryName: name } });
      expect(Object.keys(repos)).toHaveLength(1);
      const repo = Object.values(repos)[0]!;
      expect(repo.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(repo.Properties.ImageTagMutability).toBe('IMMUTABLE');
      expect(repo.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      expect(repo.Properties.EmptyOnDelete).toBeUndefined();
      const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules).toEqual([
        expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' } }),
        expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['prod-*'], countType: 'imageCountMoreThan', countNumber: 30 } }),
      ]);
    }
    expect(Object.keys(nemo.registry.repositories).sort()).toEqual(['ai', 'backend', 'frontend']);
  });

  it('creates a public hosted zone for the seed domain and keeps it on delete', () => {
    template.hasResource('AWS::Route53::HostedZone', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ Name: 'onurivit01.store.' }) });
    expect(nemo.dns.zone).toBeDefined();
  });

  it('creates no buckets, file systems or access-log bucket the seed does not ask for', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::EFS::FileSystem', 0);
    expect(nemo.stores.accessLogBucket).toBeUndefined();
  });

  it('passes cdk-nag AwsSolutions and the CloudFormation validator with every finding acknowledged for a stated reason', () => {
    expect(validationFindings(nemo.platform).unacknowledged).toEqual([]);
    const acks = acknowledgements(nemo.platform.app);
    expect(acks.map((a) => `${a.constructPath} ${a.id}`).sort()).toEqual([
      'Data/Data/Databases/main/Instance AwsSolutions-RDS11',
      'Data/Data/Databases/main/Instance CloudFormation-Validate::E9006',
      'Data/Data/Databases/main/Secret AwsSolutions-SMG4',
    ]);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(60);
  });

  it('adds no custom resource, Lambda function or security group rule', () => {
    noCustomResourcesOrLambdas(nemo.platform);
    noSecurityGroupRules(nemo.platform);
  });
});

describe('DataStores, Registry and DnsZone on an inline spec with every kind of store', () => {
  let inline: ReturnType<typeof dataPlatform>;
  let template: Template;
  beforeAll(() => {
    inline = dataPlatform(planFromYaml(INLINE));
    template = Template.fromStack(inline.platform.data);
  });

  it('creates PostgreSQL 16 with storage autoscaling, kept with its secret on removal: retain', () => {
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        Engine: 'postgres', EngineVersion: '16', DBInstanceClass: 'db.t4g.micro', MaxAllocatedStorage: 100, Port: '5432',
        MasterUsername: 'postgres', BackupRetentionPeriod: 14, EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      }),
    });
    // The pg database defaults to the isolated tier.
    const isolatedIds = inline.platform.network.subnetsOf('isolated').map((s) => s.subnetId);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: isolatedIds });
  });

  it('deletes a removal: destroy database and its secret, and acknowledges the spec\'s opt-outs', () => {
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Engine: 'mysql', EngineVersion: '8.4', MultiAZ: false, DeletionProtection: false }),
    });
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets.map((s) => s.DeletionPolicy).sort()).toEqual(['Delete', 'RetainExceptOnCreate']);
    const ids = acknowledgements(inline.platform.app).filter((a) => a.constructPath.includes('/scratch/')).map((a) => a.id).sort();
    expect(ids).toEqual(['AwsSolutions-RDS10', 'AwsSolutions-RDS11', 'AwsSolutions-RDS3', 'AwsSolutions-SMG4', 'CloudFormation-Validate::E9006']);
  });

  it('creates encrypted EFS file systems with backups and lifecycle, in the private tier with their security group', () => {
    template.hasResource('AWS::EFS::FileSystem', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        Encrypted: true,
        ThroughputMode: 'elastic',
        BackupPolicy: { Status: 'ENABLED' },
        LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS' }, { TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }],
        FileSystemTags: [{ Key: 'Name', Value: 'acme-shared' }],
      }),
    });
    template.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ ThroughputMode: 'bursting' }) });
    const privateIds = inline.platform.network.subnetsOf('private').map((s) => s.subnetId);
    const targets = Object.values(template.findResources('AWS::EFS::MountTarget'));
    expect(targets).toHaveLength(4);
    expect(new Set(targets.map((t) => t.Properties.SubnetId))).toEqual(new Set(privateIds));
    for (const t of targets) expect(t.Properties.SecurityGroups).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/Sgefs/) }]);
  });

  it('creates private, TLS-only, versioned buckets that log to one shared access-log bucket', () => {
    const artifacts = inline.stores.buckets.artifacts!;
    const logs = inline.stores.accessLogBucket!;
    const stack = inline.platform.data;
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
        LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket) }, LogFilePrefix: 'artifacts/' },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(artifacts.node.defaultChild as s3.CfnBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('grants S3 log delivery through the access-log bucket policy, not an ACL', () => {
    const stack = inline.platform.data;
    const logsId = stack.getLogicalId(inline.stores.accessLogBucket!.node.defaultChild as s3.CfnBucket);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        AccessControl: Match.absent(),
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('DataBucketsartifacts'), 'Arn'] } } }),
          }),
        ]),
      },
    });
  });

  it('deletes an unversioned removal: destroy bucket without noncurrent-version rules and without a Lambda to empty it', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        VersioningConfiguration: Match.absent(),
        LifecycleConfiguration: { Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }] },
      }),
    });
  });

  it('creates a repository with mutable tags and the untagged rule only', () => {
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ RepositoryName: 'api', ImageTagMutability: 'MUTABLE', ImageScanningConfiguration: { ScanOnPush: false } }),
    });
    const repo = Object.values(template.findResources('AWS::ECR::Repository'))[0]!;
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'untagged', countNumber: 3 }) })]);
  });

  it('references the existing hosted zone by id without creating or looking up one', () => {
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(inline.platform.data.resolve(inline.dns.zone!.hostedZoneId)).toBe('Z0123456789ABC');
    expect(inline.platform.app.synth().manifest.missing).toBeUndefined();
  });

  it('passes cdk-nag and the CloudFormation validator with every finding acknowledged, and adds no Lambda or security group rule', () => {
    expect(validationFindings(inline.platform).unacknowledged).toEqual([]);
    noCustomResourcesOrLambdas(inline.platform);
    noSecurityGroupRules(inline.platform);
  });
});

describe('DnsZone without a dns section', () => {
  it('creates no zone', () => {
    // GIVEN a spec without dns  WHEN the zone construct is built  THEN it exposes no zone
    const plan = planFromYaml('platform: { name: bare, region: eu-west-1 }\nnetwork: { cidr: 10.2.0.0/16, azs: [eu-west-1a, eu-west-1b] }\n');
    const { platform, dns } = dataPlatform(plan);
    expect(dns.zone).toBeUndefined();
    Template.fromStack(platform.data).resourceCountIs('AWS::Route53::HostedZone', 0);
  });
});

describe('the cdk-nag harness', () => {
  it('reports an unacknowledged finding (so a clean report means something)', () => {
    // GIVEN the seed plus a bare bucket nobody acknowledged  WHEN synthesized  THEN nag reports it
    const { platform } = dataPlatform(examplePlan('nemo-v3'), (data) => {
      new s3.Bucket(data, 'Unguarded');
    });
    const rules = validationFindings(platform).unacknowledged.filter((f) => f.constructPath.startsWith('Data/Unguarded')).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

/**
 * Stateful resources of the plan: RDS instances, EFS file systems and S3 buckets. Everything is
 * encrypted, private, and kept (retained or snapshotted) when the stack goes away unless the spec
 * says `removal: destroy`. Security groups and their rules come from the network; nothing here
 * opens a port.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import type { BucketPlan, DatabasePlan, FileSystemPlan } from '../plan/types.js';
import type { PlatformNetwork } from './platform-network.js';
import { acknowledge } from './acknowledge.js';
import { databaseSecretName } from '../plan/apps.js';

export interface DataStoresProps {
  /** Where each store's subnets and security group come from. */
  readonly network: PlatformNetwork;
  /** RDS instances to create. @default - none */
  readonly databases?: readonly DatabasePlan[];
  /** EFS file systems to create. @default - none */
  readonly fileSystems?: readonly FileSystemPlan[];
  /** S3 buckets to create (with one shared access-log bucket), or existing ones to reference by name. @default - none */
  readonly buckets?: readonly BucketPlan[];
  /** The platform's name, part of each database secret's fixed name. */
  readonly platformName: string;
  /** The environment, part of each database secret's fixed name. */
  readonly environment: string;
  /** Prefix of file system names (`<namePrefix>-<name>`): the plan's platform.namePrefix. */
  readonly namePrefix: string;
  /**
   * How long S3 server access logs of the platform's buckets are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

export class DataStores extends Construct {
  /** RDS instances by plan name (`main` for `db/main`). */
  readonly databases: Readonly<Record<string, rds.DatabaseInstance>>;
  /** EFS file systems by plan name. */
  readonly fileSystems: Readonly<Record<string, efs.FileSystem>>;
  /** S3 buckets by plan name; an existing bucket is only referenced by name (no resource, no look-up). */
  readonly buckets: Readonly<Record<string, s3.IBucket>>;
  /** The bucket receiving server access logs of every platform bucket; undefined when there are no buckets. */
  readonly accessLogBucket: s3.Bucket | undefined;

  constructor(scope: Construct, id: string, props: DataStoresProps) {
    super(scope, id);
    // Without this flag CDK grants S3 log delivery through the LogDeliveryWrite ACL, which cannot be
    // combined with BucketOwnerEnforced; the bucket-policy grant works with ACLs disabled. Context must
    // be set before the first child exists.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const { network, databases = [], fileSystems = [], buckets = [] } = props;

    const databaseScope = new Construct(this, 'Databases');
    this.databases = Object.fromEntries(databases.map((db) => [
      db.name, newDatabase(databaseScope, db, network, databaseSecretName(props.platformName, props.environment, db.name)),
    ]));

    const fileSystemScope = new Construct(this, 'FileSystems');
    this.fileSystems = Object.fromEntries(fileSystems.map((fs) => [fs.name, newFileSystem(fileSystemScope, fs, network, props.namePrefix)]));

    const created = buckets.filter((b) => b.existingName === undefined);
    this.accessLogBucket = created.length > 0 ? newAccessLogBucket(this, props.accessLogRetentionDays ?? 365) : undefined;
    const bucketScope = new Construct(this, 'Buckets');
    this.buckets = Object.fromEntries(buckets.map((b) => [b.name, b.existingName === undefined
      ? newBucket(bucketScope, b, this.accessLogBucket!)
      : s3.Bucket.fromBucketName(bucketScope, b.name, b.existingName)]));
  }
}

const REMOVAL = {
  snapshot: RemovalPolicy.SNAPSHOT,
  retain: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  destroy: RemovalPolicy.DESTROY,
} as const;

/**
 * Log types exported to CloudWatch Logs. Only logs RDS writes without extra parameters: MySQL's slow and
 * general logs and the audit plugin need parameter/option groups, and stay off until asked for.
 */
const LOG_EXPORTS: Record<DatabasePlan['engine'], string[]> = {
  mysql: ['error'],
  postgres: ['postgresql', 'upgrade'],
};

function engineOf(db: DatabasePlan): rds.IInstanceEngine {
  // The plan holds major versions only ("8.0", "16"): RDS picks the current minor version and
  // autoMinorVersionUpgrade keeps it current, so the template never pins a minor that RDS retires.
  switch (db.engine) {
    case 'mysql':
      return rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of(db.version, db.version) });
    case 'postgres':
      return rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(db.version, db.version) });
  }
}

/**
 * Every database secret has a fixed name: the ExternalSecret manifests written at synth must name it,
 * and a name that appeared only once an app read the secret would replace the secret (a new master
 * password, and the export other stacks import changes value) when the last such app goes away. A fixed
 * name is safe to retry and redeploy: RetainExceptOnCreate drops it after a failed first create, and
 * `plinth deploy` adopts a secret kept by an earlier destroy (--import-existing-resources).
 */
function newDatabase(scope: Construct, db: DatabasePlan, network: PlatformNetwork, secretName: string): rds.DatabaseInstance {
  const group = new Construct(scope, db.name);
  // The secret is created here rather than by Credentials.fromGeneratedSecret so that its removal
  // policy can follow the database's: a snapshot or a retained instance still needs its master
  // password, and deleting the secret with the stack would leave a database nobody can log in to.
  const secret = new rds.DatabaseSecret(group, 'Secret', { username: db.username, secretName, replaceOnPasswordCriteriaChanges: true });
  secret.applyRemovalPolicy(db.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  acknowledge(secret, 'AwsSolutions-SMG4', 'Rotation needs a rotation Lambda, and single-user rotation breaks applications that read the '
      + 'master password once at start-up and cache it (the seed Spring Boot app does). Clients should move to '
      + 'IAM database authentication (enabled); rotation becomes an opt-in once they have.');

  const instance = new rds.DatabaseInstance(group, 'Instance', {
    engine: engineOf(db),
    instanceIdentifier: db.identifier,
    instanceType: new ec2.InstanceType(db.instanceClass.replace(/^db\./, '')),
    vpc: network.vpc,
    // DatabaseInstance builds the DB subnet group from these (kept with a retained instance, below).
    vpcSubnets: { subnets: network.subnetsOf(db.tier) },
    securityGroups: [network.securityGroup(db.ref)],
    port: db.port,
    // The username is passed as a literal so the template (and verify) can read it.
    credentials: rds.Credentials.fromSecret(secret, db.username),
    databaseName: db.databaseName,
    allocatedStorage: db.storageGiB,
    maxAllocatedStorage: db.maxStorageGiB,
    storageType: rds.StorageType.GP3,
    storageEncrypted: true,
    multiAz: db.multiAz,
    publiclyAccessible: false,
    iamAuthentication: true,
    backupRetention: Duration.days(db.backupRetentionDays),
    deletionProtection: db.deletionProtection,
    removalPolicy: REMOVAL[db.removal],
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    // No cloudwatchLogsRetention: CDK implements it with a Lambda-backed custom resource.
    cloudwatchLogsExports: LOG_EXPORTS[db.engine],
    engineLifecycleSupport: db.engineLifecycleSupport as rds.EngineLifecycleSupport,
  });
  // aws-cdk-lib retains the DB subnet group only for RemovalPolicy.RETAIN (rds/lib/private/util.js
  // helperRemovalPolicy); with RETAIN_ON_UPDATE_OR_DELETE it would be deleted with the stack, and RDS
  // refuses that while the kept instance uses it (DeleteDBSubnetGroup: "must not be associated with any
  // DB instances", InvalidDBSubnetGroupStateFault), failing the stack's deletion. It is kept with it.
  if (db.removal === 'retain') (instance.node.tryFindChild('SubnetGroup') as rds.SubnetGroup | undefined)?.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  acknowledge(instance, 'AwsSolutions-RDS11', 'The engine default port is kept on purpose: the security group admits only the clients named in '
      + 'the spec, so a non-standard port adds no protection and breaks client defaults and tooling.');
  acknowledge(instance, 'CloudFormation-Validate::E9006', `RDS accepts a major version ("${db.version}") and picks its current minor version; the validator's list holds full versions only.`);
  // Both are on by default; reaching here with them off means the spec turned them off explicitly.
  if (!db.multiAz) {
    acknowledge(instance, 'AwsSolutions-RDS3', `The spec sets data.databases.${db.name}.multiAz: false, trading failover for half the instance cost.`);
  }
  if (!db.deletionProtection) {
    acknowledge(instance, 'AwsSolutions-RDS10', `The spec sets data.databases.${db.name}.deletionProtection: false (removal: ${db.removal}).`);
  }
  return instance;
}

function newFileSystem(scope: Construct, fs: FileSystemPlan, network: PlatformNetwork, platformName: string): efs.FileSystem {
  return new efs.FileSystem(scope, fs.name, {
    fileSystemName: `${platformName}-${fs.name}`,
    vpc: network.vpc,
    vpcSubnets: { subnets: network.subnetsOf(fs.tier) },
    securityGroup: network.securityGroup(fs.ref),
    encrypted: true,
    allowAnonymousAccess: false,
    performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
    throughputMode: fs.throughputMode === 'elastic' ? efs.ThroughputMode.ELASTIC : efs.ThroughputMode.BURSTING,
    lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
    outOfInfrequentAccessPolicy: efs.OutOfInfrequentAccessPolicy.AFTER_1_ACCESS,
    enableAutomaticBackups: true,
    removalPolicy: fs.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}

/** Settings every platform bucket shares: private, TLS 1.2+ only, ACLs off, SSE-S3. */
const PRIVATE_BUCKET: s3.BucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  encryption: s3.BucketEncryption.S3_MANAGED,
};

function newAccessLogBucket(scope: Construct, retentionDays: number): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    ...PRIVATE_BUCKET,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    lifecycleRules: [{ expiration: Duration.days(retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
  });
  acknowledge(bucket, 'AwsSolutions-S1', 'This is the server access log bucket itself; logging it into itself would log its own log writes '
      + 'without end, and a second log bucket would only move the same finding one bucket further.');
  return bucket;
}

function newBucket(scope: Construct, b: BucketPlan, accessLogs: s3.Bucket): s3.Bucket {
  return new s3.Bucket(scope, b.name, {
    ...PRIVATE_BUCKET,
    versioned: b.versioned,
    // Never autoDeleteObjects: it deploys a Lambda-backed custom resource. A non-empty bucket with
    // removal: destroy makes the stack deletion fail, which is the safer surprise.
    removalPolicy: b.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: `${b.name}/`,
    lifecycleRules: [
      {
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        ...(b.versioned ? { noncurrentVersionExpiration: Duration.days(b.expireNoncurrentDays) } : {}),
      },
    ],
  });
}

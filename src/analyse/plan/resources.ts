/**
 * What plinth needs to know about a resource type beyond the CloudFormation resource specification
 * (which `@aws-cdk/cloudformation-diff` already reads to tell a replacement from an update).
 */
import type { CfnResourceBody } from './types.js';

export interface DataStoreType {
  readonly type: string;
  /** What a person calls it, in messages. */
  readonly what: string;
  /** The property that protects it from deletion, where the type has one. */
  readonly protection?: string;
  /**
   * Whether CloudFormation's delete destroys its data outright. Not so for a bucket, a repository or a
   * zone (their delete fails while they hold objects, images or records), nor a secret (a recovery
   * window of 7 to 30 days); posture PS3 judges only the others.
   */
  readonly deletedWithData: boolean;
}

/**
 * Types that hold data themselves: one list for the plan's stateful replacements, the change review's
 * removals (src/analyse/change/data.ts) and the posture rule StatefulDataRetained.
 */
export const DATA_STORES: readonly DataStoreType[] = [
  { type: 'AWS::RDS::DBInstance', what: 'RDS instance', protection: 'DeletionProtection', deletedWithData: true },
  { type: 'AWS::RDS::DBCluster', what: 'RDS cluster', protection: 'DeletionProtection', deletedWithData: true },
  { type: 'AWS::DynamoDB::Table', what: 'DynamoDB table', protection: 'DeletionProtectionEnabled', deletedWithData: true },
  { type: 'AWS::DynamoDB::GlobalTable', what: 'DynamoDB global table', deletedWithData: true },
  { type: 'AWS::EFS::FileSystem', what: 'EFS file system', deletedWithData: true },
  { type: 'AWS::EC2::Volume', what: 'EBS volume', deletedWithData: true },
  { type: 'AWS::ElastiCache::ReplicationGroup', what: 'ElastiCache replication group', deletedWithData: true },
  { type: 'AWS::OpenSearchService::Domain', what: 'OpenSearch domain', deletedWithData: true },
  { type: 'AWS::Elasticsearch::Domain', what: 'Elasticsearch domain', deletedWithData: true },
  { type: 'AWS::Redshift::Cluster', what: 'Redshift cluster', deletedWithData: true },
  { type: 'AWS::MSK::Cluster', what: 'MSK cluster', deletedWithData: true },
  { type: 'AWS::S3::Bucket', what: 'S3 bucket', deletedWithData: false },
  { type: 'AWS::ECR::Repository', what: 'ECR repository', deletedWithData: false },
  { type: 'AWS::Route53::HostedZone', what: 'hosted zone', deletedWithData: false },
  { type: 'AWS::SecretsManager::Secret', what: 'secret', deletedWithData: false },
];

export function dataStoreTypes(): string[] {
  return DATA_STORES.map((d) => d.type);
}

/**
 * Types whose replacement or deletion loses what users put in them: rows, files, objects, images,
 * records, a cluster's workloads, a host's disk, a database's master password.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([...dataStoreTypes(), 'AWS::EKS::Cluster', 'AWS::EC2::Instance']);

/**
 * The property that fixes a resource's physical name, for the types whose names are unique in an
 * account and region (or in their parent). CloudFormation's "Name type" documentation: with a custom
 * name, a replacement fails ("cannot update a stack when a custom-named resource requires replacing"),
 * and a create fails when a resource of that name already exists. Route 53 zone names are not unique
 * (two public zones may share a name), so the zone is not listed.
 */
export const PHYSICAL_NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::LogStream': 'LogStreamName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::RDS::DBSubnetGroup': 'DBSubnetGroupName',
  'AWS::RDS::DBParameterGroup': 'DBParameterGroupName',
  'AWS::EKS::Cluster': 'Name',
  'AWS::EKS::Nodegroup': 'NodegroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::EC2::KeyPair': 'KeyName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SSM::Parameter': 'Name',
};

/** The literal physical name a template fixes for this resource, if any. */
export function physicalName(resource: CfnResourceBody): string | undefined {
  const prop = PHYSICAL_NAME_PROPERTY[resource.Type];
  if (!prop) return undefined;
  const value = resource.Properties?.[prop];
  return typeof value === 'string' ? value : undefined;
}

/** Whether deleting the stack (or the resource) leaves it in the account. */
export function keptOnDelete(resource: CfnResourceBody): 'kept' | 'snapshot' | 'deleted' {
  const p = resource.DeletionPolicy;
  if (p === 'Retain' || p === 'RetainExceptOnCreate') return 'kept';
  if (p === 'Snapshot') return 'snapshot';
  return 'deleted';
}

/**
 * A resource a rolled-back first create would leave behind under a name the retry must create again:
 * `DeletionPolicy: Retain` (CloudFormation keeps it on rollback; `RetainExceptOnCreate` does not) with a
 * literal physical name. Snapshot deletes the resource, keeping only a snapshot with a generated name.
 */
export function blocksRetry(resource: CfnResourceBody): string | undefined {
  if (resource.DeletionPolicy !== 'Retain') return undefined;
  return physicalName(resource);
}

/** The AWS CLI command that deletes a kept resource, given its physical id (a placeholder when unknown). */
export function deleteCommand(type: string, id: string, region: string | undefined): string {
  const r = region ? ` --region ${region}` : '';
  switch (type) {
    case 'AWS::RDS::DBInstance': return `aws rds delete-db-instance --db-instance-identifier ${id} --skip-final-snapshot${r}`;
    case 'AWS::RDS::DBCluster': return `aws rds delete-db-cluster --db-cluster-identifier ${id} --skip-final-snapshot${r}`;
    case 'AWS::RDS::DBSubnetGroup': return `aws rds delete-db-subnet-group --db-subnet-group-name ${id}${r}  # once no instance uses it`;
    case 'AWS::EFS::FileSystem': return `aws efs delete-file-system --file-system-id ${id}${r}  # delete its mount targets first`;
    case 'AWS::S3::Bucket': return `aws s3 rb s3://${id} --force${r}  # versioned: delete every object version first`;
    case 'AWS::ECR::Repository': return `aws ecr delete-repository --repository-name ${id} --force${r}`;
    case 'AWS::Route53::HostedZone': return `aws route53 delete-hosted-zone --id ${id}  # delete its records (except NS and SOA) first`;
    case 'AWS::SecretsManager::Secret': return `aws secretsmanager delete-secret --secret-id ${id} --force-delete-without-recovery${r}`;
    case 'AWS::Logs::LogGroup': return `aws logs delete-log-group --log-group-name ${id}${r}`;
    case 'AWS::Logs::LogStream': return `aws logs delete-log-stream --log-stream-name ${id} --log-group-name <group>${r}`;
    case 'AWS::EC2::ClientVpnEndpoint': return `aws ec2 delete-client-vpn-endpoint --client-vpn-endpoint-id ${id}${r}`;
    case 'AWS::KMS::Key': return `aws kms schedule-key-deletion --key-id ${id} --pending-window-in-days 7${r}`;
    case 'AWS::DynamoDB::Table': return `aws dynamodb delete-table --table-name ${id}${r}`;
    default: return `aws cloudcontrol delete-resource --type-name ${type} --identifier ${id}${r}`;
  }
}

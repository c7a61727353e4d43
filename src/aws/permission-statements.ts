/**
 * Permissions of the spec (`buckets/videos/generated/:write`, `repositories/ai:pull`) as IAM
 * statements scoped to exactly those resources. Shared by host roles and external principals.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { acknowledge } from './acknowledge.js';
import type { PermissionPlan } from '../plan/types.js';

const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const ECR_PUSH = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];

export function repositoryArn(name: string): string {
  return `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${name}`;
}

/** Secrets Manager appends six random characters to a secret's name in its ARN. */
export function secretArnByName(name: string): string {
  return `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${name}-??????`;
}

export function permissionStatements(permissions: readonly PermissionPlan[], bucketArn: (name: string) => string): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const repos = (access: 'pull' | 'push') => permissions.filter((p) => p.kind === 'repository' && (p.access === access || access === 'pull')).map((p) => repositoryArn((p as { repository: string }).repository));
  const pulled = [...new Set(repos('pull'))];
  const pushed = [...new Set(repos('push'))];
  if (pulled.length) {
    // GetAuthorizationToken has no resource-level scope (ECR IAM reference); the token alone reads nothing.
    statements.push(new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    statements.push(new iam.PolicyStatement({ sid: 'EcrPull', actions: ECR_PULL, resources: pulled }));
  }
  if (pushed.length) statements.push(new iam.PolicyStatement({ sid: 'EcrPush', actions: ECR_PUSH, resources: pushed }));

  permissions.forEach((p) => {
    if (p.kind !== 'bucket') return;
    const arn = bucketArn(p.bucket);
    const objects = `${arn}/${p.prefix}*`;
    if (p.access === 'read' || p.access === 'readwrite') {
      statements.push(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
      statements.push(new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [arn], ...(p.prefix ? { conditions: { StringLike: { 's3:prefix': [`${p.prefix}*`] } } } : {}),
      }));
    }
    if (p.access === 'write' || p.access === 'readwrite') {
      statements.push(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [objects] }));
    }
    if (p.access === 'readwrite') statements.push(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] }));
  });
  return statements;
}

/**
 * A bucket's object ARN as cdk-nag writes it in an AwsSolutions-IAM5 finding id, so the finding can be
 * acknowledged: a bucket of the template by its logical id (`<Bucket1234.Arn>/prefix/*`), an existing
 * bucket by its literal ARN (`arn:<AWS::Partition>:s3:::corp-data/prefix/*`).
 */
export function bucketObjectsFinding(bucket: s3.IBucket, prefix: string): string {
  const cfn = bucket.node.defaultChild;
  if (cfn instanceof s3.CfnBucket) return `<${Stack.of(bucket).getLogicalId(cfn)}.Arn>/${prefix}*`;
  return `arn:<AWS::Partition>:s3:::${bucket.bucketName}/${prefix}*`;
}

/**
 * Acknowledges cdk-nag's IAM5 finding on the object ARNs of existing buckets a role was granted
 * (`buckets/NAME/PREFIX/:ACCESS`): the wildcard is the object part of one bucket (under one prefix).
 * Buckets the data stack creates reach other stacks as imported values, which these ids cannot name.
 */
export function acknowledgeExistingBucketObjects(role: IConstruct, owner: string, permissions: readonly PermissionPlan[], buckets: Readonly<Record<string, s3.IBucket>>): void {
  for (const p of permissions) {
    if (p.kind !== 'bucket') continue;
    const bucket = buckets[p.bucket];
    if (!bucket || bucket.node.defaultChild instanceof s3.CfnBucket) continue;
    acknowledge(role, `AwsSolutions-IAM5[Resource::${bucketObjectsFinding(bucket, p.prefix)}]`,
      `Object actions act on object ARNs: ${owner} may ${p.access} only the objects under ${p.prefix || 'the root of'} the existing bucket ${bucket.bucketName}/, nothing else.`);
  }
}

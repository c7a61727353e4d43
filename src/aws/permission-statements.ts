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
 * acknowledged (cdk-nag 3 matches acknowledgement ids exactly; its flattenCfnReference renders
 * `Fn::GetAtt` as `<Id.Attr>`, `Fn::ImportValue` as the export name, `Ref` as `<Name>`):
 * - a bucket of the same stack by its logical id: `<Bucket1234.Arn>/prefix/*`;
 * - a bucket of another stack (the data stack's buckets, granted to compute hosts) by the name of
 *   the export the cross-stack reference imports: `media-prod-data:ExportsOutputFnGetAtt…Arn…/prefix/*`.
 *   `Stack.exportValue` returns the import of that same export (it reuses the automatic reference's
 *   output, so the templates do not change);
 * - an existing bucket by its literal ARN: `arn:<AWS::Partition>:s3:::corp-data/prefix/*`.
 * @param consumer the construct whose policy names the bucket. @default - the bucket's own stack
 */
export function bucketObjectsFinding(bucket: s3.IBucket, prefix: string, consumer?: IConstruct): string {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) return `arn:<AWS::Partition>:s3:::${bucket.bucketName}/${prefix}*`;
  const owner = Stack.of(bucket);
  if (!consumer || Stack.of(consumer) === owner) return `<${owner.getLogicalId(cfn)}.Arn>/${prefix}*`;
  const imported = owner.resolve(owner.exportValue(bucket.bucketArn)) as { 'Fn::ImportValue': string };
  return `${imported['Fn::ImportValue']}/${prefix}*`;
}

/**
 * Acknowledges cdk-nag's IAM5 finding on the object ARNs of the buckets a role was granted
 * (`buckets/NAME/PREFIX/:ACCESS`), one id per bucket and prefix: the wildcard is the object part of
 * that bucket under that prefix. Any other wildcard on the role (another bucket, the whole bucket,
 * `*`) has another id and stays reported.
 */
export function acknowledgeBucketObjects(role: IConstruct, owner: string, permissions: readonly PermissionPlan[], buckets: Readonly<Record<string, s3.IBucket>>): void {
  for (const p of permissions) {
    if (p.kind !== 'bucket') continue;
    const bucket = buckets[p.bucket];
    if (!bucket) continue;
    const existing = !(bucket.node.defaultChild instanceof s3.CfnBucket);
    acknowledge(role, `AwsSolutions-IAM5[Resource::${bucketObjectsFinding(bucket, p.prefix, role)}]`,
      `Object actions act on object ARNs: ${owner} may ${p.access} only the objects under ${p.prefix || 'the root of'} `
      + `${existing ? `the existing bucket ${bucket.bucketName}` : `the bucket ${p.bucket} of the spec`}/, nothing else.`);
  }
}

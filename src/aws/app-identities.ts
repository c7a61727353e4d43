/**
 * Pod Identity roles of apps with AWS access (`talksTo: [s3:BUCKET]`): trusted by
 * pods.eks.amazonaws.com, holding exactly the S3 actions plinth grants on exactly the buckets the app
 * named. They live in the data stack, next to the buckets, so policies name the buckets directly;
 * the associations binding them to service accounts are in the cluster stack (workloads.ts).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { S3_ACTIONS } from '../plan/apps.js';
import type { Plan } from '../plan/types.js';
import { acknowledge } from './acknowledge.js';
import { POD_IDENTITY_PRINCIPAL } from './cluster/pod-identity-role.js';
import { constructIdOf } from './construct-id.js';

export interface AppIdentitiesProps {
  readonly plan: Plan;
  /** Buckets by plan name. */
  readonly buckets: Readonly<Record<string, s3.Bucket>>;
}

export class AppIdentities extends Construct {
  /** Roles by app name. */
  readonly roles: Readonly<Record<string, iam.Role>>;

  constructor(scope: Construct, id: string, props: AppIdentitiesProps) {
    super(scope, id);
    const { plan } = props;
    const apps = plan.workloads?.apps.filter((a) => a.awsAccess.length > 0) ?? [];
    this.roles = Object.fromEntries(apps.map((app) => {
      const role = new iam.Role(this, constructIdOf(app.name), {
        description: `plinth ${plan.platform.name}/${plan.platform.environment}: ${app.ref} in ${app.namespace} (Pod Identity)`,
        assumedBy: new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL).withSessionTags(),
      });
      for (const access of app.awsAccess) {
        const bucket = props.buckets[access.resource]!;
        const sid = constructIdOf(access.resource).replace(/-/g, '');
        role.addToPolicy(new iam.PolicyStatement({ sid: `${sid}Objects`, actions: access.actions.filter((a) => a !== 's3:ListBucket'), resources: [bucket.arnForObjects('*')] }));
        role.addToPolicy(new iam.PolicyStatement({ sid: `${sid}List`, actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
        const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
        acknowledge(role, `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
          `Object actions act on the objects of the bucket (BUCKET_ARN/*): ${app.ref} gets only ${S3_ACTIONS.join(', ')} on `
          + `the buckets its talksTo names (${app.awsAccess.map((a) => a.ref).join(', ')}), and nothing else.`);
      }
      return [app.name, role];
    }));
  }
}

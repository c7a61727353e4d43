/**
 * Pod Identity roles of apps with AWS access (`talksTo: [s3:BUCKET]`): trusted by
 * pods.eks.amazonaws.com, holding exactly the S3 actions plinth grants on exactly the buckets the app
 * named. They live in the data stack, next to the buckets, so policies name the buckets directly;
 * the associations binding them to service accounts are in the cluster stack (workloads.ts). An
 * existing bucket (data.buckets.NAME.existing) is named by its ARN, like one the stack creates.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { S3_ACTIONS } from '../plan/apps.js';
import type { AppPlan } from '../plan/workloads.js';
import { acknowledge } from './acknowledge.js';
import { POD_IDENTITY_PRINCIPAL } from './cluster/pod-identity-role.js';
import { constructIdOf } from './construct-id.js';
import { bucketObjectsFinding } from './permission-statements.js';

/** What a role is made from: the app's name, reference, namespace and the access it was granted. */
export type AppIdentity = Pick<AppPlan, 'name' | 'ref' | 'namespace' | 'awsAccess'>;

export interface AppIdentitiesProps {
  /** `plinth nemo/prod`, the start of every role's description. */
  readonly label: string;
  /** Apps of the plan; those with no AWS access get no role. */
  readonly apps: readonly AppIdentity[];
  /** Buckets by plan name: created by the data stack, or existing ones referenced by name. */
  readonly buckets: Readonly<Record<string, s3.IBucket>>;
}

export class AppIdentities extends Construct {
  /** Roles by app name. */
  readonly roles: Readonly<Record<string, iam.Role>>;

  constructor(scope: Construct, id: string, props: AppIdentitiesProps) {
    super(scope, id);
    const apps = props.apps.filter((a) => a.awsAccess.length > 0);
    this.roles = Object.fromEntries(apps.map((app) => {
      const role = new iam.Role(this, constructIdOf(app.name), {
        description: `${props.label}: ${app.ref} in ${app.namespace} (Pod Identity)`,
        assumedBy: new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL).withSessionTags(),
      });
      for (const access of app.awsAccess) {
        const bucket = props.buckets[access.resource];
        if (!bucket) throw new Error(`E_NO_BUCKET: ${app.ref} talks to ${access.ref}, but no bucket "${access.resource}" was given; buckets: ${Object.keys(props.buckets).join(', ') || 'none'}.`);
        const sid = constructIdOf(access.resource).replace(/-/g, '');
        role.addToPolicy(new iam.PolicyStatement({ sid: `${sid}Objects`, actions: access.actions.filter((a) => a !== 's3:ListBucket'), resources: [bucket.arnForObjects('*')] }));
        role.addToPolicy(new iam.PolicyStatement({ sid: `${sid}List`, actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
        acknowledge(role, `AwsSolutions-IAM5[Resource::${bucketObjectsFinding(bucket, '')}]`,
          `Object actions act on the objects of the bucket (BUCKET_ARN/*): ${app.ref} gets only ${S3_ACTIONS.join(', ')} on `
          + `the buckets its talksTo names (${app.awsAccess.map((a) => a.ref).join(', ')}), and nothing else.`);
      }
      return [app.name, role];
    }));
  }
}

/**
 * IAM roles for Pod Identity: trusted by the EKS Pod Identity service (which also tags the session with
 * the cluster, namespace and service account), holding exactly one AWS managed policy.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';

export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

export function podIdentityRoleWithManagedPolicy(scope: Construct, id: string, props: { readonly managedPolicy: string; readonly description: string }): iam.Role {
  const role = new iam.Role(scope, id, {
    description: props.description,
    // Pod Identity calls AssumeRole and TagSession; withSessionTags adds the latter.
    assumedBy: new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL).withSessionTags(),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(props.managedPolicy)],
  });
  acknowledge(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${props.managedPolicy}]`,
    `${props.managedPolicy} is the policy AWS publishes for this EKS add-on and updates with each driver release; a copy would miss `
    + 'the permissions new driver versions call.');
  return role;
}

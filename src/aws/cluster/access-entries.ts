/**
 * Who may use the Kubernetes API, as EKS access entries (the cluster's authentication mode is API, so
 * there is no aws-auth ConfigMap to race with): admins get AmazonEKSClusterAdminPolicy on the whole
 * cluster; team members get the Kubernetes group their team's RoleBindings name, and nothing else.
 *
 * Entries for IAM ARNs written in the spec live with the cluster. Entries for plinth's own hosts
 * (`mgmt/NAME`, `bastion`) live with the hosts, whose roles exist only in the compute stack; they name the
 * cluster by its literal name, and the compute stack is deployed after the cluster stack.
 */
import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { AccessEntryPlan, ClusterPlan } from '../../plan/types.js';
import { constructIdOf } from '../construct-id.js';

export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

export interface AccessEntriesProps {
  /** The cluster's name; a literal lets the entries live in another stack than the cluster. */
  readonly clusterName: string;
  /** Each planned entry with the ARN of its principal (an ARN from the spec, or a host's role). */
  readonly entries: readonly { readonly plan: AccessEntryPlan; readonly principalArn: string }[];
}

export class AccessEntries extends Construct {
  readonly entries: readonly eks.CfnAccessEntry[];

  constructor(scope: Construct, id: string, props: AccessEntriesProps) {
    super(scope, id);
    this.entries = props.entries.map(({ plan, principalArn }) => new eks.CfnAccessEntry(this, constructIdOf(plan.id), {
      clusterName: props.clusterName,
      principalArn,
      type: 'STANDARD',
      kubernetesGroups: plan.kubernetesGroups.length > 0 ? [...plan.kubernetesGroups] : undefined,
      accessPolicies: plan.clusterAdmin
        ? [{ policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`, accessScope: { type: 'cluster' } }]
        : undefined,
    }));
  }
}

/** Entries for IAM ARNs written in the spec, with those ARNs. */
export function specPrincipalEntries(cluster: ClusterPlan): { plan: AccessEntryPlan; principalArn: string }[] {
  return cluster.access.flatMap((plan) => (plan.principal.kind === 'arn' ? [{ plan, principalArn: plan.principal.arn }] : []));
}

/** Entries for the roles of plinth's hosts, with the host reference whose role they name. */
export function hostPrincipalEntries(cluster: ClusterPlan): { plan: AccessEntryPlan; hostRef: string }[] {
  return cluster.access.flatMap((plan) => (plan.principal.kind === 'host' ? [{ plan, hostRef: plan.principal.ref }] : []));
}

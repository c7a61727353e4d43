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

/** One IAM principal's access to the cluster. */
export interface AccessEntryGrant {
  /** Stable, readable key of the entry's construct id (`user-jimin`, `mgmt-ops`). */
  readonly id: string;
  /** The principal: an ARN from the spec, or the role of a plinth host. */
  readonly principalArn: string;
  /** AmazonEKSClusterAdminPolicy on the whole cluster. @default false */
  readonly clusterAdmin?: boolean;
  /** Kubernetes groups the principal is mapped to (team RoleBindings name these). @default - none */
  readonly kubernetesGroups?: readonly string[];
}

export interface AccessEntriesProps {
  /** The cluster's name; a literal lets the entries live in another stack than the cluster. */
  readonly clusterName: string;
  /** Who gets access, and which. */
  readonly entries: readonly AccessEntryGrant[];
}

export class AccessEntries extends Construct {
  readonly entries: readonly eks.CfnAccessEntry[];

  constructor(scope: Construct, id: string, props: AccessEntriesProps) {
    super(scope, id);
    this.entries = props.entries.map((entry) => new eks.CfnAccessEntry(this, constructIdOf(entry.id), {
      clusterName: props.clusterName,
      principalArn: entry.principalArn,
      type: 'STANDARD',
      kubernetesGroups: entry.kubernetesGroups?.length ? [...entry.kubernetesGroups] : undefined,
      accessPolicies: entry.clusterAdmin
        ? [{ policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`, accessScope: { type: 'cluster' } }]
        : undefined,
    }));
  }
}

/** Entries for IAM ARNs written in the spec, with those ARNs. */
export function specPrincipalEntries(cluster: ClusterPlan): AccessEntryGrant[] {
  return cluster.access.flatMap((plan) => (plan.principal.kind === 'arn' ? [accessGrant(plan, plan.principal.arn)] : []));
}

/** A planned entry, given the ARN its principal resolved to. */
export function accessGrant(plan: AccessEntryPlan, principalArn: string): AccessEntryGrant {
  return { id: plan.id, principalArn, clusterAdmin: plan.clusterAdmin, kubernetesGroups: plan.kubernetesGroups };
}

/** Entries for the roles of plinth's hosts, with the host reference whose role they name. */
export function hostPrincipalEntries(cluster: ClusterPlan): { plan: AccessEntryPlan; hostRef: string }[] {
  return cluster.access.flatMap((plan) => (plan.principal.kind === 'host' ? [{ plan, hostRef: plan.principal.ref }] : []));
}

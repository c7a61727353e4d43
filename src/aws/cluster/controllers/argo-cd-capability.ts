/**
 * The EKS-managed Argo CD (an EKS Capability, `AWS::EKS::Capability` type ARGOCD): Argo CD runs in
 * AWS-managed infrastructure, not on the nodes, and users sign in through IAM Identity Center (it has
 * no local users, so there is no capability without an IdC instance). It replaces the self-hosted
 * chart as the GitOps engine; plinth still applies the Applications.
 *
 * Unlike the chart, the capability does not deploy to its own cluster until that cluster is registered
 * (a cluster Secret whose `server` is the cluster ARN) and its access entry, which EKS creates for the
 * capability role, is given Kubernetes permissions: both are part of the Applications manifest
 * (argo-cd-applications.ts). EKS accepts only `RETAIN` as the delete propagation policy: deleting the
 * capability leaves what it deployed in place.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ARGO_CD_NAMESPACE } from './argo-cd.js';

export interface ArgoCdCapabilityProps {
  /** The cluster the EKS-managed Argo CD runs for. */
  readonly cluster: eks.ICluster;
  /** ARN of the IAM Identity Center instance users sign in with. */
  readonly idcInstanceArn: string;
  /**
   * Region of the Identity Center instance.
   * @default - the cluster's region
   */
  readonly idcRegion?: string;
  /**
   * Identity Center users and groups per Argo CD role.
   * @default - none: nobody can sign in to the UI until mappings are added
   */
  readonly rbacRoleMappings?: readonly ArgoCdRoleMapping[];
}

export interface ArgoCdRoleMapping {
  /** The Argo CD role granted. */
  readonly role: 'ADMIN' | 'EDITOR' | 'VIEWER';
  /** Identity Center users and groups, by id, that get it. */
  readonly identities: readonly { readonly id: string; readonly type: 'SSO_USER' | 'SSO_GROUP' }[];
}

export interface ArgoCdCapability {
  readonly capability: eks.CfnCapability;
  /** The capability role: EKS creates its access entry; the Applications manifest binds it to RBAC. */
  readonly role: iam.Role;
  /** Where Applications must be created. */
  readonly namespace: string;
}

export function argoCdCapability(scope: Construct, id: string, props: ArgoCdCapabilityProps): ArgoCdCapability {
  const role = new iam.Role(scope, `${id}Role`, {
    description: 'EKS Argo CD capability: assumed by EKS to run Argo CD for this cluster',
    assumedBy: new iam.ServicePrincipal('capabilities.eks.amazonaws.com').withSessionTags(),
  });
  const capability = new eks.CfnCapability(scope, id, {
    capabilityName: 'argocd',
    clusterName: props.cluster.clusterName,
    type: 'ARGOCD',
    roleArn: role.roleArn,
    deletePropagationPolicy: 'RETAIN',
    configuration: {
      argoCd: {
        namespace: ARGO_CD_NAMESPACE,
        awsIdc: { idcInstanceArn: props.idcInstanceArn, ...(props.idcRegion ? { idcRegion: props.idcRegion } : {}) },
        ...(props.rbacRoleMappings?.length
          ? { rbacRoleMappings: props.rbacRoleMappings.map((m) => ({ role: m.role, identities: m.identities.map((i) => ({ id: i.id, type: i.type })) })) }
          : {}),
      },
    },
  });
  return { capability, role, namespace: ARGO_CD_NAMESPACE };
}

/**
 * EKS managed add-ons, in the plan's order, at the plan's pinned versions. Add-ons nodes need to become
 * Ready (vpc-cni, kube-proxy, the Pod Identity agent) are created before the node groups, which depend
 * on them; the rest after every node group, so none sits DEGRADED waiting for a node while
 * CloudFormation waits for it. Conflicts with what is already on the cluster are overwritten: the
 * add-on's own configuration is the only one plinth means.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { AddonPlan } from '../../plan/types.js';
import { constructIdOf } from '../construct-id.js';
import { podIdentityRoleWithManagedPolicy } from './pod-identity-role.js';

export interface AddonsProps {
  /** The cluster the add-ons are installed on. */
  readonly cluster: eks.ICluster;
  /** The cluster's name as a literal (the cluster's own is a token), in each Pod Identity role's description. */
  readonly clusterName: string;
  /** The add-ons, in installation order, each pinned to its version. */
  readonly addons: readonly AddonPlan[];
  /** `plinth <platform>/<environment>`, at the start of each role's description. */
  readonly label: string;
}

export class Addons extends Construct {
  /** Add-ons the node groups depend on. */
  readonly beforeNodes: readonly eks.CfnAddon[];
  /** Add-ons that depend on every node group. */
  readonly afterNodes: readonly eks.CfnAddon[];

  constructor(scope: Construct, id: string, props: AddonsProps) {
    super(scope, id);
    const created = props.addons.map((addon) => [addon, this.addAddon(addon, props)] as const);
    this.beforeNodes = created.filter(([a]) => a.phase === 'beforeNodes').map(([, cfn]) => cfn);
    this.afterNodes = created.filter(([a]) => a.phase === 'afterNodes').map(([, cfn]) => cfn);
  }

  /** Makes every node group wait for the add-ons before it, and the add-ons after it wait for every node group. */
  orderAround(nodegroups: readonly Construct[]): void {
    for (const nodegroup of nodegroups) {
      for (const addon of this.beforeNodes) nodegroup.node.addDependency(addon);
      for (const addon of this.afterNodes) addon.node.addDependency(nodegroup);
    }
  }

  private addAddon(addon: AddonPlan, props: AddonsProps): eks.CfnAddon {
    const id = constructIdOf(addon.name);
    const role = addon.podIdentity && podIdentityRoleWithManagedPolicy(this, `${id}Role`, {
      managedPolicy: addon.podIdentity.managedPolicy,
      description: `${props.label}: ${addon.name} add-on (${addon.podIdentity.serviceAccount}) in cluster ${props.clusterName}`,
    });
    return new eks.CfnAddon(this, id, {
      clusterName: props.cluster.clusterName,
      addonName: addon.name,
      addonVersion: addon.version,
      resolveConflicts: 'OVERWRITE',
      podIdentityAssociations: role && addon.podIdentity ? [{ roleArn: role.roleArn, serviceAccount: addon.podIdentity.serviceAccount }] : undefined,
      configurationValues: addon.configuration ? JSON.stringify(addon.configuration) : undefined,
    });
  }
}

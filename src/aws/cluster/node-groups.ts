/**
 * Managed node groups, one launch template each: IMDSv2 only, an encrypted gp3 root volume of the
 * planned size, the key pair if any, and the `cluster/nodes` security group from the network (so every
 * node, and every pod on it, gets exactly the rules the plan's flows give that endpoint). All groups
 * share one node role.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { NODES } from '../../plan/cluster.js';
import type { NodeGroupPlan } from '../../plan/types.js';
import { acknowledge } from '../acknowledge.js';
import { GPU_NODE_LABELS } from './controllers/index.js';
import { constructIdOf } from '../construct-id.js';
import type { PlatformNetwork } from '../platform-network.js';

export interface NodeGroupsProps {
  /** The cluster the groups join. */
  readonly cluster: eks.ICluster;
  /** The cluster's name as a literal (the cluster's own is a token): in the node role's description and node Name tags. */
  readonly clusterName: string;
  /** The groups, each with its own launch template; all share one node role. */
  readonly nodeGroups: readonly NodeGroupPlan[];
  /** The groups' subnets (by plan subnet id) and the `cluster/nodes` security group. */
  readonly network: PlatformNetwork;
  /** `plinth <platform>/<environment>`, at the start of the node role's description. */
  readonly label: string;
}

/**
 * Why each node role policy is there. AmazonEKS_CNI_Policy stays on the node role because aws-node
 * assigns pod addresses before any Pod Identity credentials can reach it (plan/cluster-addons.ts).
 */
const NODE_POLICIES: Readonly<Record<string, string>> = {
  AmazonEKSWorkerNodePolicy: 'lets the kubelet describe the node and join the cluster',
  AmazonEKS_CNI_Policy: 'lets the VPC CNI attach network interfaces and addresses for pods',
  AmazonEC2ContainerRegistryReadOnly: 'lets the node pull images from ECR',
  AmazonSSMManagedInstanceCore: 'Session Manager access to nodes instead of open SSH ports',
};

const TAINT_EFFECT = {
  NoSchedule: eks.TaintEffect.NO_SCHEDULE,
  PreferNoSchedule: eks.TaintEffect.PREFER_NO_SCHEDULE,
  NoExecute: eks.TaintEffect.NO_EXECUTE,
} as const;

export class NodeGroups extends Construct {
  readonly role: iam.Role;
  /** By plan name. */
  readonly groups: ReadonlyMap<string, eks.Nodegroup>;

  constructor(scope: Construct, id: string, props: NodeGroupsProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'NodeRole', {
      description: `${props.label}: EKS nodes of cluster ${props.clusterName}`,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: Object.keys(NODE_POLICIES).map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    for (const [policy, why] of Object.entries(NODE_POLICIES)) {
      acknowledge(this.role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        `${policy} ${why}; it is the AWS-maintained policy EKS documents for node roles, updated as EKS changes.`);
    }
    const securityGroup = props.network.securityGroup(NODES);
    this.groups = new Map(props.nodeGroups.map((g) => [g.name, this.addGroup(g, props, securityGroup)]));
  }

  private addGroup(group: NodeGroupPlan, props: NodeGroupsProps, securityGroup: ec2.ISecurityGroup): eks.Nodegroup {
    // Ids come from the group's name, so renaming a group replaces it and reordering never does.
    const scope = new Construct(this, constructIdOf(group.name));
    const template = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
      securityGroup,
      keyPair: group.keyPair ? ec2.KeyPair.fromKeyPairName(scope, 'KeyPair', group.keyPair) : undefined,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpEndpoint: true,
      // 2, as in the launch template EKS itself generates: hostNetwork agents reach IMDS through it.
      httpPutResponseHopLimit: 2,
      blockDevices: [{
        deviceName: dataDeviceName(group),
        volume: ec2.BlockDeviceVolume.ebs(group.diskGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
      }],
    });
    // Nodes and their volumes are named after the cluster and group (the template's tags reach them).
    Tags.of(template).add('Name', `${props.clusterName}-${group.name}`);
    const nodegroup = new eks.Nodegroup(scope, 'Nodegroup', {
      cluster: props.cluster,
      // A named group cannot be replaced in place; plinth plan refuses that unless the name changes too.
      nodegroupName: group.nodegroupName,
      nodeRole: this.role,
      subnets: { subnets: group.subnets.map((id) => props.network.subnet(id)) },
      amiType: group.amiType as eks.NodegroupAmiType,
      capacityType: group.capacity === 'SPOT' ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredSize: group.desiredSize,
      // The NVIDIA device plugin runs where these labels are (Bottlerocket's NVIDIA AMIs ship their own plugin).
      labels: { ...(group.gpu && group.amiType.startsWith('AL2023') ? GPU_NODE_LABELS : {}), ...group.labels },
      taints: group.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })),
      launchTemplateSpec: { id: template.launchTemplateId!, version: template.latestVersionNumber },
    });
    // Instance types are set on the resource rather than through the construct, whose own AMI check
    // does not know newer accelerated families (p5, g6e, trn1); the plan has checked them against the AMI type.
    (nodegroup.node.defaultChild as eks.CfnNodegroup).instanceTypes = [...group.instanceTypes];
    return nodegroup;
  }
}

/** AL2023 boots from /dev/xvda; Bottlerocket keeps images and pods on its data volume, /dev/xvdb. */
function dataDeviceName(group: NodeGroupPlan): string {
  return group.amiType.startsWith('BOTTLEROCKET') ? '/dev/xvdb' : '/dev/xvda';
}

/** The control plane, NodeGroups and Addons from their narrow props: an imported cluster and a few plans in a bare stack, no Plan. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { describe, expect, it } from 'vitest';
import { Addons } from '../../../src/aws/cluster/addons.js';
import { newControlPlane } from '../../../src/aws/cluster/control-plane.js';
import { NodeGroups } from '../../../src/aws/cluster/node-groups.js';
import type { AddonPlan, NodeGroupPlan } from '../../../src/plan/types.js';
import { bareNetwork, bareStack } from './bare.js';

const gpu: NodeGroupPlan = {
  ref: 'cluster/nodeGroups/gpu', name: 'gpu', instanceTypes: ['g6e.xlarge'], capacity: 'SPOT', minSize: 0, maxSize: 2, desiredSize: 1,
  diskGiB: 200, labels: { team: 'ml' }, taints: [{ key: 'nvidia.com/gpu', value: undefined, effect: 'NoSchedule' }],
  amiType: 'BOTTLEROCKET_x86_64_NVIDIA', architecture: 'x86_64', gpu: true, tier: 'private', subnets: ['private-b'], keyPair: undefined, nodegroupName: undefined,
};
const addon = (name: string, phase: AddonPlan['phase'], podIdentity?: AddonPlan['podIdentity']): AddonPlan => ({
  name, version: 'v1.0.0-eksbuild.1', phase, podIdentity, configuration: undefined,
});

function clusterStack() {
  const stack = bareStack('Cluster');
  const network = bareNetwork(stack);
  return { stack, network, cluster: eks.Cluster.fromClusterAttributes(stack, 'Eks', { clusterName: 'shop-prod', vpc: network.vpc }) };
}

describe('NodeGroups', () => {
  it('GIVEN a Bottlerocket GPU group WHEN synthesized THEN its launch template encrypts the data volume, it has its subnet, taint and Name', () => {
    const { stack, network, cluster } = clusterStack();
    const groups = new NodeGroups(stack, 'NodeGroups', { cluster, clusterName: 'shop-prod', nodeGroups: [gpu], network, label: 'plinth shop/prod' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: 'shop-prod', CapacityType: 'SPOT', InstanceTypes: ['g6e.xlarge'], AmiType: 'BOTTLEROCKET_x86_64_NVIDIA',
      Subnets: [network.subnet('private-b').subnetId],
      ScalingConfig: { MinSize: 0, MaxSize: 2, DesiredSize: 1 },
      Taints: [{ Key: 'nvidia.com/gpu', Effect: 'NO_SCHEDULE' }],
      Labels: { team: 'ml' },
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [{ DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 200, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
      }),
      TagSpecifications: Match.arrayWith([Match.objectLike({ Tags: Match.arrayWith([{ Key: 'Name', Value: 'shop-prod-gpu' }]) })]),
    });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'plinth shop/prod: EKS nodes of cluster shop-prod' });
    expect([...groups.groups.keys()]).toEqual(['gpu']);
  });
});

describe('Addons', () => {
  it('GIVEN add-ons before and after nodes WHEN ordered around a group THEN the group waits for the first and the second for the group', () => {
    const { stack, network, cluster } = clusterStack();
    const addons = new Addons(stack, 'Addons', {
      cluster, clusterName: 'shop-prod', label: 'plinth shop/prod',
      addons: [addon('vpc-cni', 'beforeNodes'), addon('aws-ebs-csi-driver', 'afterNodes', { serviceAccount: 'ebs-csi-controller-sa', managedPolicy: 'service-role/AmazonEBSCSIDriverPolicy' })],
    });
    const groups = new NodeGroups(stack, 'NodeGroups', { cluster, clusterName: 'shop-prod', nodeGroups: [gpu], network, label: 'plinth shop/prod' });
    addons.orderAround([...groups.groups.values()]);
    const template = Template.fromStack(stack);
    const ids = (type: string) => Object.keys(template.findResources(type));
    const [cni, ebs] = [stack.getLogicalId(addons.beforeNodes[0]!), stack.getLogicalId(addons.afterNodes[0]!)];
    const [nodegroup] = ids('AWS::EKS::Nodegroup');
    expect(template.toJSON().Resources[nodegroup!].DependsOn).toContain(cni);
    expect(template.toJSON().Resources[ebs].DependsOn).toContain(nodegroup);
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-ebs-csi-driver', ClusterName: 'shop-prod', ResolveConflicts: 'OVERWRITE',
      PodIdentityAssociations: [{ ServiceAccount: 'ebs-csi-controller-sa', RoleArn: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'plinth shop/prod: aws-ebs-csi-driver add-on (ebs-csi-controller-sa) in cluster shop-prod' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', PodIdentityAssociations: Match.absent() });
  });
});

describe('newControlPlane', () => {
  const required = { clusterName: 'shop-prod', version: '1.34', subnets: ['private-a', 'private-b'], serviceIpv4Cidr: '172.20.0.0/16', label: 'plinth shop/prod' } as const;

  it('GIVEN only the required fields WHEN synthesized THEN the safe defaults: private endpoint, all logs kept 30 days, encrypted secrets, standard support', () => {
    const stack = bareStack('Cluster');
    newControlPlane(stack, { ...required, network: bareNetwork(stack) });
    const template = Template.fromStack(stack);
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'RetainExceptOnCreate', Properties: { LogGroupName: '/aws/eks/shop-prod/cluster', RetentionInDays: 30 },
    });
    template.hasResource('AWS::EKS::Cluster', {
      DependsOn: Match.arrayWith([logGroupId]),
      Properties: Match.objectLike({
        Name: 'shop-prod', Version: '1.34',
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
        Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'audit' }]) } },
        KubernetesNetworkConfig: Match.objectLike({ ServiceIpv4Cidr: '172.20.0.0/16' }),
        UpgradePolicy: { SupportType: 'STANDARD' },
        EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'plinth shop/prod: envelope encryption of Kubernetes secrets in EKS cluster shop-prod' });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('GIVEN a public CIDR, one log type and no secrets encryption THEN exactly that', () => {
    const stack = bareStack('Cluster');
    newControlPlane(stack, { ...required, network: bareNetwork(stack), publicAccessCidrs: ['203.0.113.0/24'], logTypes: ['api'], secretsEncryption: false, supportType: 'EXTENDED' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }] } },
      UpgradePolicy: { SupportType: 'EXTENDED' },
      EncryptionConfig: Match.absent(),
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });
});

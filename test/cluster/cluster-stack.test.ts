/**
 * The cluster stack of the two EKS seeds, as CloudFormation: control plane settings, add-on order and
 * versions, node groups and their launch templates, access entries, team RBAC, the security groups of
 * seed 001 and the Lambda budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDON_VERSIONS } from '../../src/plan/cluster-addons.js';
import { planFromYaml } from '../support.js';
import { only, resources, synthExample, synthPlan, type SynthesizedPlatform } from './support.js';

/** Every ingress rule of the network stack as `<to> <- <from> <proto> <from>-<to>`, using the groups' endpoint refs. */
function ingressRules(network: Template): string[] {
  const refOf = new Map(resources(network, 'AWS::EC2::SecurityGroup').map(([id, r]) => [id, String(r.Properties.GroupDescription).replace(/^.*: /, '')]));
  return resources(network, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => {
    const p = r.Properties;
    const to = refOf.get(p.GroupId['Fn::GetAtt'][0]);
    const from = p.SourceSecurityGroupId ? refOf.get(p.SourceSecurityGroupId['Fn::GetAtt'][0]) : p.CidrIp;
    const ports = p.IpProtocol === '-1' ? 'all' : `${p.IpProtocol} ${p.FromPort}-${p.ToPort}`;
    return `${to} <- ${from} ${ports}`;
  }).sort();
}

function dependsOn(template: Template, logicalId: string): string[] {
  return (template.toJSON().Resources[logicalId].DependsOn ?? []) as string[];
}

describe('seed 001 (nemo-v3): the cluster stack', () => {
  let nemo: SynthesizedPlatform;
  let cluster: Template;
  beforeAll(() => {
    // GIVEN the nemo-v3 example  WHEN it is synthesized
    nemo = synthExample('nemo-v3');
    cluster = nemo.templates.cluster;
  });

  it('creates the cluster named as in the seed, Kubernetes 1.33, private endpoint, API authentication only', () => {
    cluster.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'nemo_EKS_kluster',
      Version: '1.33',
      AccessConfig: { AuthenticationMode: 'API' },
      BootstrapSelfManagedAddons: false,
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
    });
  });

  it('writes the support type the spec chose (extended, for 1.33 past its standard support)', () => {
    cluster.hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'EXTENDED' } });
  });

  it('encrypts secrets with a KMS key of its own that rotates, usable by the cluster role', () => {
    const [keyId, key] = only(cluster, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    cluster.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }] });
    cluster.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } })]) },
    });
  });

  it('keeps control-plane logs 30 days in the group EKS writes to, created before the cluster', () => {
    const [logId, log] = only(cluster, 'AWS::Logs::LogGroup');
    expect(log.Properties).toMatchObject({ LogGroupName: '/aws/eks/nemo_EKS_kluster/cluster', RetentionInDays: 30 });
    const [clusterId] = only(cluster, 'AWS::EKS::Cluster');
    expect(dependsOn(cluster, clusterId)).toContain(logId);
  });

  it('creates vpc-cni, kube-proxy and the Pod Identity agent before the node group, and the other add-ons after it', () => {
    const [nodegroupId] = only(cluster, 'AWS::EKS::Nodegroup');
    const addonId = (name: string) => only(cluster, 'AWS::EKS::Addon', { AddonName: name })[0];
    expect(dependsOn(cluster, nodegroupId).sort()).toEqual(['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].map(addonId).sort());
    for (const name of ['coredns', 'aws-ebs-csi-driver', 'metrics-server']) expect(dependsOn(cluster, addonId(name)), name).toContain(nodegroupId);
    for (const name of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) expect(dependsOn(cluster, addonId(name)), name).not.toContain(nodegroupId);
  });

  it('pins every add-on to its version for 1.33 and overwrites conflicts', () => {
    const versions = Object.fromEntries(resources(cluster, 'AWS::EKS::Addon').map(([, r]) => [r.Properties.AddonName, r.Properties.AddonVersion]));
    expect(versions).toEqual({
      'vpc-cni': 'v1.22.3-eksbuild.1',
      'kube-proxy': 'v1.33.10-eksbuild.13',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
      coredns: 'v1.12.4-eksbuild.18',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'metrics-server': 'v0.8.1-eksbuild.5',
    });
    cluster.allResourcesProperties('AWS::EKS::Addon', { ResolveConflicts: 'OVERWRITE' });
  });

  it('turns on the VPC CNI network policy agent, so the rendered NetworkPolicies are enforced', () => {
    const [, cni] = only(cluster, 'AWS::EKS::Addon', { AddonName: 'vpc-cni' });
    expect(JSON.parse(cni.Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
  });

  it('gives the EBS CSI driver a Pod Identity role holding only AmazonEBSCSIDriverPolicy', () => {
    const [, addon] = only(cluster, 'AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' });
    const [association] = addon.Properties.PodIdentityAssociations;
    expect(association.ServiceAccount).toBe('ebs-csi-controller-sa');
    const role = cluster.toJSON().Resources[association.RoleArn['Fn::GetAtt'][0]];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } },
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AmazonEBSCSIDriverPolicy');
  });

  it('runs one node group of three fixed on-demand t3.large nodes on AL2023 in the three private subnets', () => {
    const [, nodegroup] = only(cluster, 'AWS::EKS::Nodegroup');
    expect(nodegroup.Properties).toMatchObject({
      InstanceTypes: ['t3.large'],
      AmiType: 'AL2023_x86_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      ScalingConfig: { MinSize: 3, MaxSize: 3, DesiredSize: 3 },
    });
    expect(JSON.stringify(nodegroup.Properties.Subnets)).toMatch(/NetworkPrivateASubnet.*NetworkPrivateBSubnet.*NetworkPrivateCSubnet/);
    expect(nodegroup.Properties.DiskSize).toBeUndefined();
  });

  it('launches nodes from a template: IMDSv2 only, encrypted 20 GiB gp3, the seed key pair, the cluster/nodes security group', () => {
    const [templateId, template] = only(cluster, 'AWS::EC2::LaunchTemplate');
    expect(templateId).toMatch(/^ClusterNodeGroupsMainLaunchTemplate/);
    const data = template.Properties.LaunchTemplateData;
    expect(data.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    expect(data.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }]);
    expect(data.KeyName).toBe('nemo-key');
    expect(JSON.stringify(data.SecurityGroupIds)).toContain('NetworkSecurityGroupsClusterNodes');
    expect(data.IamInstanceProfile).toBeUndefined();
    expect(data.ImageId).toBeUndefined();
    cluster.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: templateId }, Version: { 'Fn::GetAtt': [templateId, 'LatestVersionNumber'] } },
    });
  });

  it('gives the control plane the cluster/controlPlane security group from the network stack', () => {
    cluster.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { SecurityGroupIds: [{ 'Fn::ImportValue': Match.stringLikeRegexp('NetworkSecurityGroupsClusterControlPlane') }] },
    });
    // No security group or rule of its own: they all live in the network stack.
    expect(resources(cluster).filter(([, r]) => r.Type.startsWith('AWS::EC2::SecurityGroup'))).toEqual([]);
  });

  it('grants the bastion cluster admin through an access entry in the compute stack, and has no aws-auth ConfigMap anywhere', () => {
    nemo.templates.compute.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'nemo_EKS_kluster',
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HostsBastionRole'), 'Arn'] },
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] } }],
    });
    for (const template of Object.values(nemo.templates)) expect(JSON.stringify(template.toJSON())).not.toContain('aws-auth');
  });

  it('applies an encrypted gp3 default StorageClass', () => {
    const manifests = resources(cluster, 'Custom::AWSCDK-EKS-KubernetesResource').map(([, r]) => JSON.stringify(r.Properties.Manifest));
    const baseline = manifests.find((m) => m.includes('StorageClass'))!;
    expect(baseline).toContain('\\"storageclass.kubernetes.io/is-default-class\\":\\"true\\"');
    expect(baseline).toContain('\\"parameters\\":{\\"type\\":\\"gp3\\",\\"encrypted\\":\\"true\\"');
    expect(baseline).toContain('\\"provisioner\\":\\"ebs.csi.aws.com\\"');
  });

  it('spends at most 12 custom resources and 4 Lambda functions on the whole platform', () => {
    const all = Object.values(nemo.templates).flatMap((t) => resources(t));
    const custom = all.filter(([, r]) => r.Type.startsWith('Custom::'));
    const functions = all.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(custom.length).toBeGreaterThan(0);
    expect(custom.length).toBeLessThanOrEqual(12);
    expect(functions.length).toBe(2);
  });
});

describe('seed 001 (nemo-v3): the network glue', () => {
  let rules: string[];
  let network: Template;
  beforeAll(() => {
    const nemo = synthExample('nemo-v3');
    network = nemo.templates.network;
    rules = ingressRules(network);
  });

  it('admits MySQL 3306 only from the cluster nodes', () => {
    expect(rules.filter((r) => r.startsWith('db/main <-'))).toEqual(['db/main <- cluster/nodes tcp 3306-3306']);
  });

  it('admits the AI API 8000-8002 only from the cluster nodes, and SSH only from the bastion', () => {
    for (const server of ['servers/ai-vllm', 'servers/ai-fastapi']) {
      const mine = rules.filter((r) => r.startsWith(`${server} <-`));
      expect(mine).toEqual(expect.arrayContaining([`${server} <- bastion tcp 22-22`, `${server} <- cluster/nodes tcp 8000-8002`]));
      // Workloads may name a port in that range again (talksTo); never another source.
      expect(mine.filter((r) => r !== `${server} <- bastion tcp 22-22` && !r.startsWith(`${server} <- cluster/nodes tcp 800`))).toEqual([]);
    }
  });

  it('admits Kafka 9094 and NodePorts from the AI servers, SSH from the bastion, and what EKS needs on the nodes', () => {
    const nodeRules = rules.filter((r) => r.startsWith('cluster/nodes <-'));
    const sources = new Set(nodeRules.map((r) => r.split(' ')[2]));
    expect([...sources].sort()).toEqual(['bastion', 'cluster/controlPlane', 'cluster/nodes', 'lb/public', 'servers/ai-fastapi', 'servers/ai-vllm']);
    // The public ALB reaches the frontend and backend pods (both on 8080), and nothing else.
    expect(nodeRules.filter((r) => r.startsWith('cluster/nodes <- lb/public '))).toEqual(['cluster/nodes <- lb/public tcp 8080-8080']);
    expect(nodeRules.filter((r) => r.startsWith('cluster/nodes <- bastion '))).toEqual(['cluster/nodes <- bastion tcp 22-22']);
    expect(nodeRules).toEqual(expect.arrayContaining([
      'cluster/nodes <- bastion tcp 22-22',
      'cluster/nodes <- cluster/controlPlane tcp 10250-10250',
      'cluster/nodes <- cluster/controlPlane tcp 10251-10251',
      'cluster/nodes <- cluster/controlPlane tcp 443-443',
      'cluster/nodes <- cluster/controlPlane tcp 4443-4443',
      'cluster/nodes <- cluster/controlPlane tcp 8443-8443',
      'cluster/nodes <- cluster/controlPlane tcp 9443-9443',
      'cluster/nodes <- cluster/nodes all',
      'cluster/nodes <- servers/ai-fastapi tcp 30000-32767',
      'cluster/nodes <- servers/ai-fastapi tcp 9094-9094',
      'cluster/nodes <- servers/ai-vllm tcp 30000-32767',
      'cluster/nodes <- servers/ai-vllm tcp 9094-9094',
    ]));
  });

  it('admits the Kubernetes API (443) from the nodes and the bastion only', () => {
    expect(rules.filter((r) => r.startsWith('cluster/controlPlane <-'))).toEqual([
      'cluster/controlPlane <- bastion tcp 443-443',
      'cluster/controlPlane <- cluster/nodes tcp 443-443',
    ]);
  });

  it('tags every subnet for the cluster, and public/private subnets for load balancers', () => {
    const subnets = resources(network, 'AWS::EC2::Subnet').map(([, r]) => Object.fromEntries((r.Properties.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value])));
    expect(subnets).toHaveLength(5);
    for (const tags of subnets) expect(tags['kubernetes.io/cluster/nemo_EKS_kluster']).toBeDefined();
    expect(subnets.filter((t) => t['kubernetes.io/role/elb'] === '1')).toHaveLength(2);
    expect(subnets.filter((t) => t['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(3);
  });
});

describe('seed 004 (three-tier-eks)', () => {
  let seed: SynthesizedPlatform;
  beforeAll(() => {
    seed = synthExample('three-tier-eks');
  });

  it('chooses standard support by default, so the cluster is upgraded instead of billed for extended support', () => {
    seed.templates.cluster.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.36', UpgradePolicy: { SupportType: 'STANDARD' }, KubernetesNetworkConfig: { ServiceIpv4Cidr: '172.20.0.0/16' } });
  });

  it('pins the add-ons for 1.36 from the version calendar', () => {
    for (const [, r] of resources(seed.templates.cluster, 'AWS::EKS::Addon')) {
      expect(r.Properties.AddonVersion, r.Properties.AddonName).toBe(ADDON_VERSIONS[r.Properties.AddonName as keyof typeof ADDON_VERSIONS]['1.36']);
    }
    seed.templates.cluster.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: 'v1.36.0-eksbuild.14' });
  });

  it('maps jimin to the developer group with an access entry that grants nothing else', () => {
    const [, entry] = only(seed.templates.cluster, 'AWS::EKS::AccessEntry', { PrincipalArn: 'arn:aws:iam::111122223333:user/jimin' });
    expect(entry.Properties).toMatchObject({ Type: 'STANDARD', KubernetesGroups: ['plinth:team:developer'] });
    expect(entry.Properties.AccessPolicies).toBeUndefined();
  });

  it('creates the developer Role in namespace app and binds it to the team group, in one manifest', () => {
    const manifests = resources(seed.templates.cluster, 'Custom::AWSCDK-EKS-KubernetesResource');
    const objects = manifests.flatMap(([, r]) => JSON.parse(r.Properties.Manifest) as { kind: string; metadata: { name: string; namespace?: string }; rules?: { resources: string[]; verbs: string[] }[]; subjects?: unknown[] }[]);
    const role = objects.find((o) => o.kind === 'Role')!;
    expect(role.metadata).toMatchObject({ name: 'developer', namespace: 'app' });
    const deployments = role.rules!.find((r) => r.resources.includes('deployments'))!;
    expect(deployments.verbs).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    expect(role.rules!.some((r) => r.resources.includes('secrets'))).toBe(false);
    const binding = objects.find((o) => o.kind === 'RoleBinding')!;
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'plinth:team:developer' }]);
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['app']);
  });

  it('lets the mgmt host find only this cluster (DescribeCluster on its ARN) and list clusters, and makes it cluster admin', () => {
    const compute = seed.templates.compute;
    compute.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'HostActions',
        PolicyDocument: {
          Statement: [
            { Action: 'eks:DescribeCluster', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':cluster/eks-product']] } },
            { Action: 'eks:ListClusters', Effect: 'Allow', Resource: '*' },
          ],
        },
      }],
    });
    compute.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'eks-product', PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HostsManagementmgmtRole'), 'Arn'] } });
  });

  it('admits MySQL only from the cluster nodes', () => {
    expect(ingressRules(seed.templates.network).filter((r) => r.startsWith('db/main <-'))).toEqual(['db/main <- cluster/nodes tcp 3306-3306']);
  });

  it('installs the controllers with CDK Helm steps (no gitops), after the node group and the add-ons that follow it', () => {
    const cluster = seed.templates.cluster;
    const charts = resources(cluster, 'Custom::AWSCDK-EKS-HelmChart');
    expect(charts.map(([, r]) => r.Properties.Chart)).toContain('aws-load-balancer-controller');
    const [nodegroupId] = only(cluster, 'AWS::EKS::Nodegroup');
    const [corednsId] = only(cluster, 'AWS::EKS::Addon', { AddonName: 'coredns' });
    for (const [id] of charts) expect(dependsOn(cluster, id)).toEqual(expect.arrayContaining([nodegroupId, corednsId]));
  });

  it('runs the kubectl handler inside the VPC, next to the private endpoint', () => {
    const [, handler] = resources(seed.templates.cluster, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ClusterKubectlProviderHandler'))!;
    expect(handler.Properties.VpcConfig.SubnetIds).toHaveLength(2);
  });

  it('deploys network, data, cluster, compute in that order', () => {
    seed.stacks.app.synth();
    const manifest = JSON.parse(readFileSync(join(seed.stacks.app.outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { dependencies?: string[] }> };
    expect(manifest.artifacts.Cluster!.dependencies).toEqual(expect.arrayContaining(['Network', 'Data']));
    expect(manifest.artifacts.Compute!.dependencies).toEqual(expect.arrayContaining(['Cluster']));
  });
});

describe('a cluster with GPU and spot node groups, EFS and a public endpoint', () => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    // GIVEN a spec with a GPU group, a tainted spot group, a file system and a public endpoint
    platform = synthPlan(planFromYaml(`
platform: { name: lab, region: ap-northeast-2, environment: dev }
network: { cidr: 10.0.0.0/16, azs: 2 }
data:
  fileSystems:
    shared: { allowFrom: [cluster/nodes] }
cluster:
  endpointAccess: publicAndPrivate
  publicAccessCidrs: [203.0.113.0/24]
  admins: ["arn:aws:iam::111122223333:role/ops"]
  nodeGroups:
    general: { instanceTypes: [m6i.large] }
    gpu:
      instanceTypes: [p5.48xlarge]
      size: { min: 0, max: 2, desired: 0 }
      diskGiB: 200
      taints: [{ key: nvidia.com/gpu, effect: NoSchedule }]
    batch: { instanceTypes: [m7g.large, m6g.large], capacity: spot, labels: { workload: batch } }
`));
  });

  it('derives the AMI type from the instance types, even for families aws-cdk-lib does not know (p5)', () => {
    const groups = Object.fromEntries(resources(platform.templates.cluster, 'AWS::EKS::Nodegroup').map(([, r]) => [r.Properties.InstanceTypes.join(','), r.Properties]));
    expect(groups['m6i.large']).toMatchObject({ AmiType: 'AL2023_x86_64_STANDARD', CapacityType: 'ON_DEMAND', ScalingConfig: { MinSize: 2, MaxSize: 2, DesiredSize: 2 } });
    expect(groups['p5.48xlarge']).toMatchObject({
      AmiType: 'AL2023_x86_64_NVIDIA',
      ScalingConfig: { MinSize: 0, MaxSize: 2, DesiredSize: 0 },
      Labels: { 'nvidia.com/gpu.present': 'true' },
      Taints: [{ Key: 'nvidia.com/gpu', Effect: 'NO_SCHEDULE' }],
    });
    expect(groups['m7g.large,m6g.large']).toMatchObject({ AmiType: 'AL2023_ARM_64_STANDARD', CapacityType: 'SPOT', Labels: { workload: 'batch' } });
  });

  it('sizes each group\'s disk in its own launch template', () => {
    const sizes = resources(platform.templates.cluster, 'AWS::EC2::LaunchTemplate').map(([, r]) => r.Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs.VolumeSize).sort();
    expect(sizes).toEqual([20, 20, 200]);
  });

  it('adds the EFS CSI driver after the nodes, with its Pod Identity role, and a StorageClass for the file system', () => {
    const [addonId, addon] = only(platform.templates.cluster, 'AWS::EKS::Addon', { AddonName: 'aws-efs-csi-driver' });
    expect(addon.Properties.PodIdentityAssociations[0].ServiceAccount).toBe('efs-csi-controller-sa');
    expect(dependsOn(platform.templates.cluster, addonId)).toHaveLength(3);
    const manifest = JSON.stringify(resources(platform.templates.cluster, 'Custom::AWSCDK-EKS-KubernetesResource').map(([, r]) => r.Properties.Manifest));
    expect(manifest).toContain('efs-shared');
    expect(manifest).toContain('efs.csi.aws.com');
  });

  it('opens the public endpoint to the listed range only', () => {
    platform.templates.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
  });
});

/**
 * Test support for the controllers: a small aws-eks-v2 cluster (managed node groups, no default
 * capacity, the v33 kubectl layer) in the compute stack of the fake platform, one node group, and the
 * controllers installed on it. Also readers for the Pod Identity roles and the Helm/manifest steps.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { controllerDefinitions, type ControllerOptions } from '../../src/aws/cluster/controllers/index.js';
import { argoCdCapability, type ArgoCdCapability } from '../../src/aws/cluster/controllers/argo-cd-capability.js';
import { type ClusterControllers, installControllers, type GitOpsOptions } from '../../src/aws/cluster/install-controllers.js';
import type { Plan } from '../../src/plan/types.js';
import { planFromYaml } from '../support.js';
import { testPlatform, type TestPlatform } from '../aws/fake-network.js';

export const CLUSTER_NAME = 'nemo-v3';

export const NETWORK_SPEC = `
platform: { name: nemo, region: ap-northeast-2, account: "111122223333" }
network:
  cidr: 10.0.0.0/16
  azs: [ap-northeast-2a, ap-northeast-2b, ap-northeast-2c]
  subnets:
    public:  { cidrs: [10.0.1.0/24, 10.0.2.0/24] }
    private: { cidrs: [10.0.3.0/24, 10.0.4.0/24, 10.0.5.0/24] }
  nat: single
`;

export interface ControllerPlatform {
  readonly platform: TestPlatform;
  readonly cluster: eks.Cluster;
  readonly nodeGroup: eks.Nodegroup;
  readonly controllers: ClusterControllers;
  readonly capability: ArgoCdCapability | undefined;
  readonly template: Template;
}

export interface ControllerPlatformOptions {
  /** Options on top of the cluster's name, region, VPC and version. */
  readonly controllers: (network: { privateSubnetIds: string[]; nodeSecurityGroupId: string }) => Partial<ControllerOptions>;
  /** Install through Argo CD from this repository. */
  readonly gitops?: Omit<GitOpsOptions, 'capability'> & { readonly capabilityIdcArn?: string };
}

export function controllerPlatform(options: ControllerPlatformOptions, plan: Plan = planFromYaml(NETWORK_SPEC)): ControllerPlatform {
  let cluster!: eks.Cluster;
  let nodeGroup!: eks.Nodegroup;
  let controllers!: ClusterControllers;
  let capability: ArgoCdCapability | undefined;
  const platform = testPlatform(plan, ({ compute, network }) => {
    const privateSubnets = network.subnetsOf('private');
    cluster = new eks.Cluster(compute, 'Cluster', {
      clusterName: CLUSTER_NAME,
      version: eks.KubernetesVersion.V1_33,
      vpc: network.vpc,
      vpcSubnets: [{ subnets: privateSubnets }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(compute, 'KubectlLayer') },
    });
    nodeGroup = cluster.addNodegroupCapacity('Nodes', {
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      instanceTypes: [new ec2.InstanceType('t3.large')],
      minSize: 3, maxSize: 3, desiredSize: 3,
      subnets: { subnets: privateSubnets },
    });
    const extra = options.controllers({
      privateSubnetIds: privateSubnets.map((s) => s.subnetId),
      nodeSecurityGroupId: cluster.clusterSecurityGroupId,
    });
    const definitions = controllerDefinitions({
      clusterName: CLUSTER_NAME,
      region: compute.region,
      vpcId: network.vpc.vpcId,
      kubernetesVersion: '1.33',
      ...extra,
    });
    const { capabilityIdcArn, ...source } = options.gitops ?? { repo: '', path: '', revision: '' };
    if (capabilityIdcArn) capability = argoCdCapability(compute, 'ArgoCdCapability', { cluster, idcInstanceArn: capabilityIdcArn });
    controllers = installControllers(compute, {
      cluster,
      definitions,
      nodeGroups: [nodeGroup],
      gitops: options.gitops ? { ...source, capability } : undefined,
    });
  }, { cloudFormationValidation: true });
  return { platform, cluster, nodeGroup, controllers, capability, template: Template.fromStack(platform.compute) };
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
  readonly DependsOn?: string[];
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The Helm steps by release name. */
export function helmCharts(template: Template): Record<string, CfnResource & { logicalId: string }> {
  return Object.fromEntries(Object.entries(resourcesOfType(template, 'Custom::AWSCDK-EKS-HelmChart'))
    .map(([logicalId, r]) => [r.Properties.Release as string, { ...r, logicalId }]));
}

/**
 * A rendered value (Helm values, a manifest) as JSON, with every CloudFormation token inside a string
 * replaced by `<token>`: CDK renders a JSON string holding tokens as Fn::Join.
 */
export function parseRendered(value: unknown): any {
  if (typeof value === 'string') return JSON.parse(value);
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(join[1].map((part) => (typeof part === 'string' ? part : '<token>')).join(join[0]));
}

/** The manifest objects of a `Custom::AWSCDK-EKS-KubernetesResource`. */
export function manifestObjects(resource: CfnResource): any[] {
  return parseRendered(resource.Properties.Manifest);
}

/** The inline policy statements of the role a Pod Identity association points at. */
export function podIdentityOf(template: Template, serviceAccount: string): { association: CfnResource; role: CfnResource; statements: any[] } {
  const associations = Object.values(resourcesOfType(template, 'AWS::EKS::PodIdentityAssociation')).filter((a) => a.Properties.ServiceAccount === serviceAccount);
  if (associations.length !== 1) throw new Error(`expected one Pod Identity association for ${serviceAccount}, found ${associations.length}`);
  const association = associations[0]!;
  const roleId = association.Properties.RoleArn['Fn::GetAtt'][0] as string;
  const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId]!;
  return { association, role, statements: role.Properties.Policies?.[0]?.PolicyDocument.Statement ?? [] };
}

/** A resolved CloudFormation value as readable text: `{Ref: AWS::Partition}` → `<AWS::Partition>`. */
export function flat(value: unknown): any {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  if (Array.isArray(value)) return value.map(flat);
  const node = value as Record<string, any>;
  if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : flat(p))).join(node['Fn::Join'][0]);
  if (node.Ref) return `<${node.Ref}>`;
  if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'].join('.')}>`;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, flat(v)]));
}

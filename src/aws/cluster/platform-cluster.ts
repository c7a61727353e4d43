/**
 * The platform's EKS cluster, in the order it must come up:
 *
 *   control plane ─▶ vpc-cni, kube-proxy, eks-pod-identity-agent ─▶ node groups
 *                 ─▶ coredns, EBS CSI (+ EFS CSI), metrics-server ─▶ controllers
 *   access entries (admins, teams) and one manifest (default StorageClass, team namespaces and RBAC)
 *
 * Everything here reads the plan and the network; security groups and their rules come from the
 * network stack (`cluster/nodes`, `cluster/controlPlane`).
 */
import { CfnElement, CfnOutput, Stack } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { NODES } from '../../plan/cluster.js';
import type { ClusterPlan } from '../../plan/types.js';
import { acknowledge } from '../acknowledge.js';
import type { PlatformNetwork } from '../platform-network.js';
import type { ControllerDefinition } from './controller.js';
import { argoCdCapability, type ControllerOptions, controllerDefinitions } from './controllers/index.js';
import { installControllers } from './install-controllers.js';
import { AccessEntries, specPrincipalEntries } from './access-entries.js';
import { Addons } from './addons.js';
import { newControlPlane } from './control-plane.js';
import { NodeGroups } from './node-groups.js';
import { storageClassManifests } from './storage-classes.js';
import { teamManifests } from './team-rbac.js';

export interface PlatformClusterProps {
  /** The plan's cluster section: control plane, node groups, add-ons, access, teams and controllers. */
  readonly cluster: ClusterPlan;
  /** `plinth <platform>/<environment>`, at the start of descriptions. */
  readonly label: string;
  /** The cluster's region, in the kubeconfig command and the controllers' settings. */
  readonly region: string;
  /** Subnets and the `cluster/controlPlane` and `cluster/nodes` security groups. */
  readonly network: PlatformNetwork;
  /** Secrets External Secrets may read (the databases' master secrets, from the data stack). @default - none */
  readonly secretArns?: readonly string[];
  /** EFS file system ids by name (from the data stack): one StorageClass each. @default - none */
  readonly fileSystemIds?: Readonly<Record<string, string>>;
  /** Repositories the Argo CD Image Updater may read (from the data stack). @default - none */
  readonly repositories?: Readonly<Record<string, ecr.IRepository>>;
  /** The zone external-dns writes to; its name must be known (a new zone, or one imported by attributes). @default - none: no external-dns */
  readonly zone?: route53.IHostedZone;
  /**
   * Whether the Image Updater watches every Argo CD application; false when an app has its own tag
   * pattern (two updaters writing the same image would fight). @default true
   */
  readonly imageUpdaterForEveryApplication?: boolean;
}

export class PlatformCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly nodeGroups: NodeGroups;
  readonly addons: Addons;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    const { cluster: plan, label } = props;
    const definitions = controllerDefinitions(controllerOptions(plan, props));
    const manifest = [
      ...storageClassManifests(Object.entries(props.fileSystemIds ?? {}).map(([name, fileSystemId]) => ({ name, fileSystemId }))),
      ...teamManifests(plan.teams),
    ];

    this.cluster = newControlPlane(this, {
      clusterName: plan.name,
      version: plan.version,
      subnets: plan.subnets,
      network: props.network,
      serviceIpv4Cidr: plan.serviceIpv4Cidr,
      publicAccessCidrs: plan.publicAccessCidrs,
      secretsEncryption: plan.secretsEncryption,
      logTypes: plan.logTypes,
      logRetentionDays: plan.logRetentionDays,
      supportType: plan.supportType,
      // Only a cluster with something to apply gets the kubectl Lambda (and its two functions).
      kubectl: manifest.length > 0 || definitions.length > 0,
      label,
    });
    this.addons = new Addons(this, 'Addons', { cluster: this.cluster, clusterName: plan.name, addons: plan.addons, label });
    this.nodeGroups = new NodeGroups(this, 'NodeGroups', { cluster: this.cluster, clusterName: plan.name, nodeGroups: plan.nodeGroups, network: props.network, label });
    const nodegroups = [...this.nodeGroups.groups.values()];
    this.addons.orderAround(nodegroups);

    new AccessEntries(this, 'AccessEntries', { clusterName: this.cluster.clusterName, entries: specPrincipalEntries(plan) });
    if (manifest.length > 0) {
      // overwrite: `kubectl apply` on create too, so a deployment retried after a rollback does not
      // fail on the namespaces and classes the first attempt left behind.
      new eks.KubernetesManifest(this, 'Baseline', { cluster: this.cluster, manifest, overwrite: true });
    }
    this.installControllers(plan, definitions, [...nodegroups, ...this.addons.afterNodes]);
    acknowledgeKubectlProvider(this.cluster);

    new CfnOutput(this, 'KubeconfigCommand', {
      description: 'Configures kubectl for this cluster (from inside the VPC: the endpoint is private unless the spec opens it)',
      value: `aws eks update-kubeconfig --name ${plan.name} --region ${props.region}`,
    });
  }

  /** The EKS name of a node group and its ARN, for schedules. */
  nodegroup(name: string): { readonly name: string; readonly arn: string } {
    const nodegroup = this.nodeGroups.groups.get(name);
    if (!nodegroup) throw new Error(`E_UNKNOWN_NODEGROUP: the cluster has no node group "${name}"; groups: ${[...this.nodeGroups.groups.keys()].join(', ')}.`);
    const cfn = nodegroup.node.defaultChild as eks.CfnNodegroup;
    return { name: cfn.attrNodegroupName, arn: cfn.attrArn };
  }

  private installControllers(plan: ClusterPlan, definitions: readonly ControllerDefinition[], prerequisites: readonly Construct[]): void {
    const capability = plan.argocd.mode === 'capability'
      ? argoCdCapability(this, 'ArgoCdCapability', {
        cluster: this.cluster,
        idcInstanceArn: plan.argocd.identityCenterInstanceArn,
        idcRegion: plan.argocd.identityCenterRegion,
        rbacRoleMappings: [{ role: 'ADMIN', identities: plan.argocd.adminGroups.map((id) => ({ id, type: 'SSO_GROUP' as const })) }],
      })
      : undefined;
    if (definitions.length === 0 && !plan.gitops) return;
    installControllers(this, {
      cluster: this.cluster,
      definitions,
      gitops: plan.gitops && { ...plan.gitops, capability },
      nodeGroups: prerequisites,
    });
  }
}

/** The plan's controller choices, with the AWS resources they are scoped to. */
function controllerOptions(plan: ClusterPlan, props: PlatformClusterProps): ControllerOptions {
  const { controllers } = plan;
  const repositories = Object.entries(props.repositories ?? {}).map(([name, r]) => ({ name, arn: r.repositoryArn, uri: r.repositoryUri }));
  return {
    clusterName: plan.name,
    region: props.region,
    vpcId: props.network.vpc.vpcId,
    kubernetesVersion: plan.version,
    loadBalancer: controllers.loadBalancer,
    externalSecrets: controllers.externalSecrets
      ? { secretArns: props.secretArns ?? [] }
      : undefined,
    argocd: plan.argocd.mode === 'none' ? undefined : {
      install: plan.argocd.mode === 'helm' ? 'chart' : 'capability',
      imageUpdater: controllers.imageUpdater
        ? { repositories, everyApplication: props.imageUpdaterForEveryApplication ?? true }
        : undefined,
    },
    externalDns: controllers.externalDns && props.zone
      ? { hostedZoneId: props.zone.hostedZoneId, zoneName: props.zone.zoneName }
      : undefined,
    autoscaling: plan.autoscaling === 'karpenter'
      ? {
        kind: 'karpenter',
        nodeSubnetIds: plan.subnets.map((id) => props.network.subnet(id).subnetId),
        nodeSecurityGroupIds: [props.network.securityGroup(NODES).securityGroupId],
        capacityTypes: plan.karpenterCapacity,
      }
      : plan.autoscaling,
    gpu: controllers.nvidiaDevicePlugin,
  };
}

/**
 * The kubectl provider is aws-cdk-lib's (two Lambda functions behind one custom-resource provider); its
 * findings are about code plinth does not write, acknowledged here with the reason each is acceptable.
 */
function acknowledgeKubectlProvider(cluster: eks.Cluster): void {
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) return;
  acknowledge(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The kubectl provider framework function of aws-cdk-lib writes its logs with the AWS-maintained basic execution policy.');
  acknowledge(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    'The kubectl functions run inside the VPC to reach the private API endpoint; this AWS-maintained policy manages their network interfaces.');
  acknowledge(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]',
    'aws-cdk-lib gives the kubectl handler ECR read access so Helm can pull charts from OCI registries in ECR.');
  acknowledge(provider, 'AwsSolutions-L1', 'The runtimes of the kubectl handler and provider framework are chosen by aws-cdk-lib 2.276 (the kubectl layer is built for them); plinth upgrades them with aws-cdk-lib.');

  // Two findings name logical ids of aws-cdk-lib's own resources, so their ids are built from them.
  const stack = Stack.of(cluster);
  const handler = provider.node.findChild('Handler');
  const hasEcrPublic = stack.getLogicalId(handler.node.findChild('HasEcrPublic') as CfnElement);
  const ecrPublicPolicy = {
    'Fn::If': [hasEcrPublic, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly']] }, { Ref: 'AWS::NoValue' }],
  };
  acknowledge(provider, `AwsSolutions-IAM4[Policy::${JSON.stringify(ecrPublicPolicy)}]`,
    'aws-cdk-lib gives the kubectl handler ECR Public read access (in the aws partition only) so Helm can pull charts published to public.ecr.aws.');
  const handlerFunction = stack.getLogicalId(handler.node.defaultChild as CfnElement);
  acknowledge(provider, `AwsSolutions-IAM5[Resource::<${handlerFunction}.Arn>:*]`,
    'The provider framework of aws-cdk-lib may invoke every version of its own kubectl handler function, and nothing else.');
}

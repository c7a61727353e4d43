import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ControllerDefinition } from '../../src/aws/cluster/controller.js';
import { controllerApplications } from '../../src/aws/cluster/controllers/argo-cd-applications.js';
import { APPLICATION_HEALTH_CHECK } from '../../src/aws/cluster/controllers/argo-cd.js';
import { RELEASE_TAG_PATTERN } from '../../src/aws/cluster/controllers/argocd-image-updater.js';
import { controllerDefinitions, type ControllerOptions } from '../../src/aws/cluster/controllers/index.js';
import { albControllerStatements } from '../../src/aws/cluster/controllers/load-balancer-controller.js';
import { installControllers } from '../../src/aws/cluster/install-controllers.js';
import { acknowledgements, allResources, validationFindings } from '../aws/fake-network.js';
import {
  CLUSTER_NAME, type ControllerPlatform, controllerPlatform, flat, helmCharts, manifestObjects, parseRendered, podIdentityOf, resourcesOfType,
} from './controller-platform.js';

const REGION = 'ap-northeast-2';
const ACCOUNT = '111122223333';
const DB_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:nemo-db-AbCdEf`;
const ZONE_ID = 'Z0123456789ABC';
const REPOSITORIES = ['backend', 'frontend'].map((name) => ({
  name,
  arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
  uri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
}));
const GITOPS = { repo: 'https://github.com/nemo/deploy.git', path: 'apps/prod', revision: 'main' };
const IDC = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

/** Every controller plinth offers, as seed 001 plus external-dns, Karpenter and a GPU group would have them. */
function everything(install: 'chart' | 'capability' = 'chart') {
  return (network: { privateSubnetIds: string[]; nodeSecurityGroupId: string }): Partial<ControllerOptions> => ({
    externalSecrets: { secretArns: [DB_SECRET] },
    argocd: { install, imageUpdater: { repositories: REPOSITORIES } },
    externalDns: { hostedZoneId: ZONE_ID, zoneName: 'onurivit01.store' },
    autoscaling: { kind: 'karpenter', nodeSubnetIds: network.privateSubnetIds, nodeSecurityGroupIds: [network.nodeSecurityGroupId] },
    gpu: true,
  });
}

const POD_IDENTITY_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

function typesOf(p: ControllerPlatform): string[] {
  return allResources(p.platform).map(([, , r]) => r.Type);
}

function count(types: string[], type: string): number {
  return types.filter((t) => t === type).length;
}

/** Findings that are not acknowledged on what the controllers created (the cluster's own are the cluster construct's). */
function controllerFindings(p: ControllerPlatform) {
  return validationFindings(p.platform).unacknowledged.filter((f) => /^Compute\/(Controllers|ArgoCdCapability)/.test(f.constructPath));
}

function expectNoIrsa(types: string[]): void {
  for (const type of ['Custom::AWSCDKOpenIdConnectProvider', 'AWS::IAM::OIDCProvider', 'Custom::AWSCDKCfnJson']) expect(count(types, type)).toBe(0);
}

describe('controllers installed by Helm (no gitops)', () => {
  let p: ControllerPlatform;
  beforeAll(() => {
    // GIVEN a 1.33 cluster with one node group  WHEN every controller is installed without gitops
    p = controllerPlatform({ controllers: everything() });
  });

  it('pins every chart to an exact version, one Helm step per controller', () => {
    const versions = Object.fromEntries(Object.entries(helmCharts(p.template)).map(([release, r]) => [release, [r.Properties.Repository, r.Properties.Chart, r.Properties.Version]]));
    expect(versions).toEqual({
      'aws-load-balancer-controller': ['https://aws.github.io/eks-charts', 'aws-load-balancer-controller', '3.2.2'],
      'external-secrets': ['https://charts.external-secrets.io', 'external-secrets', '2.10.0'],
      'argocd': ['https://argoproj.github.io/argo-helm', 'argo-cd', '10.9.0'],
      'argocd-image-updater': ['https://argoproj.github.io/argo-helm', 'argocd-image-updater', '1.3.1'],
      'external-dns': ['https://kubernetes-sigs.github.io/external-dns/', 'external-dns', '1.22.0'],
      'karpenter': ['oci://public.ecr.aws/karpenter/karpenter', 'karpenter', '1.14.1'],
      'nvidia-device-plugin': ['https://nvidia.github.io/k8s-device-plugin', 'nvidia-device-plugin', '0.19.1'],
    });
  });

  it('installs each chart in its namespace, creating it, and waits only where a later step needs the pods', () => {
    const charts = helmCharts(p.template);
    const placement = Object.fromEntries(Object.entries(charts).map(([release, r]) => [release, [r.Properties.Namespace, r.Properties.CreateNamespace, r.Properties.Wait ?? false]]));
    expect(placement).toEqual({
      'aws-load-balancer-controller': ['kube-system', true, true],
      'external-secrets': ['external-secrets', true, true],
      'argocd': ['argocd', true, true],
      'argocd-image-updater': ['argocd', true, false],
      'external-dns': ['external-dns', true, false],
      'karpenter': ['kube-system', true, true],
      'nvidia-device-plugin': ['kube-system', true, false],
    });
    expect(charts['aws-load-balancer-controller']!.Properties.Timeout).toBe('600s');
  });

  it('configures the load balancer controller for the cluster, its VPC and IngressGroups, with two replicas', () => {
    const values = parseRendered(helmCharts(p.template)['aws-load-balancer-controller']!.Properties.Values);
    expect(values).toEqual({
      clusterName: CLUSTER_NAME,
      region: REGION,
      vpcId: p.platform.network.vpc.vpcId,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      createIngressClassResource: true,
      ingressClass: 'alb',
      ingressClassParams: { create: true },
      ingressClassConfig: { default: false },
    });
  });

  it('binds each AWS-facing controller to its own Pod Identity role, trusted by pods.eks.amazonaws.com only', () => {
    const expected = {
      'aws-load-balancer-controller': 'kube-system',
      'external-secrets': 'external-secrets',
      'argocd-image-updater': 'argocd',
      'external-dns': 'external-dns',
      'karpenter': 'kube-system',
    };
    const associations = Object.values(resourcesOfType(p.template, 'AWS::EKS::PodIdentityAssociation'));
    expect(associations.map((a) => a.Properties.ServiceAccount).sort()).toEqual(Object.keys(expected).sort());
    for (const [serviceAccount, namespace] of Object.entries(expected)) {
      const { association, role } = podIdentityOf(p.template, serviceAccount);
      expect(association.Properties.Namespace).toBe(namespace);
      expect(association.Properties.ClusterName).toEqual({ Ref: p.platform.compute.getLogicalId(p.cluster.node.defaultChild as never) });
      expect(role.Properties.AssumeRolePolicyDocument).toEqual(POD_IDENTITY_TRUST);
    }
  });

  it('gives the load balancer controller exactly the policy AWS publishes for v3.2.2, partition-neutral', () => {
    const file = join(dirname(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json')), 'aws-eks-v2/lib/addons/alb-iam_policy-v3.2.2.json');
    const vendored = (JSON.parse(readFileSync(file, 'utf8')) as { Statement: Record<string, unknown>[] }).Statement;
    const rewrite = (r: string) => r.replace(/^arn:aws:/, 'arn:<AWS::Partition>:');
    // IAM reads a one-element list and a scalar alike; CDK renders the scalar.
    const scalar = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
    const expected = vendored.map((s) => ({
      ...s,
      Action: scalar(s.Action),
      Resource: scalar(Array.isArray(s.Resource) ? s.Resource.map(rewrite) : rewrite(s.Resource as string)),
    }));
    expect(flat(podIdentityOf(p.template, 'aws-load-balancer-controller').statements)).toEqual(expected);
    expect(expected).toHaveLength(16);
  });

  it('lets External Secrets read only the platform secrets, through one ClusterSecretStore', () => {
    expect(podIdentityOf(p.template, 'external-secrets').statements).toEqual([{
      Sid: 'ReadPlatformSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: DB_SECRET,
    }]);
    const objects = manifestObjects(Object.values(resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource'))[0]!);
    expect(objects.find((o) => o.kind === 'ClusterSecretStore')).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'aws-secrets-manager', labels: expect.any(Object) },
      spec: { provider: { aws: { service: 'SecretsManager', region: REGION } } },
    });
  });

  it('gives the Image Updater ECR login and read access to the platform repositories only', () => {
    expect(flat(podIdentityOf(p.template, 'argocd-image-updater').statements)).toEqual([
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'ReadPlatformRepositories',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer', 'ecr:ListImages'],
        Resource: REPOSITORIES.map((r) => r.arn),
      },
    ]);
    const values = parseRendered(helmCharts(p.template)['argocd-image-updater']!.Properties.Values);
    expect(flat(values.config.registries)).toEqual([{
      name: 'ECR',
      // <AWS::AccountId>.dkr.ecr.<region>.<AWS::URLSuffix>
      prefix: `<token>.dkr.ecr.${REGION}.<token>`,
      api_url: `https://<token>.dkr.ecr.${REGION}.<token>`,
      credentials: 'ext:/scripts/ecr-login.sh',
      credsexpire: '10h',
    }]);
    expect(values.authScripts.scripts['ecr-login.sh']).toContain('aws ecr get-authorization-token');
    const objects = manifestObjects(Object.values(resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource'))[0]!);
    expect(objects.find((o) => o.kind === 'ImageUpdater').spec).toEqual({
      commonUpdateSettings: { updateStrategy: 'alphabetical', allowTags: 'regexp:^prod-\\d{8}-\\d{4}$' },
      applicationRefs: [{ namePattern: '*', images: REPOSITORIES.map((r) => ({ alias: r.name, imageName: r.uri })) }],
    });
  });

  it('lets external-dns change records in the platform zone only, upsert-only, owned by the cluster', () => {
    expect(flat(podIdentityOf(p.template, 'external-dns').statements)).toEqual([
      { Sid: 'ChangeRecordsInPlatformZone', Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: `arn:<AWS::Partition>:route53:::hostedzone/${ZONE_ID}` },
      { Sid: 'ReadZones', Effect: 'Allow', Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], Resource: '*' },
    ]);
    const values = parseRendered(helmCharts(p.template)['external-dns']!.Properties.Values);
    expect(values).toMatchObject({
      provider: { name: 'aws' }, policy: 'upsert-only', txtOwnerId: CLUSTER_NAME, domainFilters: ['onurivit01.store'], extraArgs: [`--zone-id-filter=${ZONE_ID}`],
    });
  });

  it('gives Karpenter its node role (EC2_LINUX access entry), an encrypted interruption queue fed by four rules, and names them in its policy', () => {
    const queues = Object.values(resourcesOfType(p.template, 'AWS::SQS::Queue'));
    expect(queues.map((q) => q.Properties)).toEqual([{ QueueName: 'nemo-v3-karpenter', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true }]);
    const rules = Object.values(resourcesOfType(p.template, 'AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
    expect(rules).toEqual([
      { 'source': ['aws.health'], 'detail-type': ['AWS Health Event'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
    ]);
    const nodeRole = p.controllers.nodeRoles.karpenter!.role;
    const entries = Object.values(resourcesOfType(p.template, 'AWS::EKS::AccessEntry')).filter((e) => e.Properties.Type === 'EC2_LINUX');
    expect(entries.map((e) => e.Properties.PrincipalArn)).toEqual([{ 'Fn::GetAtt': [p.platform.compute.getLogicalId(nodeRole.node.defaultChild as never), 'Arn'] }]);
    expect(entries[0]!.Properties.AccessPolicies).toEqual([]);
    const roleProps = resourcesOfType(p.template, 'AWS::IAM::Role')[p.platform.compute.getLogicalId(nodeRole.node.defaultChild as never)]!.Properties;
    expect(roleProps.RoleName).toBe('nemo-v3-karpenter-node');
    expect(flat(roleProps.ManagedPolicyArns)).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore']
      .map((n) => `arn:<AWS::Partition>:iam::aws:policy/${n}`));

    const statements = flat(podIdentityOf(p.template, 'karpenter').statements) as { Sid: string; Resource: unknown; Condition?: unknown }[];
    expect(statements.map((s) => s.Sid)).toEqual([
      'AllowScopedEC2InstanceActions', 'AllowScopedEC2InstanceActionsWithTags', 'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging',
      'AllowScopedDeletion', 'AllowRegionalReadActions', 'AllowSSMReadActions', 'AllowPricingReadActions', 'AllowInterruptionQueueActions',
      'AllowPassingInstanceRole', 'AllowScopedInstanceProfileCreationActions', 'AllowScopedInstanceProfileTagActions',
      'AllowScopedInstanceProfileActions', 'AllowInstanceProfileReadActions', 'AllowAPIServerEndpointDiscovery',
    ]);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.AllowInterruptionQueueActions!.Resource).toBe(`arn:<AWS::Partition>:sqs:${REGION}:<AWS::AccountId>:nemo-v3-karpenter`);
    expect(bySid.AllowPassingInstanceRole).toMatchObject({
      Resource: 'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/nemo-v3-karpenter-node',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.<AWS::URLSuffix>' } },
    });
    expect(bySid.AllowScopedDeletion!.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/nemo-v3': 'owned' },
      StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
    });
    expect(bySid.AllowAPIServerEndpointDiscovery!.Resource).toBe(`arn:<AWS::Partition>:eks:${REGION}:<AWS::AccountId>:cluster/nemo-v3`);

    const values = parseRendered(helmCharts(p.template).karpenter!.Properties.Values);
    expect(values.settings).toEqual({ clusterName: CLUSTER_NAME, interruptionQueue: 'nemo-v3-karpenter' });
    const objects = manifestObjects(Object.values(resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource'))[0]!);
    const nodeClass = objects.find((o) => o.kind === 'EC2NodeClass');
    expect(nodeClass.spec).toMatchObject({
      role: 'nemo-v3-karpenter-node',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: p.platform.network.subnetsOf('private').map((s) => ({ id: s.subnetId })),
      securityGroupSelectorTerms: [{ id: '<token>' }],
      metadataOptions: { httpTokens: 'required' },
    });
    expect(objects.find((o) => o.kind === 'NodePool').spec.limits).toEqual({ cpu: '64', memory: '256Gi' });
  });

  it('runs the NVIDIA device plugin on labelled GPU nodes only, with no AWS role', () => {
    const values = parseRendered(helmCharts(p.template)['nvidia-device-plugin']!.Properties.Values);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] }]);
    expect(p.controllers.roles['nvidia-device-plugin']).toBeUndefined();
    expect(p.controllers.roles.argocd).toBeUndefined();
  });

  it('orders the install: node groups and Pod Identity first, the load balancer controller before every other chart, CRD objects last', () => {
    const charts = helmCharts(p.template);
    const nodeGroupId = p.platform.compute.getLogicalId(p.nodeGroup.node.defaultChild as never);
    const lbc = charts['aws-load-balancer-controller']!;
    for (const [release, chart] of Object.entries(charts)) {
      expect(chart.DependsOn, release).toContain(nodeGroupId);
      const association = p.controllers.podIdentityAssociations[release];
      if (association) expect(chart.DependsOn, release).toContain(p.platform.compute.getLogicalId(association));
      if (release === 'aws-load-balancer-controller') {
        expect(chart.DependsOn!.filter((d) => Object.values(charts).some((c) => c.logicalId === d))).toEqual([]);
      } else {
        expect(chart.DependsOn, release).toContain(lbc.logicalId);
      }
    }
    expect(charts.karpenter!.DependsOn).toEqual(expect.arrayContaining([
      p.platform.compute.getLogicalId(p.controllers.eventQueues.karpenter!.node.defaultChild as never),
    ]));
    const [objects] = Object.entries(resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource'));
    expect(objects![1].DependsOn).toEqual(expect.arrayContaining(Object.values(charts).map((c) => c.logicalId)));
    expect(manifestObjects(objects![1]).map((o) => o.kind)).toEqual(['ClusterSecretStore', 'ImageUpdater', 'EC2NodeClass', 'NodePool']);
  });

  it('costs one custom resource per chart plus one manifest, and no Lambda beyond the kubectl provider\'s two', () => {
    const types = typesOf(p);
    expect(count(types, 'Custom::AWSCDK-EKS-HelmChart')).toBe(7);
    expect(count(types, 'Custom::AWSCDK-EKS-KubernetesResource')).toBe(1);
    expect(types.filter((t) => t.startsWith('Custom::')).length).toBe(8);
    expect(count(types, 'AWS::Lambda::Function')).toBe(2);
    expectNoIrsa(types);
  });

  it('leaves no cdk-nag or CloudFormation finding unacknowledged on the controllers, and explains each wildcard', () => {
    expect(controllerFindings(p)).toEqual([]);
    const acks = acknowledgements(p.platform.app).filter((a) => a.constructPath.startsWith('Compute/Controllers/'));
    const lbc = acks.find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.constructPath === 'Compute/Controllers/AwsLoadBalancerController/Role');
    expect(lbc?.reason).toMatch(/ec2:DescribeVpcs.*AWS's official policy/);
    const dns = acks.filter((a) => a.constructPath === 'Compute/Controllers/ExternalDns/Role').map((a) => a.id);
    expect(dns).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expect(acks.filter((a) => a.constructPath === 'Compute/Controllers/ExternalSecrets/Role')).toEqual([]);
  });
});

describe('controllers installed through Argo CD (gitops, self-hosted Argo CD)', () => {
  let p: ControllerPlatform;
  let applications: any[];
  let parentValues: any;
  beforeAll(() => {
    // GIVEN the same controllers  WHEN the spec has gitops
    p = controllerPlatform({ controllers: everything(), gitops: GITOPS });
    const [controllerStep] = p.controllers.manifests;
    const resource = resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource')[p.platform.compute.getLogicalId(controllerStep!.node.findChild('Resource') as never)]!;
    applications = manifestObjects(resource);
    parentValues = applications.find((o) => o.metadata.name === 'platform-controllers').spec.source.helm.valuesObject;
  });

  it('installs only Argo CD by Helm, with the Application health check that makes sync waves wait', () => {
    expect(Object.keys(helmCharts(p.template))).toEqual(['argocd']);
    const values = parseRendered(helmCharts(p.template).argocd!.Properties.Values);
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toBe(APPLICATION_HEALTH_CHECK);
  });

  it('renders one parent Application (argocd-apps chart, pinned) with a Helm-sourced child per controller, LB controller first', () => {
    const parent = applications.find((o) => o.metadata.name === 'platform-controllers');
    expect(parent.spec.source).toMatchObject({ repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argocd-apps', targetRevision: '2.0.7' });
    expect(parent.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    const children = parentValues.applications;
    expect(Object.keys(children)).toEqual(['aws-load-balancer-controller', 'external-secrets', 'argocd-image-updater', 'external-dns', 'karpenter', 'nvidia-device-plugin']);
    expect(children['aws-load-balancer-controller']).toMatchObject({
      namespace: 'argocd',
      project: 'default',
      additionalAnnotations: { 'argocd.argoproj.io/sync-wave': '0' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      source: { repoURL: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', targetRevision: '3.2.2', helm: { releaseName: 'aws-load-balancer-controller' } },
      destination: { name: 'in-cluster', namespace: 'kube-system' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true'] },
    });
    // The chart regenerates its webhook certificate on every render: not compared, not self-healed.
    expect(children['aws-load-balancer-controller'].ignoreDifferences).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'Secret', name: 'aws-load-balancer-tls' }),
      expect.objectContaining({ kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[].clientConfig.caBundle'] }),
      expect.objectContaining({ kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[].clientConfig.caBundle'] }),
    ]));
    expect(children['external-secrets'].ignoreDifferences).toBeUndefined();
    expect(children['aws-load-balancer-controller'].source.helm.valuesObject).toMatchObject({ clusterName: CLUSTER_NAME, replicaCount: 2 });
    for (const name of Object.keys(children).filter((n) => n !== 'aws-load-balancer-controller')) {
      expect(children[name].additionalAnnotations['argocd.argoproj.io/sync-wave'], name).toBe('1');
    }
  });

  it('names the OCI Karpenter chart the Argo CD way and registers its registry', () => {
    expect(parentValues.applications.karpenter.source).toMatchObject({ repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', targetRevision: '1.14.1' });
    const secret = applications.find((o) => o.kind === 'Secret');
    expect(secret.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repository');
    expect(secret.stringData).toEqual({ name: 'karpenter', url: 'public.ecr.aws/karpenter', type: 'helm', enableOCI: 'true' });
  });

  it('applies the objects of the controllers\' CRDs one wave after them, skipping the dry run until the CRDs exist', () => {
    const objects = parentValues.itemTemplates.map((t: { template: any }) => t.template);
    expect(objects.map((o: any) => o.kind)).toEqual(['ClusterSecretStore', 'ImageUpdater', 'EC2NodeClass', 'NodePool']);
    for (const o of objects) {
      expect(o.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    }
  });

  it('points the workloads app-of-apps at the gitops repository, after the controllers', () => {
    const [controllerStep, workloadStep] = p.controllers.manifests.map((m) => p.platform.compute.getLogicalId(m.node.findChild('Resource') as never));
    const workload = resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource')[workloadStep!]!;
    expect(manifestObjects(workload)[0]).toMatchObject({
      kind: 'Application',
      metadata: { name: 'platform-workloads', namespace: 'argocd' },
      spec: { source: { repoURL: GITOPS.repo, path: GITOPS.path, targetRevision: GITOPS.revision }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    });
    expect(workload.DependsOn).toContain(controllerStep);
    const controllers = resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource')[controllerStep!]!;
    const needed = [
      helmCharts(p.template).argocd!.logicalId,
      p.platform.compute.getLogicalId(p.nodeGroup.node.defaultChild as never),
      ...Object.values(p.controllers.podIdentityAssociations).map((a) => p.platform.compute.getLogicalId(a)),
    ];
    expect(controllers.DependsOn).toEqual(expect.arrayContaining(needed));
    expect(p.controllers.ingressReady).toBe(p.controllers.manifests[0]);
  });

  it('keeps the Pod Identity associations, and costs three custom resources and two Lambdas', () => {
    expect(Object.keys(p.controllers.podIdentityAssociations).sort()).toEqual(['argocd-image-updater', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'karpenter']);
    const types = typesOf(p);
    expect(types.filter((t) => t.startsWith('Custom::')).sort()).toEqual(['Custom::AWSCDK-EKS-HelmChart', 'Custom::AWSCDK-EKS-KubernetesResource', 'Custom::AWSCDK-EKS-KubernetesResource']);
    expect(count(types, 'AWS::Lambda::Function')).toBe(2);
    expectNoIrsa(types);
    expect(controllerFindings(p)).toEqual([]);
  });
});

describe('controllers installed through the EKS Argo CD capability', () => {
  let p: ControllerPlatform;
  beforeAll(() => {
    // GIVEN an IAM Identity Center instance  WHEN gitops uses the EKS-managed Argo CD
    p = controllerPlatform({ controllers: everything('capability'), gitops: { ...GITOPS, capabilityIdcArn: IDC } });
  });

  it('creates the capability (RETAIN) with a role that only capabilities.eks.amazonaws.com can assume', () => {
    const capabilities = Object.values(resourcesOfType(p.template, 'AWS::EKS::Capability'));
    expect(capabilities).toHaveLength(1);
    expect(capabilities[0]!.Properties).toMatchObject({
      CapabilityName: 'argocd', Type: 'ARGOCD', DeletePropagationPolicy: 'RETAIN',
      Configuration: { ArgoCd: { Namespace: 'argocd', AwsIdc: { IdcInstanceArn: IDC } } },
    });
    const roleId = capabilities[0]!.Properties.RoleArn['Fn::GetAtt'][0];
    expect(resourcesOfType(p.template, 'AWS::IAM::Role')[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'capabilities.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
  });

  it('installs no chart, registers the cluster by ARN for the capability and binds its access entry, after the capability exists', () => {
    expect(Object.keys(helmCharts(p.template))).toEqual([]);
    const controllerStep = p.platform.compute.getLogicalId(p.controllers.manifests[0]!.node.findChild('Resource') as never);
    const resource = resourcesOfType(p.template, 'Custom::AWSCDK-EKS-KubernetesResource')[controllerStep]!;
    const objects = manifestObjects(resource);
    expect(objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'in-cluster').stringData).toEqual({ name: 'in-cluster', server: '<token>', project: 'default' });
    expect(objects.find((o) => o.kind === 'ClusterRoleBinding')).toMatchObject({ roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'eks-access-entry:<token>' }] });
    expect(resource.DependsOn).toContain(p.platform.compute.getLogicalId(p.capability!.capability));
    const types = typesOf(p);
    expect(types.filter((t) => t.startsWith('Custom::'))).toHaveLength(2);
    expect(count(types, 'AWS::Lambda::Function')).toBe(2);
    expect(controllerFindings(p)).toEqual([]);
  });
});

describe('Cluster Autoscaler', () => {
  let p: ControllerPlatform;
  beforeAll(() => {
    p = controllerPlatform({ controllers: () => ({ autoscaling: 'cluster-autoscaler' }) });
  });

  it('runs the image of the cluster\'s minor and discovers the cluster\'s node groups by tag', () => {
    const chart = helmCharts(p.template)['cluster-autoscaler']!;
    expect([chart.Properties.Chart, chart.Properties.Version, chart.Properties.Namespace]).toEqual(['cluster-autoscaler', '9.59.0', 'kube-system']);
    expect(parseRendered(chart.Properties.Values)).toEqual({
      cloudProvider: 'aws',
      awsRegion: REGION,
      autoDiscovery: { clusterName: CLUSTER_NAME },
      image: { tag: 'v1.33.6' },
      rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler' } },
      extraArgs: { 'balance-similar-node-groups': true },
    });
  });

  it('may resize only Auto Scaling groups tagged for this cluster', () => {
    expect(flat(podIdentityOf(p.template, 'cluster-autoscaler').statements)).toEqual([
      {
        Sid: 'ResizeOwnNodeGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: `arn:<AWS::Partition>:autoscaling:${REGION}:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*`,
        Condition: { StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/nemo-v3': 'owned' } },
      },
      {
        Sid: 'DiscoverNodeGroups',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: '*',
      },
      { Sid: 'DescribeOwnNodeGroups', Effect: 'Allow', Action: 'eks:DescribeNodegroup', Resource: `arn:<AWS::Partition>:eks:${REGION}:<AWS::AccountId>:nodegroup/nemo-v3/*/*` },
    ]);
    expect(controllerFindings(p)).toEqual([]);
  });
});

describe('controller definitions', () => {
  const base: ControllerOptions = { clusterName: CLUSTER_NAME, region: REGION, vpcId: 'vpc-1', kubernetesVersion: '1.33' };

  it('installs only the load balancer controller by default', () => {
    expect(controllerDefinitions(base).map((d) => d.name)).toEqual(['aws-load-balancer-controller']);
    expect(controllerDefinitions({ ...base, loadBalancer: false })).toEqual([]);
  });

  it('leaves the argo-cd chart out when Argo CD is the EKS capability', () => {
    const names = controllerDefinitions({ ...base, argocd: { install: 'capability', imageUpdater: { repositories: REPOSITORIES } } }).map((d) => d.name);
    expect(names).toEqual(['aws-load-balancer-controller', 'argocd-image-updater']);
  });

  it('Noncompliance: refuses a cluster name it cannot put into IAM condition keys', () => {
    expect(() => controllerDefinitions({ ...base, clusterName: Aws.STACK_NAME })).toThrow(/E_CLUSTER_NAME_TOKEN/);
  });

  it('Noncompliance: refuses a Kubernetes minor without a pinned autoscaler image, an empty secret list, an empty repository list', () => {
    expect(() => controllerDefinitions({ ...base, kubernetesVersion: '1.31', autoscaling: 'cluster-autoscaler' })).toThrow(/E_AUTOSCALER_VERSION: .*1\.31.*1\.33, 1\.34, 1\.35/);
    expect(() => controllerDefinitions({ ...base, externalSecrets: { secretArns: [] } })).toThrow(/E_NO_SECRETS/);
    expect(() => controllerDefinitions({ ...base, argocd: { imageUpdater: { repositories: [] } } })).toThrow(/E_NO_REPOSITORIES/);
  });

  it('Noncompliance: refuses a load balancer controller version whose policy aws-cdk-lib does not vendor', () => {
    expect(() => albControllerStatements('9.9.9')).toThrow(/E_ALB_POLICY_MISSING: .*v9\.9\.9/);
  });

  it('scopes the store to namespaces and adds KMS decryption through Secrets Manager only when asked', () => {
    const [, eso] = controllerDefinitions({ ...base, externalSecrets: { secretArns: [DB_SECRET], kmsKeyArns: ['arn:aws:kms:ap-northeast-2:111122223333:key/k'], namespaces: ['prod'] } });
    expect((eso!.manifests![0]!.spec as { conditions: unknown }).conditions).toEqual([{ namespaces: ['prod'] }]);
    const kms = new Stack().resolve(eso!.statements[1]!.toStatementJson());
    expect(flat(kms)).toEqual({
      Sid: 'DecryptThroughSecretsManager', Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:ap-northeast-2:111122223333:key/k',
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.<AWS::URLSuffix>` } },
    });
  });
});

describe('release tags and the alphabetical strategy', () => {
  const pattern = new RegExp(RELEASE_TAG_PATTERN);

  it('accepts only prod-YYYYMMDD-HHMM', () => {
    expect(['prod-20260214-0930', 'prod-19991231-2359'].every((t) => pattern.test(t))).toBe(true);
    expect(['prod-2026214-0930', 'prod-20260214-930', 'prod-latest', 'dev-20260214-0930', 'prod-20260214-0930-rc1', 'latest'].some((t) => pattern.test(t))).toBe(false);
  });

  it('picks the newest release when tags are sorted by name', () => {
    // GIVEN release times in random order  WHEN tags are sorted lexically (what `alphabetical` does)
    const times = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 200) * 37 * 60_000 * 61));
    const tag = (d: Date) => `prod-${d.toISOString().slice(0, 10).replace(/-/g, '')}-${d.toISOString().slice(11, 16).replace(':', '')}`;
    const byName = times.map(tag).sort();
    // THEN the last one is the latest release
    const latest = new Date(Math.max(...times.map((d) => d.getTime())));
    expect(byName.at(-1)).toBe(tag(latest));
    expect(byName.every((t) => pattern.test(t))).toBe(true);
  });
});

describe('installer guards', () => {
  function install(definitions: ControllerDefinition[], gitops = false) {
    return () => controllerPlatformWith(definitions, gitops);
  }

  function controllerPlatformWith(definitions: ControllerDefinition[], gitops: boolean) {
    const stack = new Stack(undefined, 'S', { env: { region: REGION, account: ACCOUNT } });
    const cluster = { clusterName: 'c', clusterArn: 'arn' } as never;
    installControllers(stack, { cluster, definitions, ...(gitops ? { gitops: GITOPS } : {}) });
  }

  const wildcard: ControllerDefinition = {
    name: 'wild', namespace: 'kube-system', serviceAccount: 'wild', purpose: 'test',
    chart: { repository: 'https://example.com', chart: 'wild', version: '1.0.0' }, values: {},
    statements: [new iam.PolicyStatement({ sid: 'Everything', actions: ['s3:GetObject'], resources: ['*'] })],
  };

  it('Noncompliance: refuses a wildcard resource nobody explained, and a wildcard action', () => {
    expect(install([wildcard])).toThrow(/E_UNJUSTIFIED_WILDCARD: wild's statement Everything grants s3:GetObject on \*/);
    const star = { ...wildcard, statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::b'] })] };
    expect(install([star])).toThrow(/E_WILDCARD_ACTION/);
  });

  it('Noncompliance: refuses gitops without Argo CD, and two controllers with one name', () => {
    const [lbc] = controllerDefinitions({ clusterName: 'c', region: REGION, vpcId: 'vpc-1', kubernetesVersion: '1.33' });
    expect(install([lbc!], true)).toThrow(/E_GITOPS_NO_ARGOCD/);
    expect(install([lbc!, lbc!])).toThrow(/E_DUPLICATE_CONTROLLER/);
  });

  it('Noncompliance: refuses a CRD object that Helm would read as a template', () => {
    const templated = { ...wildcard, statements: [], manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '{{ .Values.x }}' } }] };
    expect(() => controllerApplications({ definitions: [templated], namespace: 'argocd' })).toThrow(/E_MANIFEST_TEMPLATE: the ConfigMap "x"/);
  });
});

/**
 * plan → CDK app. Up to four stacks, split by how often they change and what losing them costs, and
 * deployed in this order:
 *
 *   <name>-<env>-network  VPC, routing, NAT, endpoints, VPNs and every security group (so rules that
 *                         reference each other never cross a stack boundary)
 *   <name>-<env>-data     databases, file systems, buckets, repositories, the hosted zone: stateful,
 *                         each resource retained (except on a failed first create) or snapshotted
 *   <name>-<env>-cluster  the EKS cluster, node groups, add-ons, controllers, access entries (with a
 *                         cluster section): after data, whose secrets and repositories controllers use
 *   <name>-<env>-compute  bastion, management hosts, servers, load balancers, certificate, records:
 *                         stateless, safe to replace; after the cluster, on which host roles get access
 *
 * Cost schedules live with their targets (aws/schedules.ts).
 */
import { App, CfnResource, Lazy, Stack, Tags, Validations } from 'aws-cdk-lib';
import { createRequire } from 'node:module';
import { renderWorkloads } from '../k8s/render.js';
import type { Plan } from '../plan/types.js';
import { DataStores } from './data.js';
import { DnsZone } from './dns.js';
import { AccessEntries, accessGrant, hostPrincipalEntries } from './cluster/access-entries.js';
import { PlatformCluster } from './cluster/platform-cluster.js';
import { AppIdentities } from './app-identities.js';
import { Workloads } from './workloads.js';
import { ExternalPrincipals } from './external-principals.js';
import { Hosts, hostsOf } from './hosts.js';
import { ingressesServeTls, LoadBalancers } from './load-balancers.js';
import { Network } from './network.js';
import { Registry } from './registry.js';
import { acknowledgeBucketObjects } from './permission-statements.js';
import { securityGroupsOf } from './security-groups.js';
import { databaseTargets, nodegroupTargets, Schedules, serverTargets } from './schedules.js';

export interface PlatformAppOptions {
  /** Where the cloud assembly is written. @default - a temporary directory */
  readonly outdir?: string;
  /** Run aws-cdk-lib's bundled CloudFormation validator (~7 s of CPU per synth). @default false */
  readonly cloudFormationValidation?: boolean;
  /** Run cdk-nag's AwsSolutions pack. @default true */
  readonly nag?: boolean;
  /**
   * Let aws-cdk-lib print validation findings and fail the process itself (for `cdk synth` via
   * cdk.json). plinth's own commands read the report instead. @default false
   */
  readonly failOnValidationErrors?: boolean;
}

export interface PlatformStacks {
  readonly app: App;
  readonly network: Stack;
  /** Absent when the spec has no stateful resources. */
  readonly data: Stack | undefined;
  /** Present with a cluster section. */
  readonly cluster: Stack | undefined;
  /** Absent when the spec has no hosts or load balancers. */
  readonly compute: Stack | undefined;
}

export function buildPlatformApp(plan: Plan, options: PlatformAppOptions = {}): PlatformStacks {
  // aws-cdk-lib stores call-site stack traces in the assembly (next to acknowledgements, even inside its
  // own constructs). They hold local paths and differ by caller, which breaks byte-identical output, so
  // none are captured while the app is built, unless PLINTH_DEBUG asks for them.
  const limit = Error.stackTraceLimit;
  if (!process.env.PLINTH_DEBUG) Error.stackTraceLimit = 0;
  try {
    return constructPlatform(plan, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function constructPlatform(plan: Plan, options: PlatformAppOptions): PlatformStacks {
  const app = new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    // Deterministic output: no stack traces or analytics metadata in the templates.
    stackTraces: false,
    analyticsReporting: false,
    context: {
      // No construct creation stack traces in the assembly: they hold local paths and differ by caller.
      'aws:cdk:disable-creation-stack-traces': true,
      // Stacks reference each other through CloudFormation exports, which stop a producer (a security
      // group, a subnet) from being deleted while a consumer still uses it. Said explicitly, so the CDK
      // does not warn that it chose this default.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      // Errors from the bundled validator stay errors (not downgraded to warnings) so tests can count them.
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      '@aws-cdk/core:failSynthOnValidationErrors': options.failOnValidationErrors ?? false,
    },
  });
  if (options.nag ?? true) {
    // Loaded only when asked for (~9 % of a synth's start-up): cost, verify and diagram synthesize without it.
    const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }

  const { name, environment, region, account, tags } = plan.platform;
  const env = { region, ...(account ? { account } : {}) };
  const stackName = (part: string) => `${name}-${environment}-${part}`;
  const description = (what: string) => `plinth ${name}/${environment}: ${what}`;

  const networkStack = new Stack(app, 'Network', { stackName: stackName('network'), env, description: description('network and security groups') });
  // No termination protection: it would stop `plinth destroy` half-way (network and NAT keep billing).
  // Data survives a destroy through each resource's DeletionPolicy instead (retained or snapshotted).
  const dataStack = new Stack(app, 'Data', {
    stackName: stackName('data'), env, description: description('stateful resources (retained on delete)'),
  });
  const clusterStack = plan.cluster
    ? new Stack(app, 'Cluster', { stackName: stackName('cluster'), env, description: description('EKS cluster, node groups, add-ons and controllers') })
    : undefined;
  const computeStack = new Stack(app, 'Compute', { stackName: stackName('compute'), env, description: description('hosts and load balancers') });

  const label = `plinth ${name}/${environment}`;
  const network = new Network(networkStack, 'Network', {
    network: plan.network,
    namePrefix: plan.platform.namePrefix,
    clientVpn: plan.clientVpn && { plan: plan.clientVpn, name: `${name}-${environment}` },
    securityGroups: securityGroupsOf(plan),
  });
  const data = new DataStores(dataStack, 'Data', {
    network,
    databases: plan.databases,
    fileSystems: plan.fileSystems,
    buckets: plan.buckets,
    platformName: name,
    environment,
    namePrefix: plan.platform.namePrefix,
  });
  const registry = new Registry(dataStack, 'Registry', { repositories: plan.repositories });
  const dns = new DnsZone(dataStack, 'Dns', { dns: plan.dns, comment: `plinth ${name}/${environment}` });
  if (plan.external.length > 0) {
    new ExternalPrincipals(dataStack, 'External', { namePrefix: `${name}-${environment}`, principals: plan.external, buckets: data.buckets });
  }
  new Schedules(dataStack, 'Schedules', {
    schedules: plan.schedules,
    label,
    targetsOf: (s) => databaseTargets(s, (db) => ({ identifier: data.databases[db]!.instanceIdentifier, arn: data.databases[db]!.instanceArn })),
  });

  if (clusterStack && plan.cluster) {
    const cluster = new PlatformCluster(clusterStack, 'Cluster', {
      cluster: plan.cluster,
      label,
      region,
      network,
      secretArns: Object.values(data.databases).flatMap((db) => (db.secret ? [db.secret.secretArn] : [])),
      fileSystemIds: Object.fromEntries(Object.entries(data.fileSystems).map(([fsName, fs]) => [fsName, fs.fileSystemId])),
      repositories: registry.repositories,
      zone: dns.zone,
      // An app with its own tag pattern has its own updater; a second one for every application would fight it.
      imageUpdaterForEveryApplication: !plan.workloads?.apps.some((a) => a.image.kind === 'registry' && a.image.tagPattern),
    });
    if (plan.workloads) {
      const identities = new AppIdentities(dataStack, 'AppIdentities', { label, apps: plan.workloads.apps, buckets: data.buckets });
      // With gitops nothing is applied from the stack: Argo CD syncs the files `plinth synth` wrote.
      const delivered = plan.cluster.gitops ? {} : { manifests: renderWorkloads(plan)!.files, charts: plan.workloads.charts };
      new Workloads(clusterStack, 'Workloads', {
        cluster: cluster.cluster,
        clusterName: plan.cluster.name,
        apps: plan.workloads.apps,
        roles: identities.roles,
        ...delivered,
        after: cluster,
      });
    }
    new Schedules(clusterStack, 'Schedules', {
      schedules: plan.schedules,
      label,
      targetsOf: (s) => nodegroupTargets(s, plan.cluster!.name, (group) => cluster.nodegroup(group)),
    });
  }

  // kubeadm nodes need the NLB's DNS name in their user data, and the NLB needs the instances as
  // targets: the name is read lazily, once both exist (no CloudFormation cycle: the NLB itself does
  // not depend on its target groups).
  let loadBalancers: LoadBalancers | undefined;
  const hosts = new Hosts(computeStack, 'Hosts', {
    platformName: plan.platform.namePrefix,
    region: plan.platform.region,
    hosts: hostsOf(plan),
    network,
    clusterName: plan.cluster?.name,
    bucketArn: (name) => data.buckets[name]!.bucketArn,
    bastionKubectl: plan.cluster && plan.bastion?.tools.includes('kubectl') ? {
      clusterName: plan.cluster.name,
      kubernetesVersion: plan.cluster.version,
      s3EndpointDnsEntries: network.interfaceEndpoint('s3')?.vpcEndpointDnsEntries,
    } : undefined,
    kubeadm: plan.kubeadm && {
      plan: plan.kubeadm,
      endpointHost: Lazy.string({ produce: () => loadBalancers!.loadBalancers[plan.kubeadm!.endpointLb]!.loadBalancerDnsName }),
    },
  });
  for (const host of hostsOf(plan)) {
    const role = hosts.instances(host.ref)[0]?.role;
    if (role) acknowledgeBucketObjects(role, host.ref, host.permissions ?? [], data.buckets);
  }
  loadBalancers = new LoadBalancers(computeStack, 'LoadBalancers', {
    network,
    loadBalancers: plan.loadBalancers,
    instanceIdsOf: (server) => hosts.instances(`servers/${server}`).map((i) => i.instanceId),
    zone: dns.zone,
    certificateNames: plan.dns?.certificateNames,
    certificateForIngresses: ingressesServeTls(plan.workloads),
  });
  if (plan.cluster) {
    new AccessEntries(computeStack, 'ClusterAccess', {
      clusterName: plan.cluster.name,
      entries: hostPrincipalEntries(plan.cluster).map(({ plan: entry, hostRef }) => accessGrant(entry, hosts.instances(hostRef)[0]!.role.roleArn)),
    });
  }
  new Schedules(computeStack, 'Schedules', {
    schedules: plan.schedules,
    label,
    targetsOf: (s) => serverTargets(s, (ref) => hosts.instances(ref).map((i) => i.instanceId)),
  });

  for (const [key, value] of Object.entries({ 'plinth:platform': name, 'plinth:environment': environment, ...tags })) {
    Tags.of(app).add(key, value);
  }
  const stacks = { app, network: networkStack, data: keepIfNotEmpty(app, dataStack), cluster: clusterStack, compute: keepIfNotEmpty(app, computeStack) };
  orderAroundCluster(stacks);
  return stacks;
}

/**
 * The cluster stack goes after data (controllers read its secrets and repositories) and before compute
 * (access entries of host roles name the cluster literally, so nothing else orders them).
 */
function orderAroundCluster(stacks: PlatformStacks): void {
  if (!stacks.cluster) return;
  if (stacks.data) stacks.cluster.addStackDependency(stacks.data, 'controllers are scoped to the data stack\'s secrets, file systems and repositories');
  if (stacks.compute) stacks.compute.addStackDependency(stacks.cluster, 'host roles get access entries on the cluster');
}

/**
 * CloudFormation rejects a template without resources, so a stack the spec leaves empty (no data, no
 * hosts) is not emitted. Nothing can reference it: references point at resources, and it has none.
 */
function keepIfNotEmpty(app: App, stack: Stack): Stack | undefined {
  if (stack.node.findAll().some((c) => CfnResource.isCfnResource(c))) return stack;
  app.node.tryRemoveChild(stack.node.id);
  return undefined;
}

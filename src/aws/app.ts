/**
 * plan → CDK app. Three stacks, split by how often they change and what losing them costs:
 *
 *   <name>-<env>-network  VPC, routing, NAT, endpoints, VPNs and every security group (so rules that
 *                         reference each other never cross a stack boundary)
 *   <name>-<env>-data     databases, file systems, buckets, repositories, the hosted zone: stateful,
 *                         termination-protected, each resource retained or snapshotted on delete
 *   <name>-<env>-compute  bastion, management hosts, servers, load balancers, certificate, records:
 *                         stateless, safe to replace
 */
import { App, CfnResource, Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Plan } from '../plan/types.js';
import { DataStores } from './data.js';
import { DnsZone } from './dns.js';
import { Hosts } from './hosts.js';
import { LoadBalancers } from './load-balancers.js';
import { Network } from './network.js';
import { Registry } from './registry.js';

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
      // Errors from the bundled validator stay errors (not downgraded to warnings) so tests can count them.
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      '@aws-cdk/core:failSynthOnValidationErrors': options.failOnValidationErrors ?? false,
    },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const { name, environment, region, account, tags } = plan.platform;
  const env = { region, ...(account ? { account } : {}) };
  const stackName = (part: string) => `${name}-${environment}-${part}`;
  const description = (what: string) => `plinth ${name}/${environment}: ${what}`;

  const networkStack = new Stack(app, 'Network', { stackName: stackName('network'), env, description: description('network and security groups') });
  const dataStack = new Stack(app, 'Data', {
    stackName: stackName('data'), env, terminationProtection: true, description: description('stateful resources (retained on delete)'),
  });
  const computeStack = new Stack(app, 'Compute', { stackName: stackName('compute'), env, description: description('hosts and load balancers') });

  const network = new Network(networkStack, 'Network', { plan });
  const data = new DataStores(dataStack, 'Data', { plan, network });
  new Registry(dataStack, 'Registry', { plan });
  const dns = new DnsZone(dataStack, 'Dns', { plan });
  const hosts = new Hosts(computeStack, 'Hosts', { plan, network });
  new LoadBalancers(computeStack, 'LoadBalancers', { plan, network, hosts, zone: dns.zone });
  void data;

  for (const [key, value] of Object.entries({ 'plinth:platform': name, 'plinth:environment': environment, ...tags })) {
    Tags.of(app).add(key, value);
  }
  return { app, network: networkStack, data: keepIfNotEmpty(app, dataStack), compute: keepIfNotEmpty(app, computeStack) };
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

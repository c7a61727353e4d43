/**
 * Test support for the aws/ constructs that sit on top of the network:
 *
 * - FakeNetwork, a stand-in PlatformNetwork in its own stack (so references to it cross stacks as the
 *   real ones do): an imported VPC, imported subnets (one per plan subnet, with its AZ) and one
 *   security group per endpoint that owns one, created without rules so any rule a construct adds shows;
 * - testPlatform, the data and compute stacks of app.ts around it, with cdk-nag registered the same way;
 * - readers for the validation report, the acknowledgements and the synthesized resources.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import type { PlatformNetwork } from '../../src/aws/platform-network.js';
import type { Plan } from '../../src/plan/types.js';

export class FakeNetwork implements PlatformNetwork {
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  private readonly subnetsById = new Map<string, ec2.ISubnet>();
  private readonly subnetsByTier = new Map<string, ec2.ISubnet[]>();
  private readonly groups = new Map<string, ec2.SecurityGroup>();

  constructor(app: App, plan: Plan) {
    this.stack = new Stack(app, 'Network', { env: { region: plan.platform.region, account: plan.platform.account } });
    this.vpc = ec2.Vpc.fromVpcAttributes(this.stack, 'Vpc', {
      vpcId: 'vpc-0fa4e000000000001',
      vpcCidrBlock: plan.network.cidr,
      availabilityZones: [...plan.network.azs],
    });
    let n = 0;
    for (const tier of plan.network.tiers) {
      const subnets = tier.subnets.map((s) => {
        const subnet = ec2.Subnet.fromSubnetAttributes(this.stack, `Subnet-${s.id}`, {
          subnetId: `subnet-0fa4e${String(n++).padStart(12, '0')}`,
          availabilityZone: s.az,
          ipv4CidrBlock: s.cidr,
        });
        this.subnetsById.set(s.id, subnet);
        return subnet;
      });
      this.subnetsByTier.set(tier.name, subnets);
    }
    for (const endpoint of Object.values(plan.endpoints)) {
      if (!endpoint.hasSecurityGroup) continue;
      this.groups.set(endpoint.ref, new ec2.SecurityGroup(this.stack, `Sg-${endpoint.ref.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        vpc: this.vpc,
        description: `plinth test: ${endpoint.ref}`,
        allowAllOutbound: false,
      }));
    }
  }

  subnetsOf(tier: string): ec2.ISubnet[] {
    const subnets = this.subnetsByTier.get(tier);
    if (!subnets) throw new Error(`FakeNetwork: no tier ${tier}`);
    return subnets;
  }

  subnet(id: string): ec2.ISubnet {
    const subnet = this.subnetsById.get(id);
    if (!subnet) throw new Error(`FakeNetwork: no subnet ${id}`);
    return subnet;
  }

  securityGroup(ref: string): ec2.ISecurityGroup {
    const group = this.groups.get(ref);
    if (!group) throw new Error(`FakeNetwork: no security group for ${ref}`);
    return group;
  }
}

const outdirs: string[] = [];
// Registered while a test file imports this module, so each file removes the assemblies it wrote.
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface TestPlatform {
  readonly app: App;
  readonly network: FakeNetwork;
  readonly data: Stack;
  readonly compute: Stack;
  /** Where the cloud assembly (and the validation report) is written. */
  readonly outdir: string;
}

/**
 * The data and compute stacks of app.ts around a FakeNetwork, with cdk-nag's AwsSolutions pack (and
 * optionally aws-cdk-lib's CloudFormation validator) registered as app.ts does. `build` adds the
 * constructs under test.
 */
export function testPlatform(
  plan: Plan,
  build: (stacks: { data: Stack; compute: Stack; network: FakeNetwork }) => void,
  options: { readonly cloudFormationValidation?: boolean } = {},
): TestPlatform {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-aws-test-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    stackTraces: false,
    analyticsReporting: false,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const network = new FakeNetwork(app, plan);
  const env = { region: plan.platform.region, account: plan.platform.account };
  const data = new Stack(app, 'Data', { env });
  const compute = new Stack(app, 'Compute', { env });
  build({ data, compute, network });
  return { app, network, data, compute, outdir };
}

export interface Finding {
  /** `AwsSolutions` (cdk-nag) or `CloudFormation Validate`. */
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
}

/**
 * Synthesizes the app and reads the validation report aws-cdk-lib writes into the assembly
 * (validation-report.json): what is left in `violations` is unacknowledged, of any severity. cdk-nag
 * drops the findings it sees acknowledged before reporting; aws-cdk-lib moves the ones it suppresses
 * (the CloudFormation validator's) to `suppressedViolations`.
 */
export function validationFindings(platform: TestPlatform): { readonly unacknowledged: Finding[] } {
  platform.app.synth();
  const report = JSON.parse(readFileSync(join(platform.outdir, VALIDATION_REPORT_FILE), 'utf8')) as ValidationReportJson;
  return {
    unacknowledged: (report.pluginReports ?? []).flatMap((r) => (r.violations ?? []).flatMap((v) => (v.violatingConstructs ?? []).map((c) => ({
      plugin: r.pluginName,
      rule: v.ruleName,
      severity: v.severity ?? '',
      constructPath: c.constructPath ?? '',
    })))).filter((f) => !(f.rule === 'F0001' && !f.constructPath.includes('/'))), // a harness stack the test left empty
  };
}

interface ViolationJson {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: readonly { readonly constructPath?: string }[];
}

interface ValidationReportJson {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly violations?: readonly ViolationJson[];
  }[];
}

export interface Acknowledgement {
  readonly constructPath: string;
  readonly id: string;
  readonly reason: string;
}

/** Every `Validations.of(...).acknowledge(...)` recorded under a scope, with its reason. */
export function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
      constructPath: c.node.path,
      id: id.replace(/^annotation::/i, ''),
      reason,
    }))));
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Every resource of every stack in the app, as [stackName, logicalId, resource]. */
export function allResources(platform: TestPlatform): [string, string, TemplateResource][] {
  return platform.app.synth().stacks.flatMap((stack) => {
    const resources = (stack.template as { Resources?: Record<string, TemplateResource> }).Resources ?? {};
    return Object.entries(resources).map(([id, resource]): [string, string, TemplateResource] => [stack.stackName, id, resource]);
  });
}

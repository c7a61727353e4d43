/**
 * `plinth plan SPEC --against deployed`: the version to compare with is what CloudFormation runs now.
 * For each stack of SPEC's assembly, DescribeStacks (does it exist, termination protection) then
 * GetTemplate with TemplateStage Original (the template as submitted, before transforms — the same
 * form the synthesized side is in), in the stack's region. A stack that does not exist is absent
 * from the result (its first deploy). What was read is written as a minimal cloud assembly
 * (manifest.json + <id>.template.json) so readPlanAssembly and analyseSide read it like any other.
 *
 * CloudFormation answers DescribeStacks/GetTemplate for a missing stack name with a ValidationError
 * "Stack with id NAME does not exist" (rubyonjets/jets lib/jets/aws_services/aws_helpers.rb,
 * find_stack, keys on the same ValidationError and message).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { parseTemplateText } from '../analyse/input/templates.js';
import type { PlanStack } from '../analyse/plan/types.js';

export class DeployedReadError extends Error {
  public override readonly name = 'DeployedReadError';
}

/** One client per region; `undefined`: the SDK's default region (AWS_REGION, the profile). */
export type ClientFor = (region: string | undefined) => CloudFormationClient;

const defaultClients = (): ClientFor => {
  const cache = new Map<string, CloudFormationClient>();
  return (region) => {
    const key = region ?? '';
    if (!cache.has(key)) cache.set(key, new CloudFormationClient(region ? { region } : {}));
    return cache.get(key)!;
  };
};

export interface DeployedStack {
  readonly id: string;
  readonly stackName: string;
  readonly region: string | undefined;
  readonly account: string | undefined;
  readonly terminationProtection: boolean;
  readonly templateBody: string;
}

/** What is deployed of `stacks` (missing stacks left out). Throws DeployedReadError on any other failure. */
export async function readDeployedStacks(stacks: readonly PlanStack[], clientFor: ClientFor = defaultClients()): Promise<DeployedStack[]> {
  const found: DeployedStack[] = [];
  for (const s of stacks) {
    const cfn = clientFor(s.region);
    const where = `${s.stackName}${s.region ? ` in ${s.region}` : ''}`;
    try {
      const described = (await cfn.send(new DescribeStacksCommand({ StackName: s.stackName }))).Stacks?.[0];
      if (!described) continue;
      const body = (await cfn.send(new GetTemplateCommand({ StackName: s.stackName, TemplateStage: 'Original' }))).TemplateBody;
      if (body === undefined) throw new DeployedReadError(`CloudFormation returned no template for stack ${where}.`);
      const account = /^arn:[^:]+:cloudformation:[^:]*:(\d+):/.exec(described.StackId ?? '')?.[1];
      found.push({ id: s.id, stackName: s.stackName, region: s.region, account, terminationProtection: described.EnableTerminationProtection ?? false, templateBody: body });
    } catch (e) {
      if (e instanceof DeployedReadError) throw e;
      const err = e as { name?: string; message?: string };
      if (err.name === 'ValidationError' && /does not exist/.test(err.message ?? '')) continue;
      const hint = /AccessDenied|UnauthorizedOperation|not authorized/i.test(`${err.name} ${err.message}`)
        ? ' The credentials need cloudformation:DescribeStacks and cloudformation:GetTemplate on the stack.'
        : /ExpiredToken|InvalidClientTokenId|UnrecognizedClient|CredentialsProviderError|Could not load credentials/i.test(`${err.name} ${err.message}`)
          ? ' Refresh the credentials (e.g. "aws sso login") and try again.'
          : '';
      throw new DeployedReadError(`Could not read the deployed stack ${where}: ${err.name ?? 'Error'}: ${err.message ?? String(e)}.${hint}`);
    }
  }
  return found;
}

/**
 * Writes `deployed` as a cloud assembly in `dir`. Construct paths come from each resource's
 * `aws:cdk:path` metadata (CDK writes it into the template), dependencies from SPEC's assembly
 * (limited to stacks that are deployed). Returns false when nothing is deployed (a first deploy).
 */
export function writeDeployedAssembly(dir: string, deployed: readonly DeployedStack[], synthesized: readonly PlanStack[]): boolean {
  if (deployed.length === 0) return false;
  mkdirSync(dir, { recursive: true });
  const present = new Set(deployed.map((d) => d.id));
  const artifacts: Record<string, unknown> = {};
  for (const d of deployed) {
    const template = parseTemplateText(d.templateBody, `${d.stackName} (deployed)`);
    const templateFile = `${d.id}.template.json`;
    writeFileSync(join(dir, templateFile), `${JSON.stringify(template, null, 1)}\n`);
    const metadata: Record<string, { type: string; data: string }[]> = {};
    for (const [logicalId, r] of Object.entries((template as { Resources?: Record<string, { Metadata?: Record<string, unknown> }> }).Resources ?? {})) {
      const path = r.Metadata?.['aws:cdk:path'];
      if (typeof path === 'string') metadata[`/${path.replace(/^\//, '')}`] = [{ type: 'aws:cdk:logicalId', data: logicalId }];
    }
    artifacts[d.id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${d.account ?? 'unknown-account'}/${d.region ?? 'unknown-region'}`,
      dependencies: (synthesized.find((s) => s.id === d.id)?.dependsOn ?? []).filter((x) => present.has(x)),
      metadata,
      properties: { templateFile, stackName: d.stackName, terminationProtection: d.terminationProtection },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ version: '36.0.0', artifacts }, null, 1)}\n`);
  return true;
}

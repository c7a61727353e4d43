/**
 * `plinth plan --against deployed` against recorded CloudFormation responses (aws-sdk-client-mock):
 * a deployed stack becomes a cloud assembly the plan reads (template, construct paths from
 * aws:cdk:path, termination protection, region); a stack not deployed is absent; any other failure
 * (access denied) is one clear sentence naming the stack and the permissions needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand, GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { planChanges, readPlanAssembly } from '../../src/analyse/plan/index.js';
import type { PlanStack } from '../../src/analyse/plan/types.js';
import { DeployedReadError, readDeployedStacks, writeDeployedAssembly } from '../../src/ops/deployed-assembly.js';
import { deployedStacks } from '../../src/cli/commands/plan.js';
import { UsageError } from '../../src/spec/load.js';
import { runPlinth } from '../cli-support.js';

const REGION = 'ap-northeast-2';
const cfn = mockClient(CloudFormationClient);
const clientFor = () => new CloudFormationClient({ region: REGION });
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'plinth-deployed-test-')); dirs.push(d); return d; };

const bucket = (versioning: boolean) => ({
  Type: 'AWS::S3::Bucket',
  Properties: versioning ? { VersioningConfiguration: { Status: 'Enabled' } } : {},
  Metadata: { 'aws:cdk:path': 'shop-prod-data/Data/Buckets/assets/Resource' },
});
const stack = (id: string, stackName: string, resources: Record<string, unknown>, dependsOn: string[] = []): PlanStack => ({
  id, stackName, template: { Resources: resources } as PlanStack['template'], dependsOn, paths: {}, region: REGION, terminationProtection: false,
});
const notFound = (name: string) => new CloudFormationServiceException({
  name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `Stack with id ${name} does not exist`,
});

beforeEach(() => cfn.reset());

describe('reading the deployed stacks', () => {
  it('writes a found stack as an assembly readPlanAssembly reads: template, paths, protection, region', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'shop-prod-data' }).resolves({ Stacks: [{
      StackName: 'shop-prod-data', StackId: `arn:aws:cloudformation:${REGION}:111122223333:stack/shop-prod-data/4a1b2c3d`,
      StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0), EnableTerminationProtection: true,
    }] });
    // What was deployed: the bucket without versioning, in YAML (CloudFormation returns what was sent).
    cfn.on(GetTemplateCommand, { StackName: 'shop-prod-data' }).resolves({
      TemplateBody: 'Resources:\n  AssetsBucket1A2B3C4D:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aws:cdk:path: shop-prod-data/Data/Buckets/assets/Resource\n',
    });
    const synthesized = [stack('Data', 'shop-prod-data', { AssetsBucket1A2B3C4D: bucket(true) })];
    const deployed = await readDeployedStacks(synthesized, clientFor);
    expect(cfn.commandCalls(GetTemplateCommand)[0]!.args[0].input).toEqual({ StackName: 'shop-prod-data', TemplateStage: 'Original' });
    expect(deployed).toMatchObject([{ id: 'Data', account: '111122223333', terminationProtection: true }]);

    const dir = tempDir();
    expect(writeDeployedAssembly(dir, deployed, synthesized)).toBe(true);
    const [old] = readPlanAssembly(dir);
    expect(old).toMatchObject({
      id: 'Data', stackName: 'shop-prod-data', region: REGION, terminationProtection: true,
      paths: { AssetsBucket1A2B3C4D: 'Data/Buckets/assets' },
    });
    expect(old!.template.Resources).toEqual({ AssetsBucket1A2B3C4D: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'shop-prod-data/Data/Buckets/assets/Resource' } } });
    // The plan then sees the versioning change on the deployed bucket as an update, not a create.
    const report = planChanges([old!], synthesized, { allowReplace: [] });
    expect(report.stacks).toMatchObject([{ stack: 'Data', status: 'update', resources: [{ logicalId: 'AssetsBucket1A2B3C4D', action: 'modify' }] }]);
  });

  it('leaves out a stack that does not exist (its first deploy), keeping dependencies among the rest', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'shop-prod-network' }).resolves({ Stacks: [{
      StackName: 'shop-prod-network', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(0),
    }] });
    cfn.on(GetTemplateCommand, { StackName: 'shop-prod-network' }).resolves({ TemplateBody: '{"Resources":{"Vpc8378EB38":{"Type":"AWS::EC2::VPC"}}}' });
    cfn.on(DescribeStacksCommand, { StackName: 'shop-prod-data' }).rejects(notFound('shop-prod-data'));
    const synthesized = [
      stack('Network', 'shop-prod-network', { Vpc8378EB38: { Type: 'AWS::EC2::VPC' } }),
      stack('Data', 'shop-prod-data', { AssetsBucket1A2B3C4D: bucket(true) }, ['Network']),
    ];
    const deployed = await readDeployedStacks(synthesized, clientFor);
    expect(deployed.map((d) => d.id)).toEqual(['Network']);
    expect(cfn.commandCalls(GetTemplateCommand).map((c) => c.args[0].input.StackName)).toEqual(['shop-prod-network']);
    const dir = tempDir();
    writeDeployedAssembly(dir, deployed, synthesized);
    expect(readPlanAssembly(dir).map((s) => [s.id, s.dependsOn])).toEqual([['Network', []]]);
  });

  it('reports nothing deployed when no stack exists, so the plan is a first deploy', async () => {
    cfn.on(DescribeStacksCommand).rejects(notFound('shop-prod-data'));
    const synthesized = [stack('Data', 'shop-prod-data', { AssetsBucket1A2B3C4D: bucket(true) })];
    const deployed = await readDeployedStacks(synthesized, clientFor);
    expect(deployed).toEqual([]);
    expect(writeDeployedAssembly(tempDir(), deployed, synthesized)).toBe(false);
  });

  it('reports access denied clearly: the stack, its region, the error and the permissions needed', async () => {
    cfn.on(DescribeStacksCommand).rejects(new CloudFormationServiceException({
      name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 },
      message: 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: cloudformation:DescribeStacks',
    }));
    const read = readDeployedStacks([stack('Data', 'shop-prod-data', {})], clientFor);
    await expect(read).rejects.toThrow(DeployedReadError);
    await expect(read).rejects.toThrow(
      /^Could not read the deployed stack shop-prod-data in ap-northeast-2: AccessDenied: User: .* not authorized .*\. The credentials need cloudformation:DescribeStacks and cloudformation:GetTemplate on the stack\.$/,
    );
  });

  it('a ValidationError other than "does not exist" is an error, not a missing stack', async () => {
    cfn.on(DescribeStacksCommand).rejects(new CloudFormationServiceException({
      name: 'ValidationError', $fault: 'client', $metadata: {}, message: '1 validation error detected: Value at \'stackName\' failed to satisfy constraint',
    }));
    await expect(readDeployedStacks([stack('Data', 'shop_prod', {})], clientFor)).rejects.toThrow(/Could not read the deployed stack shop_prod/);
  });
});

describe('deploy\'s pre-check without cdk.out.deployed (deployedStacks)', () => {
  it('compares with the stacks CloudFormation runs, read through the same assembly', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'shop-prod-data', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: { AssetsBucket1A2B3C4D: bucket(false) } }) });
    const old = await deployedStacks([stack('Data', 'shop-prod-data', { AssetsBucket1A2B3C4D: bucket(true) })]);
    expect(old).toMatchObject([{ id: 'Data', region: REGION, paths: { AssetsBucket1A2B3C4D: 'Data/Buckets/assets' } }]);
  });

  it('turns a read failure into a usage error (exit 2), not a plan that needs attention', async () => {
    cfn.on(DescribeStacksCommand).rejects(new CloudFormationServiceException({
      name: 'ExpiredToken', $fault: 'client', $metadata: {}, message: 'The security token included in the request is expired',
    }));
    const read = deployedStacks([stack('Data', 'shop-prod-data', {})]);
    await expect(read).rejects.toThrow(UsageError);
    await expect(read).rejects.toThrow(/expired\. Refresh the credentials \(e\.g\. "aws sso login"\) and try again\.$/);
  });
});

describe('plinth plan --against deployed', () => {
  it('without credentials: a usage error (exit 2) saying how to provide them, before any synth', async () => {
    const r = await runPlinth(['plan', 'examples/bootcamp-ec2', '--against', 'deployed'], { env: { PATH: process.env.PATH, HOME: tempDir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--against deployed reads the stacks from CloudFormation. No AWS credentials found: run "aws configure"');
  });
});

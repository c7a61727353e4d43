/**
 * Servers granted a prefix of a bucket plinth creates (`buckets/NAME/PREFIX/:ACCESS`): the host role (compute
 * stack) reaches the bucket (data stack) through an imported value, and cdk-nag's IAM5 finding on the
 * object wildcard is acknowledged for exactly that bucket and prefix, nothing broader.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlatformApp } from '../../src/aws/app.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { planFromYaml, ROOT } from '../support.js';

const SPEC = `platform: { name: media, region: ap-northeast-2 }
network: { cidr: 10.50.0.0/16, azs: 2 }
servers:
  indexer:
    permissions: ["buckets/videos/generated/:read", "buckets/videos/generated/:write"]
data:
  buckets:
    videos: {}
`;
const plan = () => planFromYaml(SPEC, join(ROOT, 'examples', 'video-platform'));

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
type Template = { Resources: Record<string, { Type: string; Properties?: { AssumeRolePolicyDocument?: unknown; Policies?: { PolicyDocument: { Statement: Statement[] } }[] } }> };
type Report = { pluginReports?: { violations: { ruleName: string; severity: string; violatingConstructs?: { constructPath?: string }[] }[] }[] };

function errorsIn(outdir: string): { rule: string; paths: string[] }[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  return (report.pluginReports ?? []).flatMap((p) => p.violations).filter((v) => v.severity === 'error')
    .map((v) => ({ rule: v.ruleName, paths: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? '') }));
}

describe('a server granted read and write under a prefix of a created bucket', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-server-bucket-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const result = synthesizePlatform(plan(), { outdir });
  const compute = JSON.parse(readFileSync(join(outdir, result.stacks.find((st) => st.stackName.endsWith('-compute'))!.templateFile), 'utf8')) as Template;
  const role = Object.values(compute.Resources).find((r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties?.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'))!;
  const statements = (role.Properties?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  const s3Statements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));

  it('synthesizes with no unacknowledged cdk-nag or validator error', () => {
    expect(result.findings.filter((f) => f.severity === 'error' || f.severity === 'fatal')).toEqual([]);
  });

  it('scopes every object action to the prefix of that bucket, imported from the data stack', () => {
    const objects = s3Statements.filter((s) => [s.Action].flat().some((a) => a !== 's3:ListBucket'));
    expect(objects.map((s) => [s.Action].flat()).flat().sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
    for (const s of objects) {
      expect(s.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/^media-prod-data:ExportsOutput.*videos.*Arn/) }, '/generated/*']] });
    }
    const list = s3Statements.find((s) => s.Action === 's3:ListBucket')!;
    expect(list.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^media-prod-data:/) });
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['generated/*'] } });
  });

  it('acknowledges exactly the object wildcard of that prefix, with a reason naming bucket and prefix', () => {
    const iam5 = result.acknowledgements.filter((a) => a.rule.startsWith('AwsSolutions-IAM5') && a.constructPath.includes('indexer'));
    expect(iam5.length).toBeGreaterThan(0);
    for (const a of iam5) {
      expect(a.rule).toMatch(/^AwsSolutions-IAM5\[Resource::media-prod-data:ExportsOutput\S*videos\S*Arn\S*\/generated\/\*\]$/);
      expect(a.reason).toContain('generated/');
      expect(a.reason).toContain('videos');
    }
  });
});

describe('another wildcard on the same role', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-server-bucket-wide-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const stacks = buildPlatformApp(plan(), { outdir });
  const all = stacks.app.node.findAll();
  const role = all.find((c) => c.node.path === 'Compute/Hosts/Servers/indexer/Role') as iam.Role;
  const bucket = all.find((c): c is s3.Bucket => c instanceof s3.Bucket && c.node.path.includes('videos'))!;
  // Every object of the bucket: broader than the granted prefix, so it must not ride on its acknowledgement.
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
  stacks.app.synth();

  it('is still reported by cdk-nag (the acknowledgement is not blanket)', () => {
    expect(role).toBeInstanceOf(iam.Role);
    const errors = errorsIn(outdir);
    expect(errors.map((e) => e.rule)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::media-prod-data:ExportsOutput\S*Arn\S*\/\*\]$/)]);
    expect(errors[0]!.paths.some((p) => p.startsWith('Compute/Hosts/Servers/indexer/Role'))).toBe(true);
  });
});

/**
 * Every bundled example, synthesized as a user would: aws-cdk-lib's CloudFormation validator on,
 * cdk-nag AwsSolutions on, byte-identical output on a second run.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizePlatform, type SynthResult } from '../src/aws/synth.js';
import { listExamples } from '../src/cli/examples.js';
import { examplePlan } from './support.js';

const EXAMPLES = listExamples();

function synth(name: string, cloudFormationValidation: boolean): SynthResult {
  return synthesizePlatform(examplePlan(name), { outdir: mkdtempSync(join(tmpdir(), `plinth-${name}-`)), cloudFormationValidation });
}

describe.each(EXAMPLES)('example %s', (name) => {
  const validated = synth(name, true);

  it('passes the CloudFormation validator with 0 errors', () => {
    const errors = validated.findings.filter((f) => f.plugin === 'CloudFormation Validate' && f.severity !== 'warning' && f.severity !== 'info');
    expect(errors).toEqual([]);
  });

  it('has 0 unacknowledged cdk-nag AwsSolutions errors and warnings', () => {
    expect(validated.findings.filter((f) => f.plugin === 'AwsSolutions')).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    expect(validated.acknowledgements.length).toBeGreaterThan(0);
    for (const ack of validated.acknowledgements) {
      expect(ack.reason.length, `${ack.rule} at ${ack.constructPath}`).toBeGreaterThanOrEqual(40);
      expect(ack.reason).not.toMatch(/^(n\/a|ok|test|todo|not needed|acknowledged)\.?$/i);
    }
  });

  it('puts stateful resources in the data stack, kept on delete but not after a failed first create', () => {
    const data = validated.stacks.find((s) => s.id === 'Data');
    if (!data) {
      const plan = examplePlan(name);
      expect(plan.databases.length + plan.fileSystems.length + plan.buckets.length + plan.repositories.length).toBe(0);
      return;
    }
    // Termination protection would stop `plinth destroy` half-way; DeletionPolicy keeps the data instead.
    expect(data.terminationProtection).toBe(false);
    const template = JSON.parse(readFileSync(join(validated.outdir, data.templateFile), 'utf8')) as { Resources: Record<string, { Type: string; DeletionPolicy?: string }> };
    for (const [id, r] of Object.entries(template.Resources)) {
      if (['AWS::RDS::DBInstance'].includes(r.Type)) expect(r.DeletionPolicy, id).toBe('Snapshot');
      if (['AWS::S3::Bucket', 'AWS::ECR::Repository', 'AWS::EFS::FileSystem', 'AWS::Route53::HostedZone'].includes(r.Type)) expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
    }
  });

  it('writes byte-identical output for identical input', () => {
    const again = synth(name, true);
    const files = readdirSync(validated.outdir).sort();
    expect(readdirSync(again.outdir).sort()).toEqual(files);
    // asset.<hash> entries (the kubectl provider's code and layers) are named by their content's hash.
    for (const f of files.filter((x) => !x.startsWith('asset.') && x !== 'k8s')) {
      expect(readFileSync(join(again.outdir, f), 'utf8'), f).toBe(readFileSync(join(validated.outdir, f), 'utf8'));
    }
    // Kubernetes manifests (apps and services) are written under k8s/, file by file.
    expect(again.manifests?.files).toEqual(validated.manifests?.files);
    for (const f of validated.manifests?.files ?? []) {
      expect(readFileSync(join(again.outdir, 'k8s', f), 'utf8'), f).toBe(readFileSync(join(validated.outdir, 'k8s', f), 'utf8'));
    }
  });

  it('creates Lambda-backed custom resources only for the cluster\'s kubectl steps, within budget, and looks nothing up', () => {
    let customResources = 0;
    let functions = 0;
    for (const s of validated.stacks) {
      const template = JSON.parse(readFileSync(join(validated.outdir, s.templateFile), 'utf8')) as { Resources: Record<string, { Type: string }> };
      const types = Object.values(template.Resources).map((r) => r.Type);
      const lambdaBacked = types.filter((t) => t.startsWith('Custom::') || t === 'AWS::Lambda::Function');
      if (s.id !== 'Cluster') expect(lambdaBacked, s.id).toEqual([]);
      // The kubectl provider (a handler and its provider framework) applies manifests and Helm charts.
      expect(lambdaBacked.filter((t) => t.startsWith('Custom::') && !t.startsWith('Custom::AWSCDK-EKS-')), s.id).toEqual([]);
      customResources += lambdaBacked.filter((t) => t.startsWith('Custom::')).length;
      functions += lambdaBacked.filter((t) => t === 'AWS::Lambda::Function').length;
    }
    expect(customResources).toBeLessThanOrEqual(12);
    expect(functions).toBeLessThanOrEqual(4);
    const manifest = JSON.parse(readFileSync(join(validated.outdir, 'manifest.json'), 'utf8')) as { missing?: unknown };
    expect(manifest.missing).toBeUndefined();
  });
});

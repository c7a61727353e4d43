/** nemo-v3's dev environment synthesized as `plinth synth --env dev` would: its own names, cheaper, still verified. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareEstimates, defaultUsage, estimate, readModel } from '../../src/analyse/cost/index.js';
import { verify } from '../../src/analyse/verify/index.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { loadPlan } from '../../src/plan/load.js';
import { ROOT } from '../support.js';

const NEMO = join(ROOT, 'examples', 'nemo-v3');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function synth(environment: string, cloudFormationValidation = false) {
  const { plan, loaded } = await loadPlan(NEMO, { environment });
  const outdir = mkdtempSync(join(tmpdir(), `plinth-env-${environment}-`));
  dirs.push(outdir);
  return { plan, loaded, result: synthesizePlatform(plan, { outdir, cloudFormationValidation }) };
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

describe('examples/nemo-v3 --env dev', async () => {
  const dev = await synth('dev', true);
  const template = (id: string) => JSON.parse(readFileSync(join(dev.result.outdir, `${id}.template.json`), 'utf8')) as Template;

  it('names every stack after the environment', () => {
    expect(dev.result.stacks.map((s) => s.stackName).sort()).toEqual(['nemo-dev-cluster', 'nemo-dev-compute', 'nemo-dev-data', 'nemo-dev-network']);
  });

  it('tags resources with the environment and names them with it', () => {
    const vpc = Object.values(template('Network').Resources).find((r) => r.Type === 'AWS::EC2::VPC')!;
    expect(vpc.Properties!.Tags).toEqual(expect.arrayContaining([{ Key: 'plinth:environment', Value: 'dev' }, { Key: 'Name', Value: 'nemo-dev-vpc' }]));
    const cluster = Object.values(template('Cluster').Resources).find((r) => r.Type === 'AWS::EKS::Cluster')!;
    expect(cluster.Properties!.Name).toBe('nemo-dev');
  });

  it('shares prod\'s repositories instead of creating them again', () => {
    expect(Object.values(template('Data').Resources).filter((r) => r.Type === 'AWS::ECR::Repository')).toEqual([]);
  });

  it('passes the CloudFormation validator and cdk-nag, and verify proves its intents', () => {
    expect(dev.result.findings.filter((f) => f.severity === 'error' || f.severity === 'fatal')).toEqual([]);
    const report = verify([dev.result.outdir], { plan: dev.plan, locate: dev.loaded.locate });
    expect(report.findings.filter((f) => f.status === 'violation')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('costs less than prod, and the difference names what dev gives up', async () => {
    const prod = await synth('prod');
    const options = { usage: defaultUsage(), now: new Date('2026-12-05T00:00:00Z') };
    const comparison = compareEstimates(estimate(readModel([prod.result.outdir]), options), estimate(readModel([dev.result.outdir]), options));
    expect(comparison.delta).toBeLessThan(-300);
    const removed = comparison.resources.map((r) => r.type);
    expect(removed).toEqual(expect.arrayContaining(['AWS::EKS::Cluster', 'AWS::EC2::Instance', 'AWS::RDS::DBInstance', 'AWS::ECR::Repository']));
  });
});

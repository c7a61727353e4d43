/** `plinth cost` as a user runs it, `--compare`, and the line `plinth synth` prints. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareEstimates, estimatePaths, formatComparison, formatMarkdown, monthlyTotalLine } from '../../src/analyse/cost/index.js';
import { ROOT } from '../support.js';
import { runPlinth } from '../cli-support.js';
import { assemblyOf, NOW, P, templateFile } from './support.js';

const plinth = runPlinth;

const instance = (type: string) => ({ Type: 'AWS::EC2::Instance', Properties: { InstanceType: type } });

describe('plinth cost', () => {
  it('prints the table of an assembly grouped by layer, with the total range', async () => {
    const r = (await plinth(['cost', assemblyOf('bootcamp-ec2'), '--now', '2026-11-21']));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NETWORK .*per month$/m);
    expect(r.stdout).toMatch(/^EDGE /m);
    expect(r.stdout).toMatch(/^Total: \$\d+\/month \(base; range \$[\d.,]+–\$[\d.,]+ low–high\)$/m);
    // the Multi-AZ MySQL db.t3.micro: no sourced Seoul price (its Extended Support surcharge is priced)
    expect(r.stdout).toContain('Not priced (1)');
    expect(r.stdout).toMatch(/^Prices: the ap-northeast-2 table dated \d{4}-\d{2}-\d{2} \(its oldest source\), \d+ days old on 2026-11-21; plinth warns after 120 days\.$/m);
  });

  it('counts the table age to PLINTH_TODAY when no --now is given, as the version calendar does', async () => {
    const file = templateFile({ A: instance('t3.medium') });
    const r = await plinth(['cost', file, '--region', 'eu-central-1'], { env: { ...process.env, PLINTH_TODAY: '2026-12-05' } });
    expect(r.code).toBe(0);
    const dated = /dated (\d{4}-\d{2}-\d{2})/.exec(r.stdout)![1]!;
    const days = (Date.parse('2026-12-05T00:00:00Z') - Date.parse(`${dated}T00:00:00Z`)) / 86_400_000;
    expect(r.stdout).toContain(`Prices: the eu-central-1 table dated ${dated} (its oldest source), ${days} days old on 2026-12-05`);
    const bad = await plinth(['cost', file, '--region', 'eu-central-1'], { env: { ...process.env, PLINTH_TODAY: '5 Dec' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PLINTH_TODAY must be a date such as 2026-12-05');
  });

  it('prints JSON with --format json, and a PR comment with --format markdown', async () => {
    const file = templateFile({ A: instance('t3.medium') });
    const json = JSON.parse((await plinth(['cost', file, '--region', 'ap-northeast-2', '--format', 'json', '--now', '2026-11-21'])).stdout) as { totals: { base: number } };
    expect(json.totals.base).toBeCloseTo(730 * P('ec2.instance.t3.medium'), 4);
    const md = (await plinth(['cost', file, '--region', 'ap-northeast-2', '--format', 'markdown'])).stdout;
    expect(md).toMatch(/^### plinth cost: \$37\.96\/month/m);
    expect(md).toContain('| compute | $37.96 |');
  });

  it('synthesizes a spec to a temporary directory first, and reports the chosen profile', async () => {
    const r = (await plinth(['cost', 'examples/bootcamp-ec2', '--profile', 'high', '--now', '2026-11-21']));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Total: \$\d+\/month \(high; range/m);
  });

  it('needs --region for bare templates and says so (exit 2)', async () => {
    const r = (await plinth(['cost', templateFile({ A: instance('t3.medium') })]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_NO_REGION');
  });

  it('shows the monthly difference per resource with --compare', async () => {
    const before = templateFile({ A: instance('t3.medium'), B: instance('t3.small') });
    const after = templateFile({ A: instance('m7g.large'), C: instance('t3.micro') });
    const r = (await plinth(['cost', '--compare', before, after, '--region', 'ap-northeast-2']));
    expect(r.code).toBe(0);
    const delta = 730 * (P('ec2.instance.m7g.large') + P('ec2.instance.t3.micro') - P('ec2.instance.t3.medium') - P('ec2.instance.t3.small'));
    expect(r.stdout).toContain(`Monthly cost will increase by $${delta.toFixed(2)}`);
    expect(r.stdout).toMatch(/^~ A {2}\(AWS::EC2::Instance, Stack\/A\)$/m);
    expect(r.stdout).toMatch(/^- B /m);
    expect(r.stdout).toMatch(/^\+ C /m);
  });
});

describe('compareEstimates', () => {
  it('pairs resources by address and sorts the biggest change first', async () => {
    const e = (resources: Record<string, unknown>) => estimatePaths([templateFile(resources)], { region: 'ap-northeast-2', now: NOW });
    const c = compareEstimates(e({ A: instance('t3.micro'), Gone: instance('g5.xlarge') }), e({ A: instance('t3.small') }));
    expect(c.resources.map((d) => [d.change, d.address])).toEqual([['removed', 'Stack/Gone'], ['changed', 'Stack/A']]);
    expect(c.delta).toBeCloseTo(730 * (P('ec2.instance.t3.small') - P('ec2.instance.t3.micro') - P('ec2.instance.g5.xlarge')), 4);
    expect(formatComparison(c, true)).toMatch(/^\| ~ \| A \(AWS::EC2::Instance\) \| \$9\.49 \| \$18\.98 \| \+\$9\.49 \|$/m);
  });
});

describe('monthlyTotalLine (printed at the end of plinth synth)', () => {
  it('is one sentence with the base total, the range and the unpriced count', async () => {
    const outdir = assemblyOf('bootcamp-ec2');
    expect(monthlyTotalLine(outdir, { now: NOW })).toMatch(/^Estimated cost: \$\d+\/month \(base; range \$[\d.,]+–\$[\d.,]+ low–high\), 1 line unpriced\. Details: plinth cost /);
  });

  it('is empty for a directory that is not an assembly, and never throws', async () => {
    expect(monthlyTotalLine(mkdtempSync(join(tmpdir(), 'plinth-empty-')))).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'plinth-bad-'));
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    expect(monthlyTotalLine(dir)).toMatch(/^Estimated cost: not available/);
  });

  it('renders Markdown the nemo-v3 way without throwing', async () => {
    expect(formatMarkdown(estimatePaths([assemblyOf('nemo-v3')], { now: NOW }))).toContain('**Not priced');
  });
});

describe('plinth cost on a file that is not a template', () => {
  it('refuses it (exit 2) instead of pricing it at $0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-cost-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, JSON.stringify({ name: 'not-a-template', version: '1.0.0' }));
    const r = await plinth(['cost', file, '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a CloudFormation template: it has no Resources section');
  });
});

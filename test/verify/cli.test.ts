/** plinth verify as a user runs it, plinth synth running it by default, and the CDK plugin failing `cdk synth`. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { VerifyPlugin } from '../../src/cli/verify-plugin.js';
import { ROOT } from '../support.js';
import { runPlinth } from '../cli-support.js';

const plinth = runPlinth;

const VIOLATING = 'test/verify/templates/vpn-nacl.yaml';

describe('plinth verify', () => {
  it('synthesizes a spec first and exits 0 when every check holds', async () => {
    const r = (await plinth(['verify', 'examples/bootcamp-ec2']));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ PI1 IntentOnly/);
    expect(r.stdout).toMatch(/ok: 0 violations, 0 warnings, 0 unknown, \d+ of \d+ checks hold\./);
  });

  it('exits 1 on a violation and prints the witness hop by hop', async () => {
    const r = (await plinth(['verify', VIOLATING]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ PV3 AdminPortsFromInternet \(error\)/);
    expect(r.stdout).toMatch(/witness: tcp\/22 from 198\.51\.100\.7 — internet → Igw → Bastion/);
    expect(r.stdout).toMatch(/\d+\.\s+security group \(inbound\)\s+security group BastionGroup inbound rule #1: from 0\.0\.0\.0\/0 tcp\/22/);
    // The posture rule PS8 reads the same group rule without the network: two views of one mistake.
    expect(r.stdout).toMatch(/✗ PS8 AdminPortsOpenToWorld \(error\)/);
    expect(r.stdout).toMatch(/^FAILED: 2 violations/m);
  });

  it('writes SARIF 2.1.0 for code scanning, pointing at the template line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'plinth-sarif-')), 'verify.sarif');
    const r = (await plinth(['verify', VIOLATING, '--format', 'sarif', '--output', out]));
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['PV1', 'PV3', 'PF1', 'PI1']));
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'PV3');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(VIOLATING);
    const line = readFileSync(join(ROOT, VIOLATING), 'utf8').split('\n').findIndex((l) => l.startsWith('  Bastion:')) + 1;
    expect(result.locations[0].physicalLocation.region.startLine).toBe(line);
    expect(result.codeFlows[0].threadFlows[0].locations.length).toBeGreaterThan(3);
  });

  it('prints the report as JSON with --format json', async () => {
    const r = (await plinth(['verify', VIOLATING, '--format', 'json']));
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings[0].witness.hops.length).toBeGreaterThan(3);
  });

  it('checks an assembly against the spec it came from (--spec)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plinth-verify-cli-'));
    expect((await plinth(['synth', 'examples/nemo-v3', '--out', out, '--no-verify'])).code).toBe(0);
    const r = (await plinth(['verify', out, '--spec', 'examples/nemo-v3']));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ PF2 OnlyDeclaredFlows/);
    expect(r.stdout).toMatch(/✓ PI4 IntentReach/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await plinth(['verify', 'no/such/dir'])).code).toBe(2);
    expect((await plinth(['verify', VIOLATING, '--format', 'xml'])).code).toBe(2);
    expect((await plinth(['verify', 'examples'])).code).toBe(2);
  });
});

describe('plinth synth', () => {
  it('runs verify on what it wrote, unless --no-verify', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plinth-synth-verify-'));
    expect((await plinth(['synth', 'examples/bootcamp-ec2', '--out', out])).stdout).toMatch(/plinth verify: \d+ of \d+ checks hold \(\d+ ms\)\./);
    expect((await plinth(['synth', 'examples/bootcamp-ec2', '--out', out, '--no-verify'])).stdout).not.toMatch(/plinth verify/);
  });
});

describe('the CDK policy-validation plugin', () => {
  function app(sshFrom: string): App {
    const a = new App({ outdir: mkdtempSync(join(tmpdir(), 'plinth-plugin-')), builtinCloudFormationValidation: false, context: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
    Validations.of(a).addPlugins(new VerifyPlugin());
    const s = new Stack(a, 'Web');
    const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    const igw = new ec2.CfnInternetGateway(s, 'Igw');
    new ec2.CfnVPCGatewayAttachment(s, 'Attach', { vpcId: vpc.ref, internetGatewayId: igw.ref });
    const subnet = new ec2.CfnSubnet(s, 'Public', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true });
    const rtb = new ec2.CfnRouteTable(s, 'Rtb', { vpcId: vpc.ref });
    new ec2.CfnSubnetRouteTableAssociation(s, 'Assoc', { subnetId: subnet.ref, routeTableId: rtb.ref });
    new ec2.CfnRoute(s, 'InternetRoute', { routeTableId: rtb.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
    const sg = new ec2.CfnSecurityGroup(s, 'Sg', { vpcId: vpc.ref, groupDescription: 'ssh', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: sshFrom }] });
    const host = new ec2.CfnInstance(s, 'Host', { imageId: 'ami-12345678', subnetId: subnet.ref, securityGroupIds: [sg.attrGroupId] });
    new ec2.CfnEIP(s, 'Ip', { instanceId: host.ref });
    return a;
  }

  it('fails cdk synth on a violation', async () => {
    expect(() => app('0.0.0.0/0').synth()).toThrow(/Host accepts tcp\/22 from 3,702,390,784 internet addresses[\s\S]*security group Sg inbound rule #1: from 0\.0\.0\.0\/0 tcp\/22[\s\S]*plinth-verify::PV3/);
  });

  it('lets a compliant app synthesize', async () => {
    expect(() => app('203.0.113.10/32').synth()).not.toThrow();
  });
});

/**
 * verify, cost and diagram on templates plinth did not write: the same inputs for all three (one
 * input layer), never a silent pass, and intents declared in a file of their own.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInput, readAnalysisInput } from '../../src/analyse/input/index.js';
import { modelOf, estimate } from '../../src/analyse/cost/index.js';
import { readIntentsFile } from '../../src/analyse/verify/intents-file.js';
import { verify, verifyTemplates, withManifests } from '../../src/analyse/verify/index.js';
import { readTemplateFile } from '../../src/analyse/input/templates.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { ROOT } from '../support.js';

const FOREIGN = join(ROOT, 'test', 'verify', 'templates', 'foreign');
const BASTION = join(FOREIGN, 'bastion.yaml');

function plinth(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'plinth.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function templateFile(dir: string, name: string, resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ Resources: resources, ...extra }));
  return file;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-foreign-'));
  // GIVEN the same template as a YAML file, a folder of templates, and a cloud assembly.
  mkdirSync(join(dir, 'folder'));
  copyFileSync(BASTION, join(dir, 'folder', 'bastion.yaml'));
  writeFileSync(join(dir, 'folder', 'README.md'), 'not a template');
  writeFileSync(join(dir, 'folder', 'parameters.json'), '[{"ParameterKey": "A"}]');
  mkdirSync(join(dir, 'assembly'));
  writeFileSync(join(dir, 'assembly', 'bastion.template.json'), JSON.stringify(readTemplateFile(BASTION).body));
  writeFileSync(join(dir, 'assembly', 'manifest.json'), JSON.stringify({
    version: '36.0.0',
    artifacts: { bastion: { type: 'aws:cloudformation:stack', environment: 'aws://123456789012/eu-west-1', properties: { templateFile: 'bastion.template.json' } } },
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one input layer', () => {
  it('detects each kind of input the same way for every command', () => {
    expect(detectInput(BASTION).kind).toBe('template');
    expect(detectInput(join(dir, 'folder')).kind).toBe('template-folder');
    expect(detectInput(join(dir, 'assembly')).kind).toBe('assembly');
    expect(detectInput(join(ROOT, 'examples', 'bootcamp-ec2')).kind).toBe('spec');
    expect(detectInput(join(ROOT, 'examples', 'bootcamp-ec2', 'plinth.yaml')).kind).toBe('spec');
    expect(() => detectInput(join(dir, 'missing'))).toThrow(/does not exist\. Pass a spec .* a cloud assembly .* a CloudFormation template \(JSON or YAML\), or a directory of templates/);
    expect(() => detectInput(join(dir, 'folder', 'README.md'))).toThrow(/neither a template/);
  });

  it('reads the same resources from a template, a folder and an assembly; the folder lists what it skipped', () => {
    const ids = (paths: string[]) => readAnalysisInput(paths).templates.flatMap((t) => Object.keys(t.body.Resources ?? {})).sort();
    expect(ids([join(dir, 'folder')])).toEqual(ids([BASTION]));
    expect(ids([join(dir, 'assembly')])).toEqual(ids([BASTION]));
    expect(readAnalysisInput([join(dir, 'folder')]).skipped.map((s) => s.why)).toEqual(['no Resources section']);
  });

  it.each(['verify', 'cost', 'diagram'])('%s accepts a template folder and a YAML template, and says the same about a missing path', (command) => {
    const extra = command === 'cost' ? ['--region', 'us-east-1'] : command === 'diagram' ? ['--format', 'mermaid'] : [];
    for (const input of [join(dir, 'folder'), BASTION]) {
      const r = plinth([command, input, ...extra]);
      // verify exits 1 on the bastion (PV2 without intents); the point is that every command reads the input.
      expect(r.stderr).not.toMatch(/does not exist|not a cloud assembly|is not a JSON/);
      expect(r.code === 0 || (command === 'verify' && r.code === 1)).toBe(true);
    }
    const missing = plinth([command, join(dir, 'nope'), ...extra]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope does not exist\. Pass a spec \(plinth\.yaml, or a directory holding one\), a cloud assembly/);
  });
});

describe('never a silent pass', () => {
  it('SSH open to the world on an auto scaling group in subnets verify cannot resolve is an error, and the group is unknown, not dropped', () => {
    const file = templateFile(dir, 'asg.json', {
      Ssh: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'ssh', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } },
      Config: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', SecurityGroups: [{ Ref: 'Ssh' }], MetadataOptions: { HttpTokens: 'required' } } },
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchConfigurationName: { Ref: 'Config' }, MinSize: '1', MaxSize: '2', VPCZoneIdentifier: { Ref: 'Subnets' } } },
    }, { Parameters: { Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' } } });
    const report = verify([file]);
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.ruleId === 'PS8')).toMatchObject({ status: 'violation', level: 'error' });
    expect(report.findings.some((f) => f.ruleId === 'PV2' && f.status === 'unknown' && f.resource?.logicalId === 'Group')).toBe(true);
  });

  it('the CDK custom EKS cluster with a public endpoint open to the world is an error', () => {
    const file = templateFile(dir, 'eks.json', {
      Cluster: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { ServiceToken: 'arn', Config: { name: 'c', resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: true, endpointPrivateAccess: true } } } },
    });
    const report = verify([file]);
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.ruleId === 'PS9')?.message).toMatch(/public API endpoint open to 0\.0\.0\.0\/0/);
    // The model reads it too (its interfaces in subnets it cannot resolve): nothing is dropped.
    expect(report.model.classes).toBeGreaterThan(0);
  });

  it('a networked resource the model does not read (an ECS service) makes the reachability checks unknown', () => {
    const file = templateFile(dir, 'ecs.json', {
      Service: { Type: 'AWS::ECS::Service', Properties: { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], SecurityGroups: ['sg-1'], AssignPublicIp: 'ENABLED' } } } },
    });
    const report = verify([file]);
    expect(report.findings.some((f) => f.status === 'unknown' && f.resource?.logicalId === 'Service')).toBe(true);
    expect(report.assumptions.some((a) => /AWS::ECS::Service is not modelled/.test(a.text))).toBe(true);
  });
});

describe('verify --intents on a foreign template', () => {
  it('the bastion\'s /32 SSH fails PV2 without intents and passes when declared', () => {
    const templates = readAnalysisInput([BASTION]).templates;
    const bare = verifyTemplates(templates);
    expect(bare.findings.map((f) => f.ruleId)).toEqual(['PV2']);
    const declared = readIntentsFile(join(FOREIGN, 'intents.yaml'), templates);
    const report = verifyTemplates(templates, { intents: declared.intents });
    expect(report.findings).toEqual([]);
    expect(report.checks.filter((c) => c.id === 'PI1' || c.id === 'PI4').map((c) => c.status)).toEqual(['holds', 'holds']);
  });

  it('an intent that the template breaks is a violation located in the intents file', () => {
    const file = join(dir, 'strict.yaml');
    writeFileSync(file, 'intents:\n  - name: no-ssh\n    from: internet\n    to: resource/Bastion:22\n    deny: true\n');
    const r = plinth(['verify', BASTION, '--intents', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PI2 IntentDeny/);
    expect(r.stdout).toMatch(/strict\.yaml:2/);
  });

  it('mistakes in the intents file are located errors with a did-you-mean', () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'intents:\n  - from: internet\n    to: resource/Bastoin:22\n    deny: true\n');
    const templates = readAnalysisInput([BASTION]).templates;
    let error: unknown;
    try {
      readIntentsFile(file, templates);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const d = (error as SpecError).diagnostics[0]!;
    expect(d.code).toBe('E_UNKNOWN_REF');
    expect(d.location?.line).toBe(3);
    expect(d.fix).toMatch(/resource\/Bastion/);
  });
});

describe('cost on a foreign template', () => {
  it('prices a YAML template with its parameter defaults, and reads what verify reads', () => {
    const e = estimate(modelOf(readAnalysisInput([BASTION])), { region: 'us-east-1', now: new Date('2026-12-05T00:00:00Z') });
    const bastion = e.resources.find((r) => r.address === 'bastion/Bastion')!;
    expect(bastion.classification).toBe('priced');
    expect(bastion.components[0]!.name).toMatch(/t3\.small/);
    expect(e.warnings.some((w) => /Parameter InstanceType of stack bastion is taken at its default/.test(w))).toBe(true);
    expect(withManifests(readAnalysisInput([BASTION])).templates).toHaveLength(1);
  });
});

describe('cost rules for templates plinth does not write', () => {
  it('prices an auto scaling group at its desired capacity from its launch configuration, a classic ELB, and the CDK custom EKS cluster', () => {
    const file = templateFile(dir, 'asg-cost.json', {
      Config: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: { Ref: 'Type' }, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } }] } },
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchConfigurationName: { Ref: 'Config' }, MinSize: '1', MaxSize: '6', DesiredCapacity: '3' } },
      Elb: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: '80', InstancePort: '80' }] } },
      Cluster: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { version: '1.33' } } },
    }, { Parameters: { Type: { Type: 'String', Default: 't3.medium' } } });
    const e = estimate(modelOf(readAnalysisInput([file])), { region: 'us-east-1', now: new Date('2026-12-05T00:00:00Z') });
    const group = e.resources.find((r) => r.address === 'asg-cost/Group')!;
    expect(group.components[0]).toMatchObject({ name: 'Instance usage (t3.medium, on-demand)', quantity: { base: 3 * 730 } });
    expect(group.components[1]!.quantity.base).toBe(60);
    expect(e.resources.find((r) => r.address === 'asg-cost/Config')!.classification).toBe('free');
    const cluster = e.resources.find((r) => r.address === 'asg-cost/Cluster')!;
    expect(cluster.classification).toBe('priced');
    expect(cluster.components[0]!.monthly!.base).toBeCloseTo(73, 0);
    // No sourced Classic Load Balancer price in the table: listed as unpriced, never $0.
    expect(e.unpriced.some((u) => u.address === 'asg-cost/Elb')).toBe(true);
  });
});

/**
 * The measurement behind docs/verify.md ("bare plinth verify DIR catches N of 22 injected
 * misconfigurations"): each misconfiguration a security reviewer checks first is injected into an
 * example's synthesized templates, and bare verify (no spec, no intents) must report it, by the rule
 * that names it. The untouched templates report nothing, so every catch is the injection's.
 */
import { describe, expect, it } from 'vitest';
import type { StackTemplate } from '../../src/analyse/input/templates.js';
import { loadInputs, verifyTemplates } from '../../src/analyse/verify/index.js';
import { exampleAssembly } from '../shared-assemblies.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An example's templates, copied so an injection never leaks into another test. */
function example(name: string) {
  const loaded = loadInputs([exampleAssembly(name)]);
  const templates: StackTemplate[] = loaded.templates.map((t) => ({ ...t, body: structuredClone(t.body) }));
  const all = () => templates.flatMap((t) => Object.entries(t.body.Resources ?? {}).map(([id, r]) => ({ id, r: r as Json, t })));
  const first = (type: string, match: (id: string, r: Json) => boolean = () => true) => {
    const found = all().find((x) => x.r.Type === type && match(x.id, x.r));
    if (!found) throw new Error(`${name} has no ${type}`);
    return found;
  };
  return { templates, k8s: loaded.k8s, all, first };
}

interface Injection {
  readonly name: string;
  readonly example: 'bootcamp-ec2' | 'video-platform';
  readonly inject: (e: ReturnType<typeof example>) => void;
  /** The rule that must report it. */
  readonly rule: string;
}

const INJECTIONS: readonly Injection[] = [
  { name: 'IMDSv1 allowed on an instance', example: 'bootcamp-ec2', rule: 'PS1', inject: (e) => { e.first('AWS::EC2::Instance').r.Properties.MetadataOptions.HttpTokens = 'optional'; } },
  { name: 'IMDSv1 allowed in the EKS nodes\' launch template', example: 'video-platform', rule: 'PS1', inject: (e) => { e.first('AWS::EC2::LaunchTemplate').r.Properties.LaunchTemplateData.MetadataOptions = { HttpTokens: 'optional' }; } },
  { name: 'an instance\'s EBS root volume unencrypted', example: 'bootcamp-ec2', rule: 'PS2', inject: (e) => { e.first('AWS::EC2::Instance').r.Properties.BlockDeviceMappings[0].Ebs.Encrypted = false; } },
  { name: 'RDS storage unencrypted', example: 'bootcamp-ec2', rule: 'PS2', inject: (e) => { e.first('AWS::RDS::DBInstance').r.Properties.StorageEncrypted = false; } },
  { name: 'EFS unencrypted', example: 'video-platform', rule: 'PS2', inject: (e) => { e.first('AWS::EFS::FileSystem').r.Properties.Encrypted = false; } },
  { name: 'RDS DeletionPolicy Delete without deletion protection', example: 'bootcamp-ec2', rule: 'PS3', inject: (e) => {
    const db = e.first('AWS::RDS::DBInstance').r;
    db.DeletionPolicy = 'Delete';
    db.UpdateReplacePolicy = 'Delete';
    db.Properties.DeletionProtection = false;
  } },
  { name: 'EFS DeletionPolicy Delete', example: 'video-platform', rule: 'PS3', inject: (e) => { e.first('AWS::EFS::FileSystem').r.DeletionPolicy = 'Delete'; } },
  { name: 'mutable ECR tags', example: 'bootcamp-ec2', rule: 'PS4', inject: (e) => { e.first('AWS::ECR::Repository').r.Properties.ImageTagMutability = 'MUTABLE'; } },
  { name: 'a public bucket policy, with the public access block removed', example: 'video-platform', rule: 'PS5', inject: (e) => {
    const bucket = e.first('AWS::S3::Bucket', (id) => id.includes('videos'));
    delete bucket.r.Properties.PublicAccessBlockConfiguration;
    const policy = e.first('AWS::S3::BucketPolicy', (_, r) => JSON.stringify(r.Properties.Bucket).includes(bucket.id)).r;
    policy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket.id, 'Arn'] }, '/*']] } });
  } },
  { name: 'the public access block turned off', example: 'video-platform', rule: 'PS5', inject: (e) => {
    e.first('AWS::S3::Bucket').r.Properties.PublicAccessBlockConfiguration = { BlockPublicAcls: false, BlockPublicPolicy: false, IgnorePublicAcls: false, RestrictPublicBuckets: false };
  } },
  { name: 'a public-read bucket ACL', example: 'bootcamp-ec2', rule: 'PS5', inject: (e) => { e.first('AWS::S3::Bucket').r.Properties.AccessControl = 'PublicRead'; } },
  { name: 'the internet-facing ALB serving plain HTTP (forward, no redirect)', example: 'bootcamp-ec2', rule: 'PS6', inject: (e) => {
    const https = e.first('AWS::ElasticLoadBalancingV2::Listener', (_, r) => r.Properties.Protocol === 'HTTPS').r;
    e.first('AWS::ElasticLoadBalancingV2::Listener', (_, r) => r.Properties.Protocol === 'HTTP').r.Properties.DefaultActions = structuredClone(https.Properties.DefaultActions);
  } },
  { name: 'SSH open to the world on the bastion', example: 'bootcamp-ec2', rule: 'PS8', inject: (e) => { worldOpen(e, 'bastion', 22); } },
  { name: 'RDP open to the world on an app server', example: 'bootcamp-ec2', rule: 'PS8', inject: (e) => { worldOpen(e, 'springboot', 3389); } },
  { name: 'all traffic from the world on an app server', example: 'bootcamp-ec2', rule: 'PS8', inject: (e) => { worldOpen(e, 'jenkins', -1); } },
  { name: 'the EKS public endpoint open to 0.0.0.0/0', example: 'video-platform', rule: 'PS9', inject: (e) => {
    const vpc = e.first('AWS::EKS::Cluster').r.Properties.ResourcesVpcConfig;
    vpc.EndpointPublicAccess = true;
    vpc.PublicAccessCidrs = ['0.0.0.0/0'];
  } },
  { name: 'an IAM policy allowing * on *', example: 'video-platform', rule: 'PS7', inject: (e) => {
    e.first('AWS::IAM::Policy').r.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' });
  } },
  { name: 'a private subnet routed to the internet gateway', example: 'bootcamp-ec2', rule: 'PV1', inject: (e) => {
    const route = e.first('AWS::EC2::Route', (id, r) => id.includes('Private') && r.Properties.NatGatewayId !== undefined).r.Properties;
    const igw = e.first('AWS::EC2::InternetGateway').id;
    delete route.NatGatewayId;
    route.GatewayId = { Ref: igw };
  } },
  { name: 'RDS publicly accessible', example: 'bootcamp-ec2', rule: 'PS10', inject: (e) => { e.first('AWS::RDS::DBInstance').r.Properties.PubliclyAccessible = true; } },
  { name: 'RDS automated backups off', example: 'video-platform', rule: 'PS11', inject: (e) => { e.first('AWS::RDS::DBInstance').r.Properties.BackupRetentionPeriod = 0; } },
  { name: 'a bucket policy that no longer refuses plain HTTP', example: 'video-platform', rule: 'PS12', inject: (e) => {
    for (const p of e.all().filter((x) => x.r.Type === 'AWS::S3::BucketPolicy').slice(0, 1)) {
      p.r.Properties.PolicyDocument.Statement = p.r.Properties.PolicyDocument.Statement.filter((s: Json) => !JSON.stringify(s.Condition ?? {}).includes('aws:SecureTransport'));
    }
  } },
  { name: 'an Elastic IP on an app server in a private subnet', example: 'bootcamp-ec2', rule: 'PV10', inject: (e) => {
    const server = e.first('AWS::EC2::Instance', (id) => id.includes('springboot'));
    server.t.body.Resources!.InjectedEip = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', InstanceId: { Ref: server.id } } } as never;
  } },
];

/** A world-open ingress rule on the security group of the first instance whose id names `host`. */
function worldOpen(e: ReturnType<typeof example>, host: string, port: number): void {
  const instance = e.first('AWS::EC2::Instance', (id) => id.toLowerCase().includes(host)).r;
  const group = instance.Properties.SecurityGroupIds?.[0] ?? instance.Properties.NetworkInterfaces?.[0]?.GroupSet?.[0];
  const rule = port === -1 ? { IpProtocol: '-1' } : { IpProtocol: 'tcp', FromPort: port, ToPort: port };
  e.templates[0]!.body.Resources![`Injected${port}`] = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: group, CidrIp: '0.0.0.0/0', ...rule } } as never;
}

describe('22 injected misconfigurations, each caught by bare verify', () => {
  it('the list has 22 distinct injections', () => {
    expect(INJECTIONS.length).toBe(22);
    expect(new Set(INJECTIONS.map((i) => i.name)).size).toBe(22);
  });

  for (const name of ['bootcamp-ec2', 'video-platform'] as const) {
    it(`${name} untouched: bare verify reports nothing`, () => {
      const e = example(name);
      expect(verifyTemplates(e.templates, { k8s: e.k8s }).findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    });
  }

  for (const injection of INJECTIONS) {
    it(`${injection.name} (${injection.example}) → ${injection.rule}`, () => {
      const e = example(injection.example);
      injection.inject(e);
      const report = verifyTemplates(e.templates, { k8s: e.k8s });
      expect(report.findings.filter((f) => f.status === 'violation').map((f) => f.ruleId)).toContain(injection.rule);
    });
  }
});

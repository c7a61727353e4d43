/**
 * The posture rules, cdk-nag style: for each rule, templates that break it (Noncompliance n) and one
 * that keeps it (Compliance). GIVEN a template's resources, WHEN the rule runs, THEN it reports
 * (or does not report) a finding of the expected status.
 */
import { describe, expect, it } from 'vitest';
import type { StackTemplate } from '../../src/analyse/input/templates.js';
import { TemplateResources } from '../../src/analyse/model/resources.js';
import { POSTURE_RULES, type PostureRule } from '../../src/analyse/verify/posture/index.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; Condition?: string }>;

function template(resources: Resources, extra: Partial<StackTemplate['body']> = {}): StackTemplate {
  return { stack: 'S', stackName: 'S', file: 'S.template.json', body: { Resources: resources, ...extra }, region: 'us-east-1', account: undefined };
}

function rule(name: string): PostureRule {
  const found = POSTURE_RULES.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

function run(name: string, resources: Resources, extra: Partial<StackTemplate['body']> = {}) {
  return rule(name).check(new TemplateResources([template(resources, extra)]));
}

interface Case {
  readonly rule: string;
  readonly noncompliant: readonly { readonly resources: Resources; readonly status?: 'violation' | 'unknown'; readonly message: RegExp; readonly extra?: Partial<StackTemplate['body']> }[];
  readonly compliant: Resources;
}

const SG = (ingress: Record<string, unknown>[]) => ({ Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: ingress } });

const CASES: readonly Case[] = [
  {
    rule: 'Imdsv2Required',
    noncompliant: [
      { resources: { I: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpTokens: 'optional' } } } }, message: /allows IMDSv1/ },
      { resources: { L: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional' } } } } }, message: /launch template S\/L allows IMDSv1/ },
      { resources: { C: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1' } } }, status: 'unknown', message: /does not set MetadataOptions.HttpTokens/ },
      {
        resources: { L: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: { Ref: 'Tokens' } } } } } },
        extra: { Parameters: { Tokens: { Type: 'String', Default: 'optional' } } }, message: /allows IMDSv1/,
      },
    ],
    compliant: {
      I: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpTokens: 'required' }, LaunchTemplate: { LaunchTemplateId: { Ref: 'L' } } } },
      // CDK's instance launch template carries only the AMI; the instance's own options decide.
      L: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: 'ami-1' } } },
      C: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { MetadataOptions: { HttpTokens: 'required' } } },
    },
  },
  {
    rule: 'StorageEncrypted',
    noncompliant: [
      { resources: { V: { Type: 'AWS::EC2::Volume', Properties: { Size: 10 } } }, message: /EBS volume S\/V is not encrypted/ },
      { resources: { D: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: false } } }, message: /RDS instance S\/D is not encrypted.*false/ },
      { resources: { F: { Type: 'AWS::EFS::FileSystem', Properties: {} } }, message: /EFS file system/ },
      { resources: { L: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8 } }] } } } }, message: /maps \/dev\/xvda unencrypted/ },
      { resources: { D: { Type: 'AWS::RDS::DBCluster', Properties: { StorageEncrypted: { Ref: 'Enc' } } } }, extra: { Parameters: { Enc: { Type: 'String' } } }, status: 'unknown', message: /has no default/ },
    ],
    compliant: {
      V: { Type: 'AWS::EC2::Volume', Properties: { Encrypted: true } },
      D: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: 'true' } },
      M: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'C' } } },
      C: { Type: 'AWS::RDS::DBCluster', Properties: { StorageEncrypted: true } },
      F: { Type: 'AWS::EFS::FileSystem', Properties: { Encrypted: true } },
      I: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }] } },
      B: { Type: 'AWS::S3::Bucket' },
    },
  },
  {
    rule: 'StatefulDataRetained',
    noncompliant: [
      { resources: { D: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Delete', Properties: {} } }, message: /DeletionPolicy: Delete and DeletionProtection is not true/ },
      { resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: {} } }, message: /no DeletionPolicy, so CloudFormation deletes it/ },
      { resources: { F: { Type: 'AWS::EFS::FileSystem', Properties: {} } }, message: /EFS file system S\/F would be deleted/ },
      {
        resources: { B: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete' }, A: { Type: 'Custom::S3AutoDeleteObjects', Properties: { BucketName: { Ref: 'B' } } } },
        message: /emptied and deleted with the stack/,
      },
    ],
    compliant: {
      // RDS defaults to Snapshot when DeletionPolicy is absent.
      D: { Type: 'AWS::RDS::DBInstance', Properties: {} },
      P: { Type: 'AWS::RDS::DBCluster', DeletionPolicy: 'Delete', Properties: { DeletionProtection: true } },
      F: { Type: 'AWS::EFS::FileSystem', DeletionPolicy: 'Retain', Properties: {} },
      B: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' },
    },
  },
  {
    rule: 'EcrTagsImmutable',
    noncompliant: [
      { resources: { R: { Type: 'AWS::ECR::Repository', Properties: {} } }, message: /default is MUTABLE/ },
      { resources: { R: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'MUTABLE' } } }, message: /"MUTABLE"/ },
    ],
    compliant: { R: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'IMMUTABLE' } } },
  },
  {
    rule: 'S3NotPublic',
    noncompliant: [
      { resources: { B: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead' } } }, message: /public canned ACL PublicRead/ },
      { resources: { B: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: false } } } }, message: /BlockPublicPolicy, RestrictPublicBuckets/ },
      {
        resources: {
          B: { Type: 'AWS::S3::Bucket' },
          P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] } } },
        },
        message: /allows s3:GetObject to everyone/,
      },
    ],
    compliant: {
      B: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } } },
      P: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'B' },
          PolicyDocument: { Statement: [
            { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' },
            { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } },
          ] },
        },
      },
    },
  },
  {
    rule: 'HttpsRedirect',
    noncompliant: [
      {
        resources: {
          Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing' } },
          L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: 'x' }] } },
        },
        message: /serves plain HTTP/,
      },
      { resources: { C: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: '80', InstancePort: '80' }] } } }, message: /classic load balancer S\/C listens on plain HTTP port 80/ },
    ],
    compliant: {
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing' } },
      L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] } },
      In: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal' } },
      L2: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'In' }, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: 'x' }] } },
    },
  },
  {
    rule: 'IamNoAdminWildcard',
    noncompliant: [
      { resources: { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } } }, message: /allows Action "\*" on Resource "\*"/ },
      { resources: { R: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } } }, message: /attaches AdministratorAccess/ },
    ],
    compliant: { R: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }] } } },
  },
  {
    rule: 'AdminPortsOpenToWorld',
    noncompliant: [
      { resources: { G: SG([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }]) }, message: /admits tcp\/22 from 0\.0\.0\.0\/0/ },
      { resources: { G: SG([{ IpProtocol: '-1', CidrIpv6: '::/0' }]) }, message: /tcp\/22 and tcp\/3389 from ::\/0/ },
      { resources: { I: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 3000, ToPort: 4000, CidrIp: '0.0.0.0/0' } } }, message: /tcp\/3389/ },
      { resources: { G: SG([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: { Ref: 'SshFrom' } }]) }, extra: { Parameters: { SshFrom: { Type: 'String' } } }, status: 'unknown', message: /leaves open/ },
    ],
    compliant: {
      G: SG([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '203.0.113.7/32' }, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]),
      // A load balancer's group open to everything: the balancer answers only on its listeners.
      LbGroup: SG([{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }]),
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { SecurityGroups: [{ Ref: 'LbGroup' }] } },
    },
  },
  {
    rule: 'EksEndpointNotPublic',
    noncompliant: [
      { resources: { C: { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [] } } } }, message: /open to 0\.0\.0\.0\/0 \(PublicAccessCidrs not set/ },
      { resources: { C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } } } } }, message: /open to 0\.0\.0\.0\/0\./ },
    ],
    compliant: {
      C: { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] } } },
      D: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true } } } },
    },
  },
  {
    rule: 'DatabaseNotPubliclyAccessible',
    noncompliant: [
      { resources: { D: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: true } } }, message: /S\/D is PubliclyAccessible/ },
      { resources: { D: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: 'true' } } }, message: /PubliclyAccessible: false/ },
    ],
    compliant: { D: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: false } }, E: { Type: 'AWS::RDS::DBInstance', Properties: {} } },
  },
  {
    rule: 'DatabaseBackupsEnabled',
    noncompliant: [
      { resources: { D: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: 0 } } }, message: /S\/D keeps no automated backups/ },
      { resources: { D: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: { Ref: 'Days' } } } }, extra: { Parameters: { Days: { Type: 'Number', Default: '0' } } }, message: /BackupRetentionPeriod 0/ },
    ],
    compliant: {
      D: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: 7 } },
      // the default is 1 day; a replica's and a cluster member's backups belong to their source
      E: { Type: 'AWS::RDS::DBInstance', Properties: {} },
      R: { Type: 'AWS::RDS::DBInstance', Properties: { SourceDBInstanceIdentifier: 'db-1', BackupRetentionPeriod: 0 } },
      M: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: 'aurora-1', BackupRetentionPeriod: 0 } },
    },
  },
  {
    rule: 'S3RequireTls',
    noncompliant: [
      { resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } }, message: /S\/B accepts requests without TLS/ },
      {
        resources: {
          B: { Type: 'AWS::S3::Bucket', Properties: {} },
          P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] } } },
        },
        message: /enforceSSL/,
      },
    ],
    compliant: {
      B: { Type: 'AWS::S3::Bucket', Properties: {} },
      P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] } } },
      // a website bucket: its endpoint serves HTTP only, so denying plain HTTP would switch the site off
      W: { Type: 'AWS::S3::Bucket', Properties: { WebsiteConfiguration: { IndexDocument: 'index.html' } } },
    },
  },
];

describe.each(CASES)('$rule', (c) => {
  c.noncompliant.forEach((n, i) => {
    it(`Noncompliance ${i + 1}`, () => {
      const found = run(c.rule, n.resources, n.extra);
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.status).toBe(n.status ?? 'violation');
      expect(found[0]!.message).toMatch(n.message);
    });
  });
  it('Compliance', () => {
    expect(run(c.rule, c.compliant)).toEqual([]);
  });
});

describe('posture rules', () => {
  it('every rule is tested here, and ids are unique', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(POSTURE_RULES.map((r) => r.name)));
    expect(new Set(POSTURE_RULES.map((r) => r.id)).size).toBe(POSTURE_RULES.length);
  });

  it('a resource whose Condition is false is not judged', () => {
    const found = run('EcrTagsImmutable', { R: { Type: 'AWS::ECR::Repository', Condition: 'Never', Properties: {} } }, { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } });
    expect(found).toEqual([]);
  });
});

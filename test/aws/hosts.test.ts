import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { Hosts, hostsOf, rootDeviceName } from '../../src/aws/hosts.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan, planFromYaml } from '../support.js';
import type { TestPlatform } from './fake-network.js';
import { acknowledgements, allResources, validationFindings, testPlatform } from './fake-network.js';

function hostsPlatform(plan: Plan) {
  let hosts!: Hosts;
  const platform = testPlatform(plan, ({ compute, network }) => {
    hosts = new Hosts(compute, 'Hosts', { platformName: plan.platform.name, region: plan.platform.region, hosts: hostsOf(plan), network, clusterName: plan.cluster?.name });
  }, { cloudFormationValidation: true });
  return { platform, hosts, template: Template.fromStack(platform.compute) };
}

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

/** The instance resource whose Name tag is `name`. */
function instanceNamed(template: Template, name: string): Resource {
  const found = Object.values(template.findResources('AWS::EC2::Instance', {
    Properties: { Tags: Match.arrayWith([{ Key: 'Name', Value: name }]) },
  })) as Resource[];
  expect(found, `instance ${name}`).toHaveLength(1);
  return found[0]!;
}

function expectSafeDefaults(platform: TestPlatform): void {
  const resources = allResources(platform).map(([, , r]) => r);
  expect(resources.filter((r) => r.Type.startsWith('Custom::') || r.Type.startsWith('AWS::Lambda::'))).toEqual([]);
  expect(resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
  // Launch templates hold only the launch-time AMI; metadata options sit on the instances.
  for (const r of resources.filter((x) => x.Type === 'AWS::EC2::LaunchTemplate')) {
    expect(Object.keys(r.Properties?.LaunchTemplateData as object)).toEqual(['ImageId']);
  }
  for (const r of resources.filter((x) => x.Type === 'AWS::EC2::SecurityGroup')) expect(r.Properties?.SecurityGroupIngress).toBeUndefined();
}

describe('Hosts on the bootcamp EC2 seed', () => {
  let seed: ReturnType<typeof hostsPlatform>;
  beforeAll(() => {
    // GIVEN the bootcamp seed  WHEN the hosts are synthesized
    seed = hostsPlatform(examplePlan('bootcamp-ec2'));
  });

  it('creates the bastion and three servers with the seed instance types and names', () => {
    seed.template.resourceCountIs('AWS::EC2::Instance', 4);
    expect(instanceNamed(seed.template, 'bootcamp-bastion').Properties.InstanceType).toBe('t2.micro');
    for (const name of ['springboot', 'elk', 'jenkins']) {
      expect(instanceNamed(seed.template, `bootcamp-${name}`).Properties.InstanceType).toBe('t2.medium');
    }
  });

  it('requires IMDSv2 and uses encrypted gp3 root volumes of the given size on every instance', () => {
    for (const name of ['springboot', 'elk', 'jenkins']) {
      const props = instanceNamed(seed.template, `bootcamp-${name}`).Properties;
      expect(props.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
      expect(props.BlockDeviceMappings).toEqual([
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } },
      ]);
    }
    const bastion = instanceNamed(seed.template, 'bootcamp-bastion').Properties;
    expect(bastion.MetadataOptions.HttpTokens).toBe('required');
    expect(bastion.BlockDeviceMappings[0].Ebs).toEqual({ VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true });
  });

  it('turns on detailed monitoring and names the key pair, without termination protection (it would block removal and replacement)', () => {
    seed.template.allResourcesProperties('AWS::EC2::Instance', {
      Monitoring: true, KeyName: 'bootcamp-key', PropagateTagsToVolumeOnCreation: true,
    });
    for (const r of Object.values(seed.template.findResources('AWS::EC2::Instance'))) expect(r.Properties.DisableApiTermination).toBeUndefined();
  });

  it('resolves the AMI from the public SSM parameter at launch, so new AMIs never replace a running host', () => {
    const template = seed.template.toJSON() as { Parameters?: Record<string, { Type: string }> };
    expect(Object.values(template.Parameters ?? {}).filter((p) => p.Type.includes('AWS::EC2::Image::Id'))).toEqual([]);
    const templates = seed.template.findResources('AWS::EC2::LaunchTemplate');
    expect(Object.values(templates).map((t) => t.Properties.LaunchTemplateData)).toEqual(
      Array(4).fill({ ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }),
    );
    for (const instance of Object.values(seed.template.findResources('AWS::EC2::Instance'))) {
      expect(instance.Properties.ImageId).toBeUndefined();
      expect(Object.keys(templates)).toContain(instance.Properties.LaunchTemplate.LaunchTemplateId.Ref);
    }
    expect(seed.platform.app.synth().manifest.missing).toBeUndefined();
  });

  it('places each instance in its planned subnet with its endpoint security group', () => {
    const springboot = instanceNamed(seed.template, 'bootcamp-springboot').Properties;
    expect(springboot.SubnetId).toBe(seed.platform.network.subnet('private-a').subnetId);
    expect(springboot.SecurityGroupIds).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/Sgserversspringboot/) }]);
    expect(springboot.AvailabilityZone).toBe('ap-northeast-2a');
    const bastion = instanceNamed(seed.template, 'bootcamp-bastion').Properties;
    expect(bastion.SubnetId).toBe(seed.platform.network.subnet('public-a').subnetId);
  });

  it('renders user data only for the server that runs a container', () => {
    const userData = JSON.stringify(instanceNamed(seed.template, 'bootcamp-springboot').Properties.UserData);
    expect(userData).toContain("systemctl enable 'plinth-app.service'");
    // rendered user data runs at every boot (MIME multi-part with scripts-user always); a plain script stays as given
    expect(userData).toContain('[scripts-user, always]');
    for (const name of ['bastion', 'elk', 'jenkins']) expect(instanceNamed(seed.template, `bootcamp-${name}`).Properties.UserData).toEqual({ 'Fn::Base64': '#!/bin/bash' });
  });

  it('gives the bastion an Elastic IP associated with it, and nothing else one', () => {
    seed.template.resourceCountIs('AWS::EC2::EIP', 1);
    seed.template.hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', Tags: [{ Key: 'Name', Value: 'bootcamp-bastion' }] });
    const bastionId = seed.platform.compute.getLogicalId(seed.hosts.instances('bastion')[0]!.node.defaultChild as ec2.CfnInstance);
    seed.template.hasResourceProperties('AWS::EC2::EIPAssociation', {
      InstanceId: { Ref: bastionId },
      AllocationId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ElasticIp'), 'AllocationId'] },
    });
  });

  it('gives each host group a role with the SSM managed policy, and only the container host more: its repository and secret', () => {
    seed.template.resourceCountIs('AWS::IAM::Role', 4);
    seed.template.allResourcesProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
    const withPolicies = Object.values(seed.template.findResources('AWS::IAM::Role')).filter((r) => r.Properties.Policies);
    expect(withPolicies).toHaveLength(1);
    const sids = withPolicies[0]!.Properties.Policies[0].PolicyDocument.Statement.map((st: { Sid: string }) => st.Sid);
    expect(sids).toEqual(['EcrLogin', 'EcrPull', 'ContainerSecrets']);
    seed.template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('answers instances() by reference', () => {
    expect(seed.hosts.instances('servers/springboot')).toHaveLength(1);
    expect(seed.hosts.instances('bastion')).toHaveLength(1);
    expect(() => seed.hosts.instances('servers/nope')).toThrow(/E_UNKNOWN_HOST.*servers\/springboot/);
  });

  it('passes cdk-nag and the CloudFormation validator with only the SSM-policy, termination-protection and AZ acknowledgements, and adds no Lambda or rule', () => {
    expect(validationFindings(seed.platform).unacknowledged).toEqual([]);
    const ids = new Set(acknowledgements(seed.platform.app).map((a) => a.id));
    expect(ids).toEqual(new Set([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'AwsSolutions-EC29',
      'CloudFormation-Validate::W3010',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:bootcamp-prod/db/main-??????]',
    ]));
    expectSafeDefaults(seed.platform);
  });
});

describe('Hosts on the nemo v3 seed', () => {
  let nemo: ReturnType<typeof hostsPlatform>;
  beforeAll(() => {
    nemo = hostsPlatform(examplePlan('nemo-v3'));
  });

  it('creates the g5.xlarge vLLM host with a 100 GiB encrypted gp3 root from the GPU deep learning AMI', () => {
    const vllm = instanceNamed(nemo.template, 'nemo-ai-vllm').Properties;
    expect(vllm.InstanceType).toBe('g5.xlarge');
    expect(vllm.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } },
    ]);
    expect(amiOf(nemo.template, vllm)).toBe('resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id');
    expect(vllm.SubnetId).toBe(nemo.platform.network.subnet('public-b').subnetId);
  });

  it('creates two t3.medium FastAPI hosts, numbered, in ap-northeast-2b', () => {
    const fastapi = nemo.hosts.instances('servers/ai-fastapi');
    expect(fastapi).toHaveLength(2);
    for (const i of [1, 2]) {
      const props = instanceNamed(nemo.template, `nemo-ai-fastapi-${i}`).Properties;
      expect(props.InstanceType).toBe('t3.medium');
      expect(props.AvailabilityZone).toBe('ap-northeast-2b');
      expect(props.MetadataOptions.HttpTokens).toBe('required');
    }
  });

  it('gives the Amazon Linux 2023 bastion (AL2 left support) an Elastic IP', () => {
    const bastion = instanceNamed(nemo.template, 'nemo-bastion').Properties;
    expect(bastion.InstanceType).toBe('t2.medium');
    expect(amiOf(nemo.template, bastion)).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    nemo.template.resourceCountIs('AWS::EC2::EIP', 1);
    nemo.template.resourceCountIs('AWS::EC2::EIPAssociation', 1);
  });

  it('passes cdk-nag and the CloudFormation validator, and adds no Lambda or rule', () => {
    expect(validationFindings(nemo.platform).unacknowledged).toEqual([]);
    expectSafeDefaults(nemo.platform);
  });
});

describe('Hosts on an inline spec with a management host, Ubuntu and a fixed AMI id', () => {
  const SPEC = `
platform: { name: ops, region: us-east-1 }
network:
  cidr: 10.3.0.0/16
  azs: [us-east-1a, us-east-1b]
access:
  management:
    kube:
      instanceType: t3.small
      ami: ubuntu-24.04
      iamActions: [eks:DescribeCluster, eks:List*]
servers:
  legacy:
    ami: { id: ami-0abc1234def567890 }
    count: 3
    diskGiB: 30
    ports: [80]
`;
  let inline: ReturnType<typeof hostsPlatform>;
  beforeAll(() => {
    inline = hostsPlatform(planFromYaml(SPEC));
  });

  it('grants the management host exactly the spec\'s IAM actions on *, next to the SSM policy', () => {
    const roles = Object.values(inline.template.findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } })) as Resource[];
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Properties.Policies).toEqual([{
      PolicyName: 'HostActions',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:List*'], Resource: '*' }] },
    }]);
    const acks = acknowledgements(inline.platform.app).filter((a) => a.constructPath === 'Compute/Hosts/Management/kube/Role').map((a) => a.id).sort();
    expect(acks).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'AwsSolutions-IAM5[Action::eks:List*]',
      'AwsSolutions-IAM5[Resource::*]',
    ]);
  });

  it('maps the Ubuntu root volume on /dev/sda1 and omits the key pair when none is given', () => {
    const kube = instanceNamed(inline.template, 'ops-kube').Properties;
    expect(kube.BlockDeviceMappings[0].DeviceName).toBe('/dev/sda1');
    expect(kube.KeyName).toBeUndefined();
    expect(kube.SubnetId).toBe(inline.platform.network.subnet('private-a').subnetId);
  });

  it('uses a fixed AMI id as is and spreads three servers round-robin over the tier', () => {
    expect(inline.hosts.instances('servers/legacy')).toHaveLength(3);
    const subnets = [1, 2, 3].map((i) => {
      const props = instanceNamed(inline.template, `ops-legacy-${i}`).Properties;
      expect(amiOf(inline.template, props)).toBe('ami-0abc1234def567890');
      expect(props.BlockDeviceMappings[0].Ebs.VolumeSize).toBe(30);
      return props.SubnetId;
    });
    const [a, b] = ['private-a', 'private-b'].map((id) => inline.platform.network.subnet(id).subnetId);
    expect(subnets).toEqual([a, b, a]);
    const pinned = acknowledgements(inline.platform.app).filter((a) => a.id === 'CloudFormation-Validate::W9010').map((a) => a.constructPath);
    expect(pinned).toEqual(['Compute/Hosts/Servers/legacy/Ami']);
  });

  it('keeps construct ids stable: instance n of a group is always "n"', () => {
    expect(inline.hosts.instances('servers/legacy').map((i) => i.node.path)).toEqual([
      'Compute/Hosts/Servers/legacy/1', 'Compute/Hosts/Servers/legacy/2', 'Compute/Hosts/Servers/legacy/3',
    ]);
    expect(inline.hosts.instances('mgmt/kube').map((i) => i.node.path)).toEqual(['Compute/Hosts/Management/kube/1']);
  });

  it('passes cdk-nag and the CloudFormation validator, and adds no Lambda or rule', () => {
    expect(validationFindings(inline.platform).unacknowledged).toEqual([]);
    expectSafeDefaults(inline.platform);
  });
});

describe('rootDeviceName', () => {
  it('is /dev/sda1 for Canonical Ubuntu parameters and /dev/xvda for Amazon Linux, Debian and fixed ids', () => {
    expect(rootDeviceName({ kind: 'ssm', parameter: '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id' })).toBe('/dev/sda1');
    expect(rootDeviceName({ kind: 'ssm', parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' })).toBe('/dev/xvda');
    expect(rootDeviceName({ kind: 'ssm', parameter: '/aws/service/debian/release/12/latest/amd64' })).toBe('/dev/xvda');
    expect(rootDeviceName({ kind: 'id', id: 'ami-0abc1234def567890', rootDevice: '/dev/xvda' })).toBe('/dev/xvda');
    expect(rootDeviceName({ kind: 'id', id: 'ami-0abc1234def567890', rootDevice: '/dev/sda1' })).toBe('/dev/sda1');
  });
});

/** The AMI an instance launches with: its launch template's `resolve:ssm:` image id. */
function amiOf(template: Template, instance: Record<string, any>): string {
  return template.toJSON().Resources[instance.LaunchTemplate.LaunchTemplateId.Ref].Properties.LaunchTemplateData.ImageId;
}

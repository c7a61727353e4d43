/** Seeds 000, 001 and 003: the systems run (containers, permissions, names), checked on the synthesized templates. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlatformApp } from '../src/aws/app.js';
import { examplePlan } from './support.js';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

function instanceNamed(template: Template, name: string): Resource {
  return Object.values(template.findResources('AWS::EC2::Instance', { Properties: { Tags: Match.arrayWith([{ Key: 'Name', Value: name }]) } }))[0] as Resource;
}

/** The statements of every inline policy of the role the instance profile of `instance` carries. */
function statementsOfInstanceRole(template: Template, instance: Resource): any[] {
  const profileId = instance.Properties.IamInstanceProfile.Ref as string;
  const roleId = template.toJSON().Resources[profileId].Properties.Roles[0].Ref as string;
  const role = template.toJSON().Resources[roleId];
  return (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
}

describe('seed 001: nemo-v3 AI servers and seed facts', () => {
  let compute: Template;
  let data: Template;
  let cluster: Template;
  beforeAll(() => {
    const stacks = buildPlatformApp(examplePlan('nemo-v3'), { nag: false });
    compute = Template.fromStack(stacks.compute!);
    data = Template.fromStack(stacks.data!);
    cluster = Template.fromStack(stacks.cluster!);
  });

  it('runs vLLM on the g5.xlarge with every GPU, on port 8002, with the models on their own encrypted EBS volume', () => {
    const vllm = instanceNamed(compute, 'nemo-ai-vllm');
    expect(vllm.Properties.InstanceType).toBe('g5.xlarge');
    const userData = JSON.stringify(vllm.Properties.UserData);
    expect(userData).toContain("'vllm/vllm-openai:v0.11.0'");
    expect(userData).toContain('--publish 8002:8002');
    expect(userData).toContain('--gpus all');
    expect(userData).toContain("--volume '/models:/models'");
    const [volumeId, volume] = Object.entries(compute.findResources('AWS::EC2::Volume'))[0] as [string, Resource];
    expect(volume.Properties).toMatchObject({ Size: 200, VolumeType: 'gp3', Encrypted: true, AvailabilityZone: 'ap-northeast-2b' });
    expect([volume.DeletionPolicy, volume.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
    expect(userData).toContain(`{"Ref":"${volumeId}"}`);
    compute.hasResourceProperties('AWS::EC2::VolumeAttachment', { VolumeId: { Ref: volumeId }, Device: '/dev/sdf' });
  });

  it('runs FastAPI ai-prod on 8000 and ai-dev on 8001 on both t3.medium servers, from the ECR ai repository', () => {
    for (const n of [1, 2]) {
      const userData = JSON.stringify(instanceNamed(compute, `nemo-ai-fastapi-${n}`).Properties.UserData);
      expect(userData).toContain('--publish 8000:8000');
      expect(userData).toContain('--publish 8001:8000');
      expect(userData).toContain('.dkr.ecr.ap-northeast-2.');
      expect(userData).toContain('/ai:prod-20261201-0900');
      expect(userData).toContain('/ai:dev-20261201-0900');
    }
    data.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'ai' });
  });

  it('lets the FastAPI role pull exactly the ai repository, and the vLLM role nothing from ECR', () => {
    const fastapi = statementsOfInstanceRole(compute, instanceNamed(compute, 'nemo-ai-fastapi-1'));
    const pull = fastapi.find((s) => s.Sid === 'EcrPull');
    expect(JSON.stringify(pull.Resource)).toContain(':repository/ai"');
    expect([pull.Resource].flat()).toHaveLength(1);
    expect(pull.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(fastapi.find((s) => s.Sid === 'EcrLogin').Action).toBe('ecr:GetAuthorizationToken');
    expect(fastapi.some((s) => s.Sid === 'EcrPush')).toBe(false);
    expect(statementsOfInstanceRole(compute, instanceNamed(compute, 'nemo-ai-vllm')).some((s) => String(s.Sid).startsWith('Ecr'))).toBe(false);
  });

  it('names the RDS instance nemo-db-instance and publishes onurivit01.store through external-dns', () => {
    data.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'nemo-db-instance' });
    expect(JSON.stringify(cluster.toJSON())).toContain('external-dns');
  });
});

describe('seed 003: bootcamp-ec2 runs Spring Boot behind its ALB', () => {
  let compute: Template;
  beforeAll(() => {
    compute = Template.fromStack(buildPlatformApp(examplePlan('bootcamp-ec2'), { nag: false }).compute!);
  });

  it('runs the app container on 8080, the port and health path the ALB checks, with the database credentials read at start', () => {
    const app = instanceNamed(compute, 'bootcamp-springboot');
    const userData = JSON.stringify(app.Properties.UserData);
    expect(userData).toContain('--publish 8080:8080');
    expect(userData).toContain('/springboot:1.0.0');
    expect(userData).toContain("secret-env.sh 'bootcamp-prod/db/main' 'DB_MAIN_'");
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/actuator/health' });
    const statements = statementsOfInstanceRole(compute, app);
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ContainerSecrets').Resource)).toContain(':secret:bootcamp-prod/db/main-??????');
  });
});

describe('seed 000: video-platform, the AI server outside AWS stores videos in S3', () => {
  let data: Template;
  beforeAll(() => {
    data = Template.fromStack(buildPlatformApp(examplePlan('video-platform'), { nag: false }).data!);
  });

  it('trusts only the site CA, only the certificate with the AI server\'s CN, through IAM Roles Anywhere', () => {
    const [anchorId, anchor] = Object.entries(data.findResources('AWS::RolesAnywhere::TrustAnchor'))[0] as [string, Resource];
    expect(anchor.Properties.Source.SourceType).toBe('CERTIFICATE_BUNDLE');
    expect(anchor.Properties.Source.SourceData.X509CertificateData).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const role = Object.values(data.findResources('AWS::IAM::Role')).find((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('rolesanywhere'))!;
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']);
    for (const s of trust) {
      expect(s.Condition.StringEquals).toEqual({ 'aws:PrincipalTag/x509Subject/CN': 'ai-server.vidgen.internal' });
      expect(s.Condition.ArnEquals).toEqual({ 'aws:SourceArn': { 'Fn::GetAtt': [anchorId, 'TrustAnchorArn'] } });
    }
    data.resourceCountIs('AWS::IAM::User', 0);
    data.resourceCountIs('AWS::IAM::AccessKey', 0);
  });

  it('lets it write only under videos/generated/', () => {
    const bucketId = Object.keys(data.findResources('AWS::S3::Bucket')).find((id) => id.includes('videos'))!;
    const policy = Object.values(data.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('External'))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/generated/*']] },
    }]);
    data.hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: 3600, Enabled: true });
  });
});

/** AppIdentities from its narrow props: one Pod Identity role per app with AWS access, scoped to its buckets' ARNs. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AppIdentities, type AppIdentity } from '../../src/aws/app-identities.js';
import { S3_ACTIONS } from '../../src/plan/apps.js';

function app(name: string, buckets: readonly string[]): AppIdentity {
  return {
    name, ref: `apps/${name}`, namespace: 'media',
    awsAccess: buckets.map((b) => ({ ref: `s3:${b}`, kind: 's3', resource: b, actions: [...S3_ACTIONS], origin: ['apps', name, 'talksTo', 0] })),
  };
}

function synth(apps: readonly AppIdentity[]) {
  const stack = new Stack(new App(), 'Data');
  const buckets = {
    videos: new s3.Bucket(stack, 'Videos'),
    archive: s3.Bucket.fromBucketName(stack, 'Archive', 'corp-archive-111122223333'),
  };
  const identities = new AppIdentities(stack, 'AppIdentities', { label: 'plinth demo/prod', apps, buckets });
  return { stack, identities, template: Template.fromStack(stack) };
}

const objectsOf = (template: Template) => Object.values(template.findResources('AWS::IAM::Policy'))
  .flatMap((p) => (p.Properties.PolicyDocument.Statement as { Sid: string; Resource: unknown }[]).map((s) => [s.Sid, JSON.stringify(s.Resource)]));

describe('AppIdentities', () => {
  it('GIVEN an app with no AWS access THEN it gets no role', () => {
    const { identities, template } = synth([app('web', [])]);
    expect(identities.roles).toEqual({});
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('GIVEN an app talking to a created bucket WHEN synthesized THEN its role is trusted by Pod Identity and scoped to that bucket', () => {
    const { template } = synth([app('worker', ['videos'])]);
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'plinth demo/prod: apps/worker in media (Pod Identity)' });
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).toContain('pods.eks.amazonaws.com');
    const statements = objectsOf(template);
    expect(statements.map(([sid]) => sid)).toEqual(['VideosObjects', 'VideosList']);
    expect(statements[0]![1]).toContain('Videos');
  });

  it('GIVEN an app talking to an existing bucket WHEN synthesized THEN it is named by its ARN, and no bucket is created for it', () => {
    const { template } = synth([app('archiver', ['archive'])]);
    const arn = (suffix: string) => JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::corp-archive-111122223333${suffix}`]] });
    expect(objectsOf(template)).toEqual([['ArchiveObjects', arn('/*')], ['ArchiveList', arn('')]]);
    template.resourceCountIs('AWS::S3::Bucket', 1);
  });

  it('GIVEN a bucket the props do not hold THEN it says which', () => {
    expect(() => synth([app('lost', ['nowhere'])])).toThrow(/E_NO_BUCKET: apps\/lost talks to s3:nowhere, but no bucket "nowhere" was given; buckets: videos, archive/);
  });
});

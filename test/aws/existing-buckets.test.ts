/**
 * Existing buckets granted to servers and to machines outside AWS with the same references as created
 * ones (`buckets/NAME/PREFIX/:ACCESS`): named by ARN, nothing created, every cdk-nag finding acknowledged.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { planFromYaml, ROOT } from '../support.js';

const SPEC = `platform: { name: media, region: ap-northeast-2 }
network: { cidr: 10.50.0.0/16, azs: 2 }
access:
  external:
    encoder:
      trustAnchorCertificate: ai-server-ca.pem
      commonName: encoder.corp.internal
      permissions: ["buckets/archive/incoming/:write"]
servers:
  indexer:
    permissions: ["buckets/archive/incoming/:read"]
data:
  buckets:
    archive: { existing: corp-media-archive-111122223333 }
`;

type Resource = { Type: string; Properties?: Record<string, unknown> };

describe('an existing bucket granted to a server and an external principal', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-existing-buckets-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const result = synthesizePlatform(planFromYaml(SPEC, join(ROOT, 'examples', 'video-platform')), { outdir });
  const all: Resource[] = readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .flatMap((f) => Object.values((JSON.parse(readFileSync(join(outdir, f), 'utf8')) as { Resources: Record<string, Resource> }).Resources));
  const objects = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::corp-media-archive-111122223333/incoming/*']] };

  it('creates no bucket, not even the access log bucket created buckets share', () => {
    expect(all.filter((r) => r.Type === 'AWS::S3::Bucket')).toEqual([]);
  });

  it('grants the server read and the machine write, each on the objects under the prefix of that bucket', () => {
    const text = (r: Resource) => JSON.stringify(r.Properties);
    const hostRole = all.find((r) => r.Type === 'AWS::IAM::Role' && text(r).includes('ec2.amazonaws.com'))!;
    expect(text(hostRole)).toContain(JSON.stringify({ Action: 's3:GetObject', Effect: 'Allow', Resource: objects }));
    const machinePolicy = all.find((r) => r.Type === 'AWS::IAM::Policy' && text(r).includes('corp-media-archive'))!;
    expect(text(machinePolicy)).toContain(JSON.stringify({ Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: objects }));
  });

  it('leaves no cdk-nag or validator error unacknowledged', () => {
    expect(result.findings.filter((f) => f.severity === 'error' || f.severity === 'fatal')).toEqual([]);
  });
});

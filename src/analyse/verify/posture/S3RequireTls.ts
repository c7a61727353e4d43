import type { StackResource, Value } from '../../model/resolve.js';
import { field, items } from '../../model/resources.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * PS12: buckets refuse requests that do not use TLS. S3 answers plain HTTP unless a bucket policy
 * denies requests where `aws:SecureTransport` is false (Amazon S3 User Guide, "Enforce encryption of
 * data in transit"; Security Hub control S3.5; aws-cdk-lib's `enforceSSL`).
 * A bucket with a WebsiteConfiguration is left out: S3 website endpoints serve HTTP only ("Amazon S3
 * website endpoints do not support HTTPS", S3 User Guide, "Website endpoints"), so the Deny this rule
 * asks for would switch the website off; HTTPS for a website comes from CloudFront in front of it.
 * Found on awslabs/aws-cloudformation-templates (docs/verify.md).
 */
export const S3RequireTls: PostureRule = {
  id: 'PS12',
  name: 'S3RequireTls',
  level: 'warning',
  cause: 'A bucket has no bucket policy statement that denies requests with aws:SecureTransport false.',
  why: 'Without it S3 accepts plain HTTP, and objects and request signatures cross the network readable and open to tampering; only a Deny on aws:SecureTransport makes every client use TLS.',
  check(resources) {
    const enforced = new Set<StackResource>();
    for (const p of resources.ofType('AWS::S3::BucketPolicy')) {
      const bucket = resources.target(resources.prop(p, 'Bucket'));
      const document = resources.prop(p, 'PolicyDocument');
      const statements = items(field(document, 'Statement') ?? undefined);
      const list = statements.length > 0 ? statements : [field(document, 'Statement')].filter((s) => s !== undefined);
      if (bucket && list.some(deniesPlainHttp)) enforced.add(bucket);
    }
    return resources.ofType('AWS::S3::Bucket')
      .filter((b) => !enforced.has(b) && resources.prop(b, 'WebsiteConfiguration') === undefined)
      .map((b) => postureFinding(this, b, `The bucket ${nameOf(b)} accepts requests without TLS: no bucket policy statement denies aws:SecureTransport false (aws-cdk-lib: enforceSSL: true).`));
  },
};

function deniesPlainHttp(s: Value): boolean {
  if (field(s, 'Effect') !== 'Deny') return false;
  const bool = field(field(s, 'Condition'), 'Bool');
  const v = field(bool, 'aws:SecureTransport');
  return v === false || v === 'false' || (Array.isArray(v) && v.some((x) => x === false || x === 'false'));
}

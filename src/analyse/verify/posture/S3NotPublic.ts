import { ResourceToken, Unknown, type StackResource, type Value } from '../../model/resolve.js';
import { field, flag, items } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

const PUBLIC_ACLS = new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead']);
const BLOCK_SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** Condition keys that narrow a `*` principal to known callers (AWS's own definition of "not public"). */
const NARROWING = /^aws:(SourceArn|SourceAccount|SourceVpce?|SourceIp|PrincipalOrgID|PrincipalAccount|PrincipalArn|userid|username|SourceOrgID|SourceOrgPaths)$/i;

/**
 * PS5: buckets are not public. A policy statement that allows a `*` principal without a condition
 * narrowing it, or a public canned ACL, makes a bucket public; a public access block with any of its
 * four settings turned off removes the guard that S3 puts on every new bucket since April 2023.
 */
export const S3NotPublic: PostureRule = {
  id: 'PS5',
  name: 'S3NotPublic',
  level: 'error',
  cause: 'A bucket policy allows Principal "*" (or AWS: "*") without a condition that narrows it to an account, organisation, VPC endpoint, source ARN or address; or the bucket has a public canned ACL; or its PublicAccessBlockConfiguration turns one of the four blocks off.',
  why: 'Public buckets are the most common source of cloud data leaks. Since April 2023 S3 blocks public access on new buckets by default; a template that turns that off, or grants "*", should say so on purpose (serve public content through CloudFront with origin access control instead).',
  check(resources) {
    const out: Finding[] = [];
    for (const r of resources.ofType('AWS::S3::Bucket')) {
      const acl = resources.prop(r, 'AccessControl');
      if (typeof acl === 'string' && PUBLIC_ACLS.has(acl)) out.push(postureFinding(this, r, `The bucket ${nameOf(r)} has the public canned ACL ${acl}.`));
      const block = resources.prop(r, 'PublicAccessBlockConfiguration');
      if (block === undefined) continue;
      const off = BLOCK_SETTINGS.filter((s) => flag(field(block, s)) !== true);
      if (off.length > 0) out.push(postureFinding(this, r, `The bucket ${nameOf(r)} turns off public access blocks (${off.join(', ')} not true), the guard S3 sets on new buckets by default.`, block instanceof Unknown ? block : undefined));
    }
    for (const p of resources.ofType('AWS::S3::BucketPolicy')) {
      const bucket = resources.target(resources.prop(p, 'Bucket'));
      const statements = items(field(resources.prop(p, 'PolicyDocument'), 'Statement') ?? undefined);
      const list = statements.length > 0 ? statements : [field(resources.prop(p, 'PolicyDocument'), 'Statement')].filter((s) => s !== undefined);
      for (const s of list) {
        if (field(s, 'Effect') !== 'Allow' || !isEveryone(field(s, 'Principal'))) continue;
        if (narrowed(field(s, 'Condition'))) continue;
        const target = bucket ?? p;
        out.push(postureFinding(this, target as StackResource, `The bucket policy ${nameOf(p)} allows ${describeActions(field(s, 'Action'))} to everyone (Principal "*") without a narrowing condition${bucket ? ` on ${nameOf(bucket)}` : ''}.`));
      }
    }
    return out;
  },
};

function isEveryone(principal: Value | undefined): boolean {
  if (principal === '*') return true;
  const aws = field(principal, 'AWS');
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function narrowed(condition: Value | undefined): boolean {
  if (condition === undefined || condition === null || typeof condition !== 'object' || condition instanceof ResourceToken || condition instanceof Unknown) return false;
  return Object.values(condition as Record<string, Value>).some((byKey) => byKey !== null && typeof byKey === 'object' && Object.keys(byKey).some((k) => NARROWING.test(k)));
}

function describeActions(action: Value | undefined): string {
  const list = Array.isArray(action) ? action : [action];
  return list.filter((a): a is string => typeof a === 'string').join(', ') || 'actions';
}

/**
 * Machines outside AWS with short-lived credentials (IAM Roles Anywhere): a trust anchor holding the
 * user's CA certificate, one role per machine that trusts only certificates of that anchor with the
 * given subject CN, and a profile the machine's credential helper names. No access key exists.
 * AWS IAM Roles Anywhere user guide, "Trust model" (role trust on rolesanywhere.amazonaws.com with
 * sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity; conditions on aws:PrincipalTag/x509Subject/CN
 * and aws:SourceArn).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ExternalPrincipalPlan } from '../plan/types.js';
import { acknowledge } from './acknowledge.js';
import { bucketObjectsFinding, permissionStatements } from './permission-statements.js';

export interface ExternalPrincipalsProps {
  /** `<platform>-<environment>`, prefixing the Roles Anywhere names. */
  readonly namePrefix: string;
  /** The machines: subject CN, trust anchor certificate, session length and permissions. */
  readonly principals: readonly ExternalPrincipalPlan[];
  /** Buckets by plan name, for bucket permissions: created ones, or existing ones referenced by name. @default - none */
  readonly buckets?: Readonly<Record<string, s3.IBucket>>;
}

export class ExternalPrincipals extends Construct {
  readonly roles: Readonly<Record<string, iam.Role>>;

  constructor(scope: Construct, id: string, props: ExternalPrincipalsProps) {
    super(scope, id);
    this.roles = Object.fromEntries(props.principals.map((p) => [p.name, this.newPrincipal(p, props)]));
  }

  private newPrincipal(p: ExternalPrincipalPlan, props: ExternalPrincipalsProps): iam.Role {
    const scope = new Construct(this, p.name);
    const anchor = new rolesanywhere.CfnTrustAnchor(scope, 'TrustAnchor', {
      name: `${props.namePrefix}-${p.name}`,
      enabled: true,
      source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: p.trustAnchorPem } },
    });
    const role = new iam.Role(scope, 'Role', {
      description: `plinth ${props.namePrefix}: access/external/${p.name}, a machine outside AWS (IAM Roles Anywhere, CN=${p.commonName})`,
      assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com').withConditions({
        StringEquals: { 'aws:PrincipalTag/x509Subject/CN': p.commonName },
        ArnEquals: { 'aws:SourceArn': anchor.attrTrustAnchorArn },
      }),
    });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:TagSession', 'sts:SetSourceIdentity'],
      principals: [new iam.ServicePrincipal('rolesanywhere.amazonaws.com')],
      conditions: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': p.commonName }, ArnEquals: { 'aws:SourceArn': anchor.attrTrustAnchorArn } },
    }));
    const statements = permissionStatements(p.permissions, (bucket) => requireBucket(props, bucket, p).bucketArn);
    role.attachInlinePolicy(new iam.Policy(scope, 'Permissions', { statements }));
    new rolesanywhere.CfnProfile(scope, 'Profile', {
      name: `${props.namePrefix}-${p.name}`,
      enabled: true,
      roleArns: [role.roleArn],
      durationSeconds: p.sessionMinutes * 60,
    });
    for (const perm of p.permissions) {
      if (perm.kind !== 'bucket') continue;
      acknowledge(scope, `AwsSolutions-IAM5[Resource::${bucketObjectsFinding(requireBucket(props, perm.bucket, p), perm.prefix)}]`,
        `Object actions act on object ARNs: access/external/${p.name} may ${perm.access} only the objects under ${perm.prefix || 'the root of'} ${perm.bucket}/, nothing else.`);
    }
    return role;
  }
}

function requireBucket(props: ExternalPrincipalsProps, name: string, p: ExternalPrincipalPlan): s3.IBucket {
  const bucket = props.buckets?.[name];
  if (!bucket) {
    throw new Error(`E_UNKNOWN_BUCKET: access/external/${p.name} has a permission on bucket "${name}", which was not passed to ExternalPrincipals; `
      + `buckets: ${Object.keys(props.buckets ?? {}).join(', ') || '(none)'}.`);
  }
  return bucket;
}

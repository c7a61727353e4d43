/**
 * Machines outside AWS (seed 000's AI server behind the site-to-site VPN) that act on platform
 * resources. They get no access keys: IAM Roles Anywhere exchanges an X.509 certificate from the
 * user's CA for short-lived credentials of one role, and the role trusts only one certificate subject.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import { parsePermission } from './server-runtime.js';
import type { BucketPlan, ExternalPrincipalPlan, RepositoryPlan } from './types.js';

export function planExternalPrincipals(
  spec: PlatformSpec,
  ctx: { readonly buckets: readonly BucketPlan[]; readonly repositories: readonly RepositoryPlan[]; readonly diags: Diagnostics },
  readFile: (relativePath: string) => string | undefined,
): ExternalPrincipalPlan[] {
  return Object.entries(spec.access?.external ?? {}).map(([name, e]) => {
    const path = ['access', 'external', name];
    const pem = readFile(e.trustAnchorCertificate);
    if (pem === undefined) {
      ctx.diags.error('E_TRUST_ANCHOR_MISSING', [...path, 'trustAnchorCertificate'], `The CA certificate file "${e.trustAnchorCertificate}" does not exist.`, {
        fix: 'give a path relative to the spec file, to the PEM certificate of the CA that signs the machine\'s certificate',
      });
    } else if (!/^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/.test(pem.trim() + '\n')) {
      ctx.diags.error('E_TRUST_ANCHOR_PEM', [...path, 'trustAnchorCertificate'], `"${e.trustAnchorCertificate}" is not one PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----).`, {
        fix: 'export the CA certificate (never its private key) in PEM form',
      });
    }
    return {
      name,
      trustAnchorPem: pem?.trim() ?? '',
      commonName: e.commonName,
      permissions: e.permissions.flatMap((p, i) => parsePermission(p, ctx, [...path, 'permissions', i])),
      sessionMinutes: e.sessionMinutes ?? 60,
    };
  });
}

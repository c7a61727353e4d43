/**
 * Access guards: whether any person can use the Kubernetes API plinth creates, and which IAM principals
 * the access entries name that plinth does not create.
 *
 * A person needs both a network path to the API endpoint and an access entry (the cluster's
 * authentication mode is API, so there is no aws-auth ConfigMap to fall back on). With a private
 * endpoint, "requests from within the cluster VPC use the private VPC endpoint" only as far as the
 * cluster's security group lets them (EKS API reference, VpcConfigRequest.endpointPublicAccess): plinth
 * opens it to `apiFrom` and to the nodes, nothing else. Without both, only the deploy's kubectl Lambda
 * (its own access entry) can use the API, and nobody can debug, upgrade or clean up the cluster.
 *
 * EKS refuses an access entry whose principal does not exist: CreateAccessEntry fails with
 * "InvalidParameterException: The specified principalArn is invalid: invalid principal"
 * (terraform-aws-modules/terraform-aws-eks#2969), which fails the cluster stack at deploy time.
 * plinth cannot look IAM up offline, so validate names each such principal as a warning.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { AccessEntryPlan } from './types.js';

/** Refuses a cluster that no person can reach (no network path to the endpoint, or no access entry). */
export function checkClusterReachable(c: ClusterSpec, access: readonly AccessEntryPlan[], diags: Diagnostics): void {
  const endpoint = c.endpointAccess ?? 'private';
  const path: SpecPath = ['cluster'];
  const hosts = access.filter((e) => e.principal.kind === 'host').map((e) => (e.principal.kind === 'host' ? e.principal.ref : ''));
  const apiFrom = c.apiFrom ?? [];
  const written = (c.admins ?? []).length + Object.values(c.teams ?? {}).reduce((n, t) => n + t.members.length, 0);
  // Principals were written but none parsed: E_PRINCIPAL already says what to write.
  if (access.length === 0 && written > 0) return;
  const networkFix = hosts.length > 0
    ? `add apiFrom: [${hosts.join(', ')}] (the hosts your admins entry names), or apiFrom: [vpn] when the spec has a client VPN`
    : 'add apiFrom: [vpn] (the client VPN), [bastion], [mgmt/NAME] or [cidr:A.B.C.D/N] for where operators run kubectl';
  const who = 'admins: ["arn:aws:iam::<account id>:role/NAME"] (an IAM role or user that exists), or admins: [mgmt/NAME] / [bastion] for a host plinth creates';

  if (access.length === 0 && endpoint === 'private' && apiFrom.length === 0) {
    diags.warning('W_CLUSTER_UNREACHABLE', path,
      'No person can reach this cluster: its API endpoint is private, apiFrom opens it to nobody, and there are no admins or team members. Only the deploy\'s kubectl Lambda could use the API.', {
        allowed: 'a network path (apiFrom, or endpointAccess: publicAndPrivate with publicAccessCidrs) and an access entry (admins or teams.*.members)',
        fix: `${networkFix}; and ${who}`,
      });
    return;
  }
  if (access.length === 0) {
    diags.warning('W_CLUSTER_UNREACHABLE', path,
      'No person can use this cluster\'s API: there are no admins or team members, so no access entry lets anyone but the deploy\'s kubectl Lambda in.', {
        allowed: 'admins, or teams.*.members: IAM user or role ARNs, mgmt/NAME or bastion',
        fix: who,
      });
    return;
  }
  if (endpoint === 'private' && apiFrom.length === 0) {
    diags.warning('W_CLUSTER_UNREACHABLE', [...path, c.admins ? 'admins' : 'teams'],
      'No person can reach this cluster\'s API: the endpoint is private and apiFrom opens it to nobody, so the admins and team members have no network path to it.', {
        allowed: 'apiFrom: vpn, bastion, mgmt/NAME, cidr:A.B.C.D/N, ...; or endpointAccess: publicAndPrivate with publicAccessCidrs',
        fix: networkFix,
      });
  }
}

/**
 * Warns once per IAM ARN in admins or teams: plinth does not create it, and the deploy fails unless it
 * exists. Hosts plinth creates (`mgmt/NAME`, `bastion`) are not reported: their roles come with them.
 */
export function warnExternalPrincipals(c: ClusterSpec, access: readonly AccessEntryPlan[], diags: Diagnostics): void {
  const written: { text: string; path: SpecPath }[] = [
    ...(c.admins ?? []).map((text, i) => ({ text: text.trim(), path: ['cluster', 'admins', i] })),
    ...Object.entries(c.teams ?? {}).flatMap(([team, t]) => t.members.map((text, i) => ({ text: text.trim(), path: ['cluster', 'teams', team, 'members', i] }))),
  ];
  for (const entry of access) {
    if (entry.principal.kind !== 'arn') continue;
    const arn = entry.principal.arn;
    const first = written.find((w) => w.text === arn);
    diags.warning('W_PRINCIPAL_MUST_EXIST', first?.path ?? ['cluster'],
      `${arn} is not created by plinth: it must exist in IAM before deploy, or EKS refuses its access entry ("invalid principal") and the cluster stack fails and rolls back.`, {
        fix: `create it first (aws iam get-${arn.includes(':user/') ? 'user --user-name' : 'role --role-name'} ${arn.split('/').pop()} must succeed), or name a host plinth creates (mgmt/NAME, bastion)`,
      });
  }
}

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
 * plinth cannot look IAM up offline, so validate names each such principal as a warning (it may well
 * exist), while an unreachable cluster is an error: only a hand-made access entry or security-group rule
 * outside the stacks could open it, and that drifts from what the next deploy writes.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { AccessEntryPlan } from './types.js';

/** apiFrom sources that are not somewhere a person runs kubectl (the nodes may always reach the API). */
const NOT_A_PERSON = /^(cluster|db|efs|lb)\//;

/**
 * Refuses a cluster that no person can use: every case below leaves only the deploy's kubectl Lambda
 * (its own access entry) able to call the API. A person needs a network path (a public endpoint
 * limited to publicAccessCidrs, or an apiFrom source inside the network) AND an access entry (admins or
 * teams.*.members). When the only entries are hosts plinth creates (mgmt/NAME, bastion), the path must
 * reach one of those hosts, since only they hold the credentials the entries name.
 */
export function checkClusterReachable(c: ClusterSpec, access: readonly AccessEntryPlan[], diags: Diagnostics): void {
  const publicEndpoint = (c.endpointAccess ?? 'private') === 'publicAndPrivate';
  const path: SpecPath = ['cluster'];
  const hosts = access.flatMap((e) => (e.principal.kind === 'host' ? [e.principal.ref] : []));
  const apiFrom = (c.apiFrom ?? []).map((ref) => ref.trim()).filter((ref) => !NOT_A_PERSON.test(ref));
  const written = (c.admins ?? []).length + Object.values(c.teams ?? {}).reduce((n, t) => n + t.members.length, 0);
  // Principals were written but none parsed: E_PRINCIPAL already says what to write.
  if (access.length === 0 && written > 0) return;
  const networkFix = hosts.length > 0
    ? `add apiFrom: [${hosts.join(', ')}] (the hosts your admins entry names), or apiFrom: [vpn] when the spec has a client VPN`
    : 'add apiFrom: [vpn] (the client VPN), [bastion], [mgmt/NAME] or [cidr:A.B.C.D/N] for where operators run kubectl';
  const who = 'admins: ["arn:aws:iam::<account id>:role/NAME"] (an IAM role or user that exists), or admins: [mgmt/NAME] / [bastion] for a host plinth creates';
  const unreachable = (where: SpecPath, message: string, allowed: string, fix: string) =>
    diags.error('E_CLUSTER_UNREACHABLE', where, `${message} Only the deploy's kubectl Lambda could use the API: nobody could debug, upgrade or clean up the cluster.`, { allowed, fix });

  if (access.length === 0 && !publicEndpoint && apiFrom.length === 0) {
    unreachable(path, 'No person can reach this cluster: its API endpoint is private, apiFrom opens it to nobody, and there are no admins or team members.',
      'a network path (apiFrom, or endpointAccess: publicAndPrivate with publicAccessCidrs) and an access entry (admins or teams.*.members)',
      `${networkFix}; and ${who}`);
    return;
  }
  if (access.length === 0) {
    unreachable(path, 'No person can use this cluster\'s API: there are no admins or team members, so no access entry lets anyone in.',
      'admins, or teams.*.members: IAM user or role ARNs, mgmt/NAME or bastion', who);
    return;
  }
  const where: SpecPath = [...path, c.admins ? 'admins' : 'teams'];
  if (!publicEndpoint && apiFrom.length === 0) {
    unreachable(where, 'No person can reach this cluster\'s API: the endpoint is private and apiFrom opens it to nobody, so the admins and team members have no network path to it.',
      'apiFrom: vpn, bastion, mgmt/NAME, cidr:A.B.C.D/N, ...; or endpointAccess: publicAndPrivate with publicAccessCidrs', networkFix);
    return;
  }
  const onlyHosts = hosts.length === access.length;
  const reachesAHost = apiFrom.some((ref) => ref === 'vpc' || ref.startsWith('cidr:') || hosts.some((h) => ref === h || ref.startsWith(`${h}:`)));
  if (onlyHosts && !publicEndpoint && !reachesAHost) {
    unreachable(['cluster', 'apiFrom'], `Only ${hosts.join(' and ')} ${hosts.length === 1 ? 'has' : 'have'} an access entry, and apiFrom (${apiFrom.join(', ')}) does not let ${hosts.length === 1 ? 'it' : 'them'} reach the private API endpoint; whoever apiFrom admits has no access entry.`,
      'apiFrom naming a host in admins (or vpc, or a cidr: covering it); or an IAM ARN in admins for the people apiFrom admits',
      `add ${hosts.join(', ')} to apiFrom, or add your IAM role's ARN to admins`);
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

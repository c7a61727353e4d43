/**
 * Access guards (issue 10, item 8): a cluster no person can reach is a located error with the fix;
 * IAM principals that plinth does not create are named as warnings, because EKS refuses an access
 * entry for a principal that does not exist and the cluster stack then fails.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSpec } from '../../src/spec/load.js';
import { planSpec } from '../../src/plan/load.js';
import { formatPath, SpecError, type Diagnostic } from '../../src/spec/diagnostics.js';
import { examplePlan, planFromYaml } from '../support.js';
import { TEST_CLUSTER_ADMIN, withReachableCluster } from '../reachable-cluster.js';

const BASE = 'platform: { name: demo, region: ap-northeast-2, account: "111122223333" }\nnetwork: { cidr: 10.0.0.0/16, azs: 2 }\n';
const JIMIN = 'arn:aws:iam::111122223333:user/jimin';
const OPS = 'arn:aws:iam::111122223333:role/ops';
const BASTION = 'access:\n  bastion: { sshFrom: [cidr:203.0.113.7/32] }\n';
const VPN = `access:
  clientVpn:
    clientCidr: 10.100.0.0/22
    serverCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/server
    clientRootCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/client-root
`;

type Found = Pick<Diagnostic, 'code' | 'message' | 'allowed' | 'fix'> & { path: string; line?: number };
const found = (d: Diagnostic): Found => ({ code: d.code, path: formatPath(d.path), message: d.message, allowed: d.allowed, fix: d.fix, line: d.location?.line });

/** Errors (when planning refuses the spec) or else warnings, of a spec whose cluster section is `cluster`. */
function diagnostics(cluster: string, more = ''): { errors: Found[]; warnings: Found[] } {
  try {
    return { errors: [], warnings: planFromYaml(`${BASE}${more}cluster:\n${cluster}`).warnings.map(found) };
  } catch (e) {
    if (e instanceof SpecError) return { errors: e.diagnostics.map(found), warnings: [] };
    throw e;
  }
}
const warnings = (cluster: string, more = '') => diagnostics(cluster, more).warnings;
const codes = <T extends { code: string }>(ws: readonly T[], code: string): T[] => ws.filter((w) => w.code === code);
const unreachable = (cluster: string, more = '') => codes(diagnostics(cluster, more).errors, 'E_CLUSTER_UNREACHABLE');

describe('a cluster no person can reach', () => {
  it('Noncompliance: private endpoint (the default), no admins, no apiFrom → E_CLUSTER_UNREACHABLE at cluster, with file:line, allowed and fix', () => {
    const text = `${BASE}cluster:\n  version: "1.36"\n`;
    let thrown: unknown;
    try {
      planSpec(parseYamlSpec(text, 'plinth.yaml'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    const errors = (thrown as SpecError).diagnostics.filter((d) => d.code === 'E_CLUSTER_UNREACHABLE');
    expect(errors).toHaveLength(1);
    expect(formatPath(errors[0]!.path)).toBe('cluster');
    expect(errors[0]!.location).toEqual({ file: 'plinth.yaml', line: 3, column: 1 });
    expect(errors[0]!.message).toMatch(/private.*apiFrom.*no admins/);
    expect(errors[0]!.allowed).toMatch(/apiFrom/);
    expect(errors[0]!.fix).toMatch(/apiFrom: \[vpn\].*admins:/);
  });

  it('Noncompliance: admins but no apiFrom → no network path, pointed at cluster.admins', () => {
    const e = unreachable(`  admins: ["${OPS}"]\n`);
    expect(e.map((d) => d.path)).toEqual(['cluster.admins']);
    expect(e[0]!.message).toMatch(/no network path/);
  });

  it('Noncompliance: apiFrom but nobody with an access entry', () => {
    const e = unreachable('  apiFrom: [vpc]\n');
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toMatch(/no admins or team members/);
  });

  it('Noncompliance: a public endpoint limited to CIDRs, but nobody with an access entry', () => {
    expect(unreachable('  endpointAccess: publicAndPrivate\n  publicAccessCidrs: [203.0.113.7/32]\n')).toHaveLength(1);
  });

  it('Noncompliance: apiFrom only the nodes (always allowed anyway) is no path for a person', () => {
    expect(unreachable(`  apiFrom: [cluster/nodes]\n  admins: ["${OPS}"]\n`).map((d) => d.path)).toEqual(['cluster.admins']);
  });

  it('Noncompliance: the bastion is the only admin and apiFrom admits the VPN, not the bastion → at cluster.apiFrom', () => {
    const e = unreachable('  apiFrom: [vpn]\n  admins: [bastion]\n', `${BASTION.trimEnd()}\n${VPN.replace('access:\n', '')}`);
    expect(e.map((d) => d.path)).toEqual(['cluster.apiFrom']);
    expect(e[0]!.message).toMatch(/Only bastion has an access entry/);
    expect(e[0]!.fix).toMatch(/add bastion to apiFrom/);
  });

  it('Compliance: a private endpoint reached from the VPN or the bastion, with admins', () => {
    expect(unreachable(`  apiFrom: [vpn]\n  admins: ["${OPS}"]\n`, VPN)).toEqual([]);
    expect(unreachable('  apiFrom: [bastion]\n  admins: [bastion]\n', BASTION)).toEqual([]);
    expect(unreachable(`  apiFrom: [vpc]\n  teams:\n    web: { members: ["${JIMIN}"] }\n`)).toEqual([]);
  });

  it('Compliance: a public endpoint restricted to CIDRs, with admins', () => {
    expect(unreachable(`  endpointAccess: publicAndPrivate\n  publicAccessCidrs: [203.0.113.7/32]\n  admins: ["${OPS}"]\n`)).toEqual([]);
  });

  it('Compliance: every bundled example with a cluster is reachable by a person', () => {
    for (const name of ['nemo-v3', 'three-tier-eks', 'video-platform', 'existing-vpc']) {
      expect(examplePlan(name).cluster, name).toBeDefined();
    }
  });

  it('the test fixture for other tests gives exactly a reachable cluster, and leaves what the spec says', () => {
    expect(withReachableCluster(`${BASE}cluster: {}\n`)).toBe(`${BASE}cluster: { apiFrom: [vpc], admins: ["${TEST_CLUSTER_ADMIN}"] }\n`);
    expect(withReachableCluster(`${BASE}cluster: { version: "1.35" }\n`)).toBe(`${BASE}cluster: { apiFrom: [vpc], admins: ["${TEST_CLUSTER_ADMIN}"], version: "1.35" }\n`);
    expect(withReachableCluster(`${BASE}cluster:\n    teams: {}\napps: {}\n`)).toBe(`${BASE}cluster:\n    apiFrom: [vpc]\n    teams: {}\napps: {}\n`);
    expect(withReachableCluster(`${BASE}cluster: { endpointAccess: publicAndPrivate, admins: [x] }\n`)).toBe(`${BASE}cluster: { endpointAccess: publicAndPrivate, admins: [x] }\n`);
    expect(planFromYaml(withReachableCluster(`${BASE}cluster:\n  version: "1.36"\n`)).cluster?.access).toHaveLength(1);
  });
});

describe('IAM principals plinth does not create', () => {
  it('Noncompliance: a user ARN in a team and a role ARN in admins are each named once, at their spec path, with the check to run', () => {
    const ws = codes(warnings(`  apiFrom: [vpc]\n  admins: ["${OPS}"]\n  teams:\n    dev: { members: ["${JIMIN}", "${OPS}"] }\n`), 'W_PRINCIPAL_MUST_EXIST');
    expect(ws.map((w) => w.path)).toEqual(['cluster.admins[0]', 'cluster.teams.dev.members[0]']);
    expect(ws[1]!.message).toContain(JIMIN);
    expect(ws[1]!.message).toMatch(/must exist in IAM before deploy/);
    expect(ws[0]!.fix).toContain('aws iam get-role --role-name ops');
    expect(ws[1]!.fix).toContain('aws iam get-user --user-name jimin');
  });

  it('Noncompliance: three-tier-eks warns about user/jimin', () => {
    const ws = examplePlan('three-tier-eks').warnings.filter((w) => w.code === 'W_PRINCIPAL_MUST_EXIST');
    expect(ws.map((w) => formatPath(w.path))).toEqual(['cluster.teams.developer.members[0]']);
    expect(ws[0]!.message).toContain(JIMIN);
  });

  it('Compliance: hosts plinth creates (bastion, mgmt/NAME) are not reported', () => {
    const access = 'access:\n  bastion: { sshFrom: [cidr:203.0.113.7/32] }\n';
    expect(codes(warnings('  apiFrom: [bastion]\n  admins: [bastion]\n', access), 'W_PRINCIPAL_MUST_EXIST')).toEqual([]);
    expect(examplePlan('nemo-v3').warnings.filter((w) => w.code === 'W_PRINCIPAL_MUST_EXIST')).toEqual([]);
  });
});

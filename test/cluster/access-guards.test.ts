/**
 * Access guards (issue 10, item 8): a cluster no person can reach is reported where the spec says so,
 * with the fix; IAM principals that plinth does not create are named, because EKS refuses an access
 * entry for a principal that does not exist and the cluster stack then fails.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSpec } from '../../src/spec/load.js';
import { planSpec } from '../../src/plan/load.js';
import { formatPath } from '../../src/spec/diagnostics.js';
import { examplePlan, planFromYaml } from '../support.js';

const BASE = 'platform: { name: demo, region: ap-northeast-2, account: "111122223333" }\nnetwork: { cidr: 10.0.0.0/16, azs: 2 }\n';
const JIMIN = 'arn:aws:iam::111122223333:user/jimin';
const OPS = 'arn:aws:iam::111122223333:role/ops';

function warnings(cluster: string, more = '') {
  return planFromYaml(`${BASE}${more}cluster:\n${cluster}`).warnings.map((w) => ({ code: w.code, path: formatPath(w.path), message: w.message, allowed: w.allowed, fix: w.fix }));
}
const codes = <T extends { code: string }>(ws: readonly T[], code: string): T[] => ws.filter((w) => w.code === code);

describe('a cluster no person can reach', () => {
  it('Noncompliance: private endpoint, no admins, no apiFrom → W_CLUSTER_UNREACHABLE at cluster, with file:line, allowed and fix', () => {
    const text = `${BASE}cluster:\n  version: "1.36"\n`;
    const plan = planSpec(parseYamlSpec(text, 'plinth.yaml'));
    const w = plan.warnings.filter((d) => d.code === 'W_CLUSTER_UNREACHABLE');
    expect(w).toHaveLength(1);
    expect(formatPath(w[0]!.path)).toBe('cluster');
    expect(w[0]!.location?.line).toBe(3);
    expect(w[0]!.message).toMatch(/private.*apiFrom.*no admins/);
    expect(w[0]!.allowed).toMatch(/apiFrom/);
    expect(w[0]!.fix).toMatch(/apiFrom: \[vpn\].*admins:/);
  });

  it('Noncompliance: admins but no apiFrom → no network path, pointed at cluster.admins', () => {
    const w = codes(warnings(`  admins: ["${OPS}"]\n`), 'W_CLUSTER_UNREACHABLE');
    expect(w.map((d) => d.path)).toEqual(['cluster.admins']);
    expect(w[0]!.message).toMatch(/no network path/);
  });

  it('Noncompliance: apiFrom but nobody with an access entry', () => {
    const w = codes(warnings('  apiFrom: [vpc]\n'), 'W_CLUSTER_UNREACHABLE');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/no admins or team members/);
  });

  it('Compliance: apiFrom and admins (or a public endpoint with CIDRs and admins) → no W_CLUSTER_UNREACHABLE', () => {
    expect(codes(warnings(`  apiFrom: [vpc]\n  admins: ["${OPS}"]\n`), 'W_CLUSTER_UNREACHABLE')).toEqual([]);
    expect(codes(warnings(`  endpointAccess: publicAndPrivate\n  publicAccessCidrs: [203.0.113.7/32]\n  admins: ["${OPS}"]\n`), 'W_CLUSTER_UNREACHABLE')).toEqual([]);
  });

  it('Compliance: every bundled example with a cluster is reachable by a person', () => {
    for (const name of ['nemo-v3', 'three-tier-eks', 'video-platform', 'existing-vpc']) {
      expect(examplePlan(name).warnings.filter((w) => w.code === 'W_CLUSTER_UNREACHABLE'), name).toEqual([]);
    }
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

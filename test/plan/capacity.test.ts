/** Instance types against the bundled table, and autoscaler maximums against what the node groups hold. */
import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES } from '../../src/plan/instance-types.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { examplePlan, planFromYaml } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

const BASE = 'platform: { name: demo, region: ap-northeast-2 }\nnetwork: { cidr: 10.0.0.0/16, azs: 2 }\n';

function diagnostics(text: string): { errors: { code: string; fix?: string }[]; warnings: { code: string; message: string }[] } {
  try {
    const p = planFromYaml(withReachableCluster(`${BASE}${text}`));
    return { errors: [], warnings: p.warnings.map((w) => ({ code: w.code, message: w.message })) };
  } catch (e) {
    if (e instanceof SpecError) return { errors: e.diagnostics.map((d) => ({ code: d.code, fix: d.fix })), warnings: [] };
    throw e;
  }
}

describe('instance types', () => {
  it('table: every size has vCPUs and memory, burstable t3.large is 2 vCPU / 8 GiB, m6i.xlarge 4 / 16', () => {
    expect(INSTANCE_TYPES.get('t3.large')).toEqual({ vcpus: 2, memoryGiB: 8 });
    expect(INSTANCE_TYPES.get('m6i.xlarge')).toEqual({ vcpus: 4, memoryGiB: 16 });
    for (const [t, info] of INSTANCE_TYPES) expect(info.vcpus > 0 && info.memoryGiB > 0, t).toBe(true);
  });

  it('Noncompliance: t3.larg on a node group is a located error with did you mean', () => {
    const { errors } = diagnostics('cluster:\n  nodeGroups: { main: { instanceTypes: [t3.larg] } }\n');
    expect(errors).toEqual([{ code: 'E_INSTANCE_TYPE', fix: 'did you mean "t3.large"?' }]);
  });

  it('Noncompliance: a server type outside the table', () => {
    expect(diagnostics('servers:\n  app: { instanceType: m9z.large }\n').errors.map((e) => e.code)).toEqual(['E_INSTANCE_TYPE']);
  });

  it('Compliance: every example\'s instance types are in the table', () => {
    expect(() => ['three-tier-eks', 'video-platform', 'bootcamp-ec2', 'k8s-on-ec2'].map(examplePlan)).not.toThrow();
  });
});

describe('autoscaler maximums against node capacity', () => {
  const spec = (autoscaling: string, max: number) => `cluster:
  autoscaling: ${autoscaling}
  nodeGroups: { app: { instanceTypes: [t3.large], size: { min: 2, max: 4, desired: 2 } } }
apps:
  backend: { image: nginx:1.27, port: 8080, resources: { cpu: 500m, memory: 1Gi }, autoscale: { min: 2, max: ${max} } }
`;

  it('Noncompliance: seed 004\'s HPA of 2-10 at 500m on two fixed t3.large nodes warns with the numbers', () => {
    const w = diagnostics(spec('none', 10)).warnings.find((x) => x.code === 'W_CAPACITY')!;
    expect(w.message).toContain('5.0 vCPU');
    expect(w.message).toContain('3.8 vCPU');
    expect(w.message).toContain('backend 10 × 500m');
  });

  it('Compliance: the same apps with cluster-autoscaler up to 4 nodes fit (7.5 vCPU)', () => {
    expect(diagnostics(spec('cluster-autoscaler', 10)).warnings.map((x) => x.code)).not.toContain('W_CAPACITY');
  });

  it('Compliance: a maximum the fixed nodes hold', () => {
    expect(diagnostics(spec('none', 6)).warnings.map((x) => x.code)).not.toContain('W_CAPACITY');
  });

  it('three-tier-eks (seed 004) carries the warning', () => {
    expect(examplePlan('three-tier-eks').warnings.map((w) => w.code)).toContain('W_CAPACITY');
  });
});

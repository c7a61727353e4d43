/**
 * A host whose user data alone changes is stopped and started, not replaced (CloudFormation resource
 * reference, AWS::EC2::Instance UserData: "Update requires: Some interruptions"), although the resource
 * specification that @aws-cdk/cloudformation-diff reads marks it "maybe replaces".
 */
import { describe, expect, it } from 'vitest';
import { ResourceImpact, fullDiff } from '@aws-cdk/cloudformation-diff';
import { diffStack } from '../../src/analyse/plan/changes.js';
import { changeReportSection } from '../../src/analyse/plan/format.js';
import type { CfnTemplate, ChangeReport } from '../../src/analyse/plan/types.js';

const host = (userData: string, diskGiB = 20): CfnTemplate => ({
  Resources: {
    Host: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        InstanceType: 't3.small',
        UserData: { 'Fn::Base64': userData },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: diskGiB, Encrypted: true } }],
      },
    },
  },
});
const diff = (before: CfnTemplate, after: CfnTemplate, allowReplace: readonly string[] = []) =>
  diffStack({ stack: 'Compute', before, after, paths: { Host: 'Hosts/Servers/web/1' }, allowReplace });

describe('user data changes', () => {
  it('are a "may replace" in the specification cloudformation-diff reads (what this rule corrects)', () => {
    const change = fullDiff(host('echo a'), host('echo b')).resources.changes.Host!;
    expect(change.changeImpact).toBe(ResourceImpact.MAY_REPLACE);
  });

  it('alone stop and start the host: a modify with an interruption, not a refused replacement', () => {
    const d = diff(host('echo a'), host('echo b'));
    expect(d.refusals).toEqual([]);
    expect(d.resources).toEqual([expect.objectContaining({ action: 'modify', refused: false, data: 'none', replacingProperties: [] })]);
    expect(d.resources[0]!.interruption).toMatch(/^UserData: stopped and started/);
    const report: ChangeReport = { stacks: [{ stack: 'Compute', stackName: 'x-compute', status: 'update', resources: d.resources }], refusals: [], steps: [], kept: [], safe: true, transitions: {} };
    const text = changeReportSection(report).text.join('\n');
    expect(text).toContain('~ modify Hosts/Servers/web/1 AWS::EC2::Instance  (interruption: UserData: stopped and started');
  });

  it('with a disk change still possibly replace the host, refused until allowed', () => {
    const d = diff(host('echo a'), host('echo b', 30));
    expect(d.resources[0]).toEqual(expect.objectContaining({ action: 'may-replace', refused: true, replacingProperties: ['UserData', 'BlockDeviceMappings'] }));
    expect(d.resources[0]!.interruption).toBeUndefined();
    expect(d.refusals.map((r) => r.code)).toEqual(['STATEFUL_REPLACEMENT']);
    expect(diff(host('echo a'), host('echo b', 30), ['Hosts/Servers/web']).refusals).toEqual([]);
  });
});

describe('custom resources', () => {
  const manifest = (ingress: string): CfnTemplate => ({
    Resources: {
      Manifest: {
        Type: 'Custom::AWSCDK-EKS-KubernetesResource',
        Properties: { ServiceToken: 'arn:aws:lambda:x', Manifest: JSON.stringify([{ kind: 'Ingress', metadata: { annotations: { 'alb.ingress.kubernetes.io/scheme': ingress } } }]) },
      },
    },
  });

  it('whose properties change are modified (cloudformation-diff rates them NO_CHANGE: no specification)', () => {
    expect(fullDiff(manifest('internal'), manifest('internet-facing')).resources.changes.Manifest!.changeImpact).toBe(ResourceImpact.NO_CHANGE);
    const d = diffStack({ stack: 'Cluster', before: manifest('internal'), after: manifest('internet-facing'), paths: { Manifest: 'Cluster/Apps/web' }, allowReplace: [] });
    expect(d.resources).toEqual([expect.objectContaining({ action: 'modify', type: 'Custom::AWSCDK-EKS-KubernetesResource', path: 'Cluster/Apps/web' })]);
    expect(diffStack({ stack: 'Cluster', before: manifest('internal'), after: manifest('internal'), paths: {}, allowReplace: [] }).resources).toEqual([]);
  });
});

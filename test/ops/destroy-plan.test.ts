/**
 * The destroy decision on every example's synthesized templates (src/analyse/plan/destroy-plan.ts):
 * which databases get deletion protection turned off (Snapshot ones only), and which stacks are kept
 * because a retained resource still sits in their subnets and security groups.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planDestroy } from '../../src/analyse/plan/destroy-plan.js';
import type { PlanStack } from '../../src/analyse/plan/index.js';
import { synthStacks } from '../lifecycle/support.js';
import { exampleSpec, type Spec } from '../lifecycle/scenarios.js';
import { examplePlan, planFromYaml, ROOT } from '../support.js';

const EXAMPLES = ['bootcamp-ec2', 'existing-vpc', 'k8s-on-ec2', 'nemo-v3', 'three-tier-eks', 'video-platform'];

const databasesOf = (stacks: readonly PlanStack[]) => stacks.flatMap((s) => Object.entries(s.template.Resources ?? {})
  .filter(([, r]) => r.Type === 'AWS::RDS::DBInstance').map(([id, r]) => ({ stack: s.id, id, r })));

function variant(name: string, edit: (s: Spec) => void): PlanStack[] {
  const spec = exampleSpec(name);
  edit(spec);
  return synthStacks(planFromYaml(stringify(spec), join(ROOT, 'examples', name)));
}

describe('planDestroy on every example', () => {
  for (const name of EXAMPLES) {
    it(`${name}: deletes every stack, and unprotects exactly its protected Snapshot databases`, () => {
      const stacks = synthStacks(examplePlan(name));
      const d = planDestroy(stacks);
      expect(d.held).toEqual([]);
      expect(d.delete).toEqual(stacks.map((s) => s.id));
      const expected = databasesOf(stacks).filter(({ r }) => r.DeletionPolicy === 'Snapshot' && r.Properties?.DeletionProtection === true);
      expect(d.unprotect.map((u) => `${u.stack}/${u.logicalId}`)).toEqual(expected.map((e) => `${e.stack}/${e.id}`));
      // Every example with a database keeps the defaults (snapshot, protected): the case that used to end DELETE_FAILED.
      expect(d.unprotect.length).toBe(databasesOf(stacks).length);
    });
  }

  it('video-platform: a kept file system holds no subnet (aws-cdk-lib does not retain its mount targets)', () => {
    const stacks = synthStacks(examplePlan('video-platform'));
    const data = stacks.find((s) => s.id === 'Data')!;
    const resources = Object.values(data.template.Resources ?? {});
    expect(resources.some((r) => r.Type === 'AWS::EFS::FileSystem' && r.DeletionPolicy === 'RetainExceptOnCreate')).toBe(true);
    expect(resources.filter((r) => r.Type === 'AWS::EFS::MountTarget').every((r) => r.DeletionPolicy === undefined)).toBe(true);
  });
});

describe('planDestroy with a retained database', () => {
  it('nemo-v3: keeps the network stack (its subnets and security group), deletes the others, never unprotects the retained database', () => {
    // A retained instance cannot have a fixed identifier (E_DB_IDENTIFIER_RETAINED), so it is dropped.
    const stacks = variant('nemo-v3', (s) => { s.data.databases.main.removal = 'retain'; delete s.data.databases.main.identifier; });
    const d = planDestroy(stacks);
    expect(d.held.map((h) => h.stack)).toEqual(['Network']);
    expect(d.held[0]!.heldBy.map((b) => [b.type, b.name])).toEqual([['AWS::RDS::DBInstance', undefined]]);
    expect(d.delete).toEqual(stacks.map((s) => s.id).filter((id) => id !== 'Network'));
    expect(d.unprotect).toEqual([]);
    // What keeping it costs: NAT gateways bill by the hour.
    expect(d.held[0]!.billable.find((b) => b.type === 'AWS::EC2::NatGateway')?.count).toBeGreaterThan(0);
    // The DB subnet group stays with the instance: RDS refuses to delete one in use, which would fail the data stack.
    const data = stacks.find((s) => s.id === 'Data')!;
    expect(Object.values(data.template.Resources ?? {}).find((r) => r.Type === 'AWS::RDS::DBSubnetGroup')?.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('existing-vpc: the network stack owns no VPC, only the database security group, and is still kept', () => {
    const stacks = variant('existing-vpc', (s) => { s.data.databases.main.removal = 'retain'; });
    const d = planDestroy(stacks);
    expect(d.held.map((h) => h.stack)).toEqual(['Network']);
    expect(d.delete).not.toContain('Network');
  });

  it('video-platform: one retained database of two; the Snapshot one is still unprotected', () => {
    const stacks = variant('video-platform', (s) => { s.data.databases.airflow.removal = 'retain'; });
    const d = planDestroy(stacks);
    expect(d.held.map((h) => h.heldBy.map((b) => b.path))).toEqual([[expect.stringContaining('airflow')]]);
    expect(d.unprotect.map((u) => u.path)).toEqual([expect.stringContaining('main')]);
  });

  it('removal: destroy keeps nothing and holds nothing', () => {
    const stacks = variant('three-tier-eks', (s) => { s.data.databases.main.removal = 'destroy'; s.data.databases.main.deletionProtection = false; });
    const d = planDestroy(stacks);
    expect(d.held).toEqual([]);
    expect(d.unprotect).toEqual([]);
  });
});

describe('keptByDestroy with a retained database', () => {
  it('lists its DB subnet group with the command that deletes it once the instance is gone', async () => {
    const { keptByDestroy } = await import('../../src/analyse/plan/index.js');
    const stacks = variant('three-tier-eks', (s) => { s.data.databases.main.removal = 'retain'; });
    const group = keptByDestroy(stacks, 'ap-northeast-2').find((k) => k.type === 'AWS::RDS::DBSubnetGroup');
    expect(group?.deleteCommand).toMatch(/^aws rds delete-db-subnet-group --db-subnet-group-name .* --region ap-northeast-2 {2}# once no instance uses it$/);
  });
});

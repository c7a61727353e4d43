/**
 * A named node group (nemo-v3's `nemo_node_group`, the seed's name): the template carries the name, the
 * office-hours schedule scales that group, and `plinth plan` refuses a change that would replace it
 * (CloudFormation cannot create the new group while the old one holds the name) unless the same
 * change renames it.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { planChanges, type PlanStack } from '../../src/analyse/plan/index.js';
import { planFromYaml, ROOT } from '../support.js';
import { exampleSpec, type Spec } from './scenarios.js';
import { synthStacks } from './support.js';

const spec = exampleSpec('nemo-v3');
const stacksOf = (s: Spec): PlanStack[] => synthStacks(planFromYaml(stringify(s), join(ROOT, 'examples', 'nemo-v3')));
const withGroup = (edit: (group: Spec) => void): Spec => {
  const s = structuredClone(spec);
  edit(s.cluster.nodeGroups.main);
  return s;
};

const resourcesOf = (stacks: readonly PlanStack[], type: string) =>
  stacks.flatMap((s) => Object.entries(s.template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, r, stack: s })));

describe('nemo-v3 node group named nemo_node_group', () => {
  const before = stacksOf(spec);

  it('the template names the group and the schedule scales it by that resource', () => {
    const groups = resourcesOf(before, 'AWS::EKS::Nodegroup');
    expect(groups.map((g) => g.r.Properties?.NodegroupName)).toEqual(['nemo_node_group']);
    const { id, stack } = groups[0]!;
    // The schedule's calls read the name from the group itself (GetAtt NodegroupName), so they cannot drift from it.
    const calls = JSON.stringify(Object.values(stack.template.Resources ?? {}).filter((r) => r.Type === 'AWS::Scheduler::Schedule'));
    expect(calls).toContain('updateNodegroupConfig');
    expect(calls).toMatch(new RegExp(`"Fn::GetAtt":\\["${id}","NodegroupName"\\]`));
  });

  it('refuses a new instance type for the named group, and allows it when the same change renames the group', () => {
    const retyped = stacksOf(withGroup((g) => { g.instanceTypes = ['m5.large']; }));
    const refused = planChanges(before, retyped).refusals.filter((r) => r.code === 'NAMED_REPLACEMENT');
    expect(refused.map((r) => r.message).join('\n')).toContain('is named "nemo_node_group" and would be replaced');

    const renamed = stacksOf(withGroup((g) => { g.instanceTypes = ['m5.large']; g.name = 'nemo_node_group_m5'; }));
    const report = planChanges(before, renamed);
    expect(report.refusals.filter((r) => r.code === 'NAMED_REPLACEMENT')).toEqual([]);
    expect(report.stacks.flatMap((s) => s.resources).filter((c) => c.type === 'AWS::EKS::Nodegroup').map((c) => c.action)).toEqual(['replace']);
  });
});

/**
 * Offline lifecycle scenarios over every example: each edit plans without a CloudFormation refusal
 * (an export still imported, a protected stack), and every stateful replacement is refused until its
 * --allow-replace is given. Each spec variant is synthesized once.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { planChanges, type PlanStack } from '../../src/analyse/plan/index.js';
import { listExamples } from '../../src/cli/examples.js';
import { planFromYaml, ROOT } from '../support.js';
import { exampleSpec, scenarios, type Spec } from './scenarios.js';
import { synthStacks } from './support.js';

describe.each(listExamples())('edits to %s', (example) => {
  const spec = exampleSpec(example);
  const cache = new Map<Spec, PlanStack[]>();
  const stacksOf = (s: Spec) => {
    if (!cache.has(s)) cache.set(s, synthStacks(planFromYaml(stringify(s), join(ROOT, 'examples', example))));
    return cache.get(s)!;
  };

  it.each(scenarios(spec).map((s) => [s.name, s] as const))('%s', (_, scenario) => {
    const report = planChanges(stacksOf(scenario.before), stacksOf(scenario.after));
    const cfnRefusals = report.refusals.filter((r) => r.code === 'EXPORT_IN_USE' || r.code === 'EXPORT_MISSING' || r.code === 'PROTECTED' || r.code === 'RETRY_COLLISION');
    expect(cfnRefusals).toEqual([]);
    const changed = report.stacks.flatMap((s) => s.resources);
    if (scenario.changesCloudFormation) expect(changed.length, 'the edit changes the templates').toBeGreaterThan(0);
    if (scenario.changesType) expect(changed.map((c) => c.type)).toContain(scenario.changesType);
    const stateful = report.refusals.filter((r) => r.code === 'STATEFUL_REPLACEMENT');
    if (scenario.replaces) {
      expect(stateful.map((r) => r.message).join('\n')).toContain(scenario.replaces);
      const allowedReport = planChanges(stacksOf(scenario.before), stacksOf(scenario.after), { allowReplace: [scenario.replaces] });
      expect(allowedReport.refusals.filter((r) => r.code === 'STATEFUL_REPLACEMENT')).toEqual([]);
    } else {
      // No edit but the disk one replaces a stateful resource; removals keep or snapshot data stores.
      expect(stateful).toEqual([]);
      for (const r of changed.filter((c) => c.action === 'remove' && ['AWS::RDS::DBInstance', 'AWS::EFS::FileSystem', 'AWS::S3::Bucket', 'AWS::ECR::Repository'].includes(c.type))) {
        expect(r.data, r.path).not.toBe('lost');
      }
    }
  });
});

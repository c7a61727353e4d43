/**
 * A failed first create must be retryable: CloudFormation keeps `DeletionPolicy: Retain` resources on a
 * rollback ("If resources are retained during rollback, they interfere with retries of stack
 * operations", AWS's RetainExceptOnCreate announcement), so none of them may carry a fixed name.
 */
import { describe, expect, it } from 'vitest';
import { blocksRetry, planChanges, readPlanAssembly } from '../../src/analyse/plan/index.js';
import { listExamples } from '../../src/cli/examples.js';
import { exampleAssembly } from '../shared-assemblies.js';

describe.each(listExamples())('example %s', (name) => {
  const stacks = readPlanAssembly(exampleAssembly(name));

  it('keeps nothing on a failed first create that the retry would collide with', () => {
    const collisions = stacks.flatMap((s) => Object.entries(s.template.Resources ?? {})
      .filter(([, r]) => blocksRetry(r) !== undefined).map(([id]) => `${s.id}/${id}`));
    expect(collisions).toEqual([]);
    // Everything it keeps on delete is kept by RetainExceptOnCreate (or a snapshot), never plain Retain.
    const policies = new Set(stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.DeletionPolicy).filter(Boolean)));
    expect([...policies].filter((p) => p !== 'RetainExceptOnCreate' && p !== 'Snapshot' && p !== 'Delete')).toEqual([]);
  });

  it('plans a first deploy with no refusal, and destroy names what it keeps with a delete command', () => {
    const report = planChanges([], stacks);
    expect(report.refusals).toEqual([]);
    expect(report.stacks.every((s) => s.status === 'create')).toBe(true);
    for (const k of report.kept) expect(k.deleteCommand).toMatch(/^aws /);
    expect(stacks.every((s) => !s.terminationProtection)).toBe(true);
  });
});

describe('the retry check', () => {
  it('Noncompliance: a named secret retained on a failed create', () => {
    expect(blocksRetry({ Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Retain', Properties: { Name: 'app/db/main' } })).toBe('app/db/main');
  });
  it('Compliance: RetainExceptOnCreate, a generated name, or a snapshot', () => {
    expect(blocksRetry({ Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'RetainExceptOnCreate', Properties: { Name: 'x' } })).toBeUndefined();
    expect(blocksRetry({ Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain', Properties: {} })).toBeUndefined();
    expect(blocksRetry({ Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', Properties: { DBInstanceIdentifier: 'x' } })).toBeUndefined();
  });
});

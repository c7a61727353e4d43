/** plinth validate over several environments: a warning the base causes is said once; the rest are labelled. */
import { describe, expect, it } from 'vitest';
import { groupWarnings } from '../../src/plan/environments.js';
import type { Diagnostic } from '../../src/spec/diagnostics.js';

const warning = (code: string, line: number): Diagnostic => ({ code, path: ['cluster', 'version'], message: `${code} says so`, location: { file: 'plinth.yaml', line } });

describe('groupWarnings', () => {
  it('GIVEN one warning in every environment THEN it is shared, once, unlabelled', () => {
    const base = warning('W_DB_EXTENDED_SUPPORT', 71);
    const grouped = groupWarnings([{ environment: 'prod', warnings: [base] }, { environment: 'dev', warnings: [{ ...base }] }]);
    expect(grouped.shared).toEqual([base]);
    expect([...grouped.byEnvironment]).toEqual([['prod', []], ['dev', []]]);
  });

  it('GIVEN warnings only some environments have THEN each is labelled with its environment', () => {
    const prodOnly = warning('W_CLUSTER_EXTENDED_SUPPORT', 91);
    const devOnly = warning('W_CLUSTER_STANDARD_SUPPORT_ENDS', 243);
    const grouped = groupWarnings([{ environment: 'prod', warnings: [prodOnly] }, { environment: 'dev', warnings: [devOnly] }]);
    expect(grouped.shared).toEqual([]);
    expect(grouped.byEnvironment.get('prod')).toEqual([{ ...prodOnly, environment: 'prod' }]);
    expect(grouped.byEnvironment.get('dev')).toEqual([{ ...devOnly, environment: 'dev' }]);
  });

  it('GIVEN the same code at two places THEN they are different warnings', () => {
    const grouped = groupWarnings([{ environment: 'prod', warnings: [warning('W_X', 1)] }, { environment: 'dev', warnings: [warning('W_X', 2)] }]);
    expect(grouped.shared).toEqual([]);
  });

  it('GIVEN one environment THEN nothing is labelled, and a repeated warning is said once', () => {
    const w = warning('W_X', 1);
    const grouped = groupWarnings([{ environment: 'prod', warnings: [w, { ...w }] }]);
    expect(grouped.shared).toEqual([w]);
    expect(grouped.byEnvironment.get('prod')).toEqual([]);
  });
});

/** synth and deploy print the spec's own warnings (W_*), located, instead of hiding them. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printPlanWarnings } from '../../src/cli/commands/synth.js';
import type { Output } from '../../src/cli/io.js';
import { loadPlan } from '../../src/plan/load.js';
import { ROOT } from '../support.js';

function capture(): { out: Output; errors: string[] } {
  const errors: string[] = [];
  return { errors, out: { json: false, info: () => undefined, error: (t) => errors.push(t), result: () => undefined } };
}

describe('printPlanWarnings', () => {
  it('prints each warning with file:line and its fix, then how many (three-tier-eks: user/jimin must exist)', async () => {
    const { plan } = await loadPlan(join(ROOT, 'examples', 'three-tier-eks'));
    const { out, errors } = capture();
    printPlanWarnings(out, plan);
    const text = errors.join('\n');
    expect(text).toMatch(/plinth\.yaml:\d+:\d+: warning W_PRINCIPAL_MUST_EXIST at cluster\.teams\.developer\.members\[0\]/);
    expect(text).toContain('aws iam get-user --user-name jimin');
    expect(errors.at(-1)).toMatch(new RegExp(`^${plan.warnings.length} spec warnings? \\(not blocking\\)`));
  });

  it('says nothing when there is nothing to say', () => {
    const { out, errors } = capture();
    printPlanWarnings(out, { warnings: [] });
    expect(errors).toEqual([]);
  });
});

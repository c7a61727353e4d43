/**
 * plan: what a deploy of SPEC would change, compared with a previous cloud assembly, as a list of
 * sections (CloudFormation changes here; other analyses add theirs). Exit 0 safe, 1 needs attention.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { changeReportSection, planChanges, readPlanAssembly, type PlanSection, type PlanStack } from '../../analyse/plan/index.js';
import { loadPlan } from '../../plan/load.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command } from './index.js';
import { specArg } from './spec-arg.js';

/** Where `plinth deploy` keeps a copy of the assembly it deployed last, next to the output DIR. */
export const deployedCopy = (outdir: string) => `${resolve(outdir)}.deployed`;

/** The assembly to compare with: the given DIR, else the last deployed copy, else the last synth. */
export function previousAssembly(against: string | undefined, outdir = 'cdk.out'): string | undefined {
  if (against !== undefined) return resolve(against);
  return [deployedCopy(outdir), resolve(outdir)].find((d) => existsSync(join(d, 'manifest.json')));
}

export function allowReplaceOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/** The CloudFormation section for `after` over `before` (no `before`: a first deploy). */
export function cloudFormationSection(before: string | undefined, after: readonly PlanStack[], allowReplace: readonly string[]): PlanSection {
  const old = before ? readPlanAssembly(before) : [];
  return changeReportSection(planChanges(old, after, { allowReplace }));
}

export function printSections(out: Output, sections: readonly PlanSection[], markdown: boolean): void {
  out.result({ ok: sections.every((s) => !s.attention), sections: sections.map(({ id, title, attention, json }) => ({ id, title, attention, report: json })) });
  if (markdown) {
    out.info(sections.map((s) => `### ${s.attention ? '⚠️' : '✅'} ${s.title}\n\n${s.markdown}`).join('\n\n'));
    return;
  }
  for (const s of sections) out.info([`== ${s.title}${s.attention ? ' (needs attention)' : ''}`, ...s.text, ''].join('\n'));
}

export const planCommand: Command = {
  args: '[SPEC] [--against DIR] [--allow-replace PATH]... [--markdown]',
  summary: 'list what a deploy would add, change, replace and remove, and what CloudFormation would refuse',
  help: `options:
  --against DIR        the cloud assembly to compare with (default: what plinth deploy last deployed
                       from cdk.out, else cdk.out; none: a first deploy)
  --allow-replace PATH accept replacing the stateful resources under a construct path the plan names,
                       e.g. --allow-replace Data/Databases/main (repeatable)
  --markdown           print Markdown (a pull-request comment)

exit codes: 0 safe to deploy, 1 needs attention (a refused replacement, an export in use, ...), 2 usage error`,
  options: { against: { type: 'string' }, 'allow-replace': { type: 'string', multiple: true }, markdown: { type: 'boolean' } },
  async run({ positionals, values, out }) {
    const { plan } = await loadPlan(specArg(positionals, 'plan'));
    const outdir = mkdtempSync(join(tmpdir(), 'plinth-plan-'));
    try {
      const { synthesizePlatform } = await import('../../aws/synth.js');
      synthesizePlatform(plan, { outdir, nag: false });
      const before = previousAssembly(values.against as string | undefined);
      if (!before) out.info('No previous assembly (cdk.out): planning a first deploy.');
      const sections = [cloudFormationSection(before, readPlanAssembly(outdir), allowReplaceOf(values['allow-replace']))];
      printSections(out, sections, values.markdown === true);
      return sections.some((s) => s.attention) ? EXIT_FAIL : 0;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  },
};

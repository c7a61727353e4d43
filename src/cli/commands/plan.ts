import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyseSide, drawChange, formatChangeSarif, formatMarkdown, formatText, parseCostThreshold, reviewChange, toJson, type ChangePolicy, type Risk } from '../../analyse/change/index.js';
import { changeReportSection, planChanges, readPlanAssembly, type ChangeReport } from '../../analyse/plan/index.js';
import type { Plan } from '../../plan/types.js';
import { loadPlan } from '../../plan/load.js';
import { UsageError } from '../../spec/load.js';
import type { Command } from './index.js';
import { allowReplaceOf, previousAssembly } from './plan-cloudformation.js';
import { envOf, specArg } from './spec-arg.js';

/**
 * `plinth plan SPEC --against DIR|SPEC`: what the change from the old version to SPEC does to
 * CloudFormation (added / modified / replaced / removed resources per stack in deploy order, data lost,
 * what CloudFormation would refuse, what destroy keeps: src/analyse/plan), reachability, cost,
 * Kubernetes and data, as text, Markdown (a pull-request comment) or JSON.
 */
export const plan: Command = {
  args: 'SPEC [--against DIR|SPEC] [--allow-replace PATH]... [--markdown] [--sarif FILE] [--picture FILE] [--max-cost-increase N%|$N]',
  summary: 'review a change before deploying it: reachability, cost, Kubernetes and data, with a verdict',
  help: `The old version (--against) is a cloud assembly written earlier (plinth synth --out DIR, e.g. main's
build artifact) or another spec, which is synthesized first. SPEC is synthesized into --out.

options:
  --against DIR|SPEC        the version to compare with (default: what plinth deploy last deployed from
                            cdk.out, kept in cdk.out.deployed, else cdk.out)
  --allow-replace PATH      accept replacing the stateful resources under a construct path the plan
                            names, e.g. --allow-replace Data/Databases/main (repeatable)
  --out DIR                 where to write SPEC's assembly (default: a temporary directory, removed after)
  --markdown                print a GitHub-flavoured pull-request comment instead of text
  --sarif FILE              write SARIF 2.1.0 for what the change introduces (findings and risks)
  --picture FILE            draw the change (.png or .svg): added in green, removed in magenta
  --picture-url URL         where the comment links the picture (default: the --picture path)
  --max-cost-increase T     fail when the base monthly total grows more than T: 10% or $50
  --fail-on-internal-flows  fail on any newly allowed flow, not only from outside the VPC or to data

exit codes: 0 nothing risky, 1 something opened, lost data, broke an intent, passed a threshold, or
CloudFormation would refuse it (a stateful replacement without --allow-replace, an export in use), 2 usage error`,
  options: {
    against: { type: 'string' }, 'allow-replace': { type: 'string', multiple: true }, out: { type: 'string' }, markdown: { type: 'boolean' }, sarif: { type: 'string' },
    picture: { type: 'string' }, 'picture-url': { type: 'string' }, 'max-cost-increase': { type: 'string' }, 'fail-on-internal-flows': { type: 'boolean' },
  },
  async run({ positionals, values, out }) {
    const previous = typeof values.against === 'string' ? values.against : previousAssembly();
    if (previous === undefined) throw new UsageError('plan needs --against DIR|SPEC: the cloud assembly (or spec) of the version to compare with (no cdk.out.deployed or cdk.out here).');
    const policy = policyOf(values);
    const temp: string[] = [];
    try {
      const { loaded, plan: newPlan } = await loadPlan(specArg(positionals, 'plan'), envOf(values));
      const newDir = values.out ? resolve(String(values.out)) : tempDir(temp, 'plinth-plan-new-');
      const { synthesizePlatform } = await import('../../aws/synth.js');
      // cdk-nag is synth's and deploy's business; the review reads only the templates.
      synthesizePlatform(newPlan, { outdir: newDir, nag: false });
      const against = resolve(previous);
      let oldDir = against;
      let oldPlan: Plan | undefined;
      if (!isAssembly(against)) {
        if (!existsSync(against)) throw new UsageError(`--against ${previous} does not exist; give a cloud assembly directory (with manifest.json) or a spec.`);
        oldPlan = (await loadPlan(against, envOf(values))).plan;
        oldDir = tempDir(temp, 'plinth-plan-old-');
        synthesizePlatform(oldPlan, { outdir: oldDir, nag: false });
      }
      const before = analyseSide(oldDir, { label: previous, plan: oldPlan, intents: newPlan.intents });
      const after = analyseSide(newDir, { label: positionals[0] ?? '.', plan: newPlan, locate: (path) => loaded.locate(path) });
      const cloudFormation = planChanges(readPlanAssembly(oldDir), readPlanAssembly(newDir), { allowReplace: allowReplaceOf(values['allow-replace']) });
      const section = changeReportSection(cloudFormation);
      const review = reviewChange(before, after, policy, cloudFormationRisks(cloudFormation));
      if (typeof values.picture === 'string') {
        const file = resolve(values.picture);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, await drawChange(before, after, { format: file.endsWith('.svg') ? 'svg' : 'png' }));
      }
      if (typeof values.sarif === 'string') writeFileSync(resolve(values.sarif), `${JSON.stringify(formatChangeSarif(review, after, loaded.file), null, 2)}\n`);
      out.result({ ...(toJson(review) as object), cloudFormation });
      if (values.markdown === true) {
        const pictureUrl = typeof values['picture-url'] === 'string' ? values['picture-url'] : typeof values.picture === 'string' ? values.picture : undefined;
        out.info(formatMarkdown(review, { pictureUrl, before: [`<details${section.attention ? ' open' : ''}><summary><b>${section.title}</b></summary>\n\n${section.markdown}\n\n</details>`] }));
      } else out.info([`== ${section.title}${section.attention ? ' (needs attention)' : ''}`, ...section.text, '', formatText(review)].join('\n'));
      return review.verdict.exitCode;
    } finally {
      for (const d of temp) rmSync(d, { recursive: true, force: true });
    }
  },
};

/** CloudFormation's refusals join the verdict: a stateful replacement loses data; the rest fail the deploy. */
function cloudFormationRisks(report: ChangeReport): Risk[] {
  return report.refusals.map((r) => ({ code: r.code === 'STATEFUL_REPLACEMENT' ? 'R_DATA_LOST' : 'R_CLOUDFORMATION', text: `${r.message}; fix: ${r.fix}` }));
}

function tempDir(list: string[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  list.push(dir);
  return dir;
}

function isAssembly(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, 'manifest.json'));
}

function policyOf(values: Readonly<Record<string, unknown>>): ChangePolicy {
  const raw = values['max-cost-increase'];
  const threshold = typeof raw === 'string' ? parseCostThreshold(raw) : undefined;
  if (typeof raw === 'string' && !threshold) throw new UsageError(`--max-cost-increase ${raw} is neither a percentage (10%) nor an amount ($50).`);
  return {
    ...(threshold && 'percent' in threshold ? { maxCostIncreasePercent: threshold.percent } : {}),
    ...(threshold && 'usd' in threshold ? { maxCostIncreaseUsd: threshold.usd } : {}),
    failOnInternalFlows: values['fail-on-internal-flows'] === true,
  };
}
